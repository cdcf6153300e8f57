// The first hops towards the STUN server: `tracepath -n` on Linux, `tracert -d` on Windows, run
// through the injected command runner with a deadline. A missing tool is a note, not an error.
// The parsers are pure.
import {english} from '../catalog/index.js';
import {isIPv4} from 'node:net';
import {type RouterEnvironment, realRouterEnvironment} from './router-environment.js';

/**
 * Hop addresses in order from tracepath's output: hop n at index n-1, "*" for a hop that did not
 * answer. Lines look like " 2:  192.168.1.1   0.045ms" or " 2:  no reply"; "1?: [LOCALHOST]" is
 * the local probe, not a hop.
 */
export function parseTracepath(text: string): string[] {
	const hops: string[] = [];
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(\d{1,3}):\s+(\S+)/.exec(line);
		if (!match) continue;
		const index = Number(match[1]) - 1;
		if (index < 0 || index >= 64) continue;
		while (hops.length <= index) hops.push('*');
		if (isIPv4(match[2]!) && hops[index] === '*') hops[index] = match[2]!;
	}

	return hops;
}

/** Hop addresses from `tracert -d`: "  2    10 ms     9 ms     9 ms  100.64.0.1", or "Request timed out." */
export function parseTracert(text: string): string[] {
	const hops: string[] = [];
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(\d{1,3})\s+(?:(?:<?\d+ ms|\*)\s+){3}(\S+)/.exec(line);
		if (!match) continue;
		const index = Number(match[1]) - 1;
		if (index < 0 || index >= 64) continue;
		while (hops.length <= index) hops.push('*');
		if (isIPv4(match[2]!)) hops[index] = match[2]!;
	}

	return hops;
}

export type HopsResult = {hops: string[]; note?: string};

export interface HopsOptions {
	target: string;
	/** Hops to trace; only hops 2 and 3 decide the path. */
	maxHops?: number;
	timeoutMs?: number;
	/** Stops the trace early; the hops found so far are kept. */
	signal?: AbortSignal;
}

/** An answering hop past the router: the trace need not go on. */
const enough = (hops: string[]): boolean => hops.slice(1, 3).some(hop => hop !== '*');

export async function traceFirstHops(
	options: HopsOptions,
	{platform, run, installed}: Pick<RouterEnvironment, 'platform' | 'run' | 'installed'> = realRouterEnvironment,
): Promise<HopsResult> {
	const maxHops = options.maxHops ?? 3;
	const timeoutMs = options.timeoutMs ?? 8000;
	if (platform !== 'win32' && platform !== 'linux') return {hops: [], note: english.notes.hopsUnsupported(platform)};
	const tool = platform === 'win32' ? 'tracert' : 'tracepath';
	const parse = platform === 'win32' ? parseTracert : parseTracepath;
	const toolArgs =
		platform === 'win32'
			? ['-d', '-h', String(maxHops), '-w', '1000', options.target]
			: ['-n', '-m', String(maxHops), options.target];
	if (!installed(platform === 'win32' ? 'tracert.exe' : tool)) return {hops: [], note: english.notes.hopsNotInstalled(tool)};
	// tracepath block-buffers into a pipe: without stdbuf, a trace cut off by the deadline (each
	// silent hop costs it ~3 s) would lose every line it had found.
	const [file, args] = platform === 'linux' && installed('stdbuf') ? ['stdbuf', ['-oL', tool, ...toolArgs]] : [tool, toolArgs];
	const result = await run(file, args, {timeoutMs, stopWhen: stdout => enough(parse(stdout)), signal: options.signal});
	if (result.notFound) return {hops: [], note: english.notes.hopsNotInstalled(tool)};
	const hops = parse(result.stdout).slice(0, maxHops);
	return hops.length > 0 ? {hops} : {hops, note: english.notes.hopsNone(tool, String(timeoutMs))};
}
