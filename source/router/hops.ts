// The first hops towards the STUN server: `tracepath -n` on Linux, `tracert -d` on Windows, run
// with execa and a deadline. A missing tool is a note, not an error. The parsers are pure.
import {existsSync} from 'node:fs';
import {isIPv4} from 'node:net';
import path from 'node:path';
import {loadExeca} from '../system/load-execa.js';

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

/**
 * Runs a program (argument array, no shell) until it ends, the deadline passes or `stopWhen` says
 * its output so far is enough; resolves with the output so far. Never rejects.
 */
export type CommandRunner = (
	file: string,
	args: string[],
	options: {timeoutMs: number; stopWhen: (stdout: string) => boolean; signal?: AbortSignal},
) => Promise<{stdout: string; failed: boolean; notFound: boolean}>;

const inPath = (bin: string): boolean =>
	(process.env.PATH ?? '').split(path.delimiter).some(dir => dir !== '' && existsSync(path.join(dir, bin)));

const runWithExeca: CommandRunner = async (file, args, {timeoutMs, stopWhen}) => {
	const {execa} = await loadExeca();
	const subprocess = execa(file, args, {
		timeout: timeoutMs,
		reject: false,
		stdin: 'ignore',
		buffer: false,
		forceKillAfterDelay: 500,
	});
	let stdout = '';
	subprocess.stdout?.setEncoding('utf8');
	subprocess.stdout?.on('data', (chunk: string) => {
		if (stdout.length < 16_384) stdout += chunk;
		if (stopWhen(stdout)) subprocess.kill();
	});
	const result = await subprocess;
	const notFound = (result as {code?: string}).code === 'ENOENT';
	return {stdout, failed: result.failed && !result.isTerminated, notFound};
};

export interface HopsOptions {
	target: string;
	/** Hops to trace; only hops 2 and 3 decide the path. */
	maxHops?: number;
	timeoutMs?: number;
	platform?: NodeJS.Platform;
	run?: CommandRunner;
	/** Stops the trace early; the hops found so far are kept. */
	signal?: AbortSignal;
	/** Whether a program is installed (tests); default: looked up in PATH. */
	installed?: (bin: string) => boolean;
}

/** An answering hop past the router: the trace need not go on. */
const enough = (hops: string[]): boolean => hops.slice(1, 3).some(hop => hop !== '*');

export async function traceFirstHops(options: HopsOptions): Promise<HopsResult> {
	const platform = options.platform ?? process.platform;
	const maxHops = options.maxHops ?? 3;
	const timeoutMs = options.timeoutMs ?? 8000;
	const run = options.run ?? runWithExeca;
	const installed = options.installed ?? inPath;
	if (platform !== 'win32' && platform !== 'linux') return {hops: [], note: `no hop trace on ${platform}`};
	const tool = platform === 'win32' ? 'tracert' : 'tracepath';
	const parse = platform === 'win32' ? parseTracert : parseTracepath;
	const toolArgs =
		platform === 'win32'
			? ['-d', '-h', String(maxHops), '-w', '1000', options.target]
			: ['-n', '-m', String(maxHops), options.target];
	if (!installed(platform === 'win32' ? 'tracert.exe' : tool)) return {hops: [], note: `${tool} is not installed`};
	// tracepath block-buffers into a pipe: without stdbuf, a trace cut off by the deadline (each
	// silent hop costs it ~3 s) would lose every line it had found.
	const [file, args] = platform === 'linux' && installed('stdbuf') ? ['stdbuf', ['-oL', tool, ...toolArgs]] : [tool, toolArgs];
	const result = await run(file, args, {timeoutMs, stopWhen: stdout => enough(parse(stdout)), signal: options.signal});
	if (result.notFound) return {hops: [], note: `${tool} is not installed`};
	const hops = parse(result.stdout).slice(0, maxHops);
	return hops.length > 0 ? {hops} : {hops, note: `${tool} found no hops within ${timeoutMs} ms`};
}
