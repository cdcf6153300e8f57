// The first hops towards the STUN server: `tracepath -n` on Linux, `tracert -d` on Windows, run
// with execa and a deadline. A missing tool is a note, not an error. The parsers are pure.
import {isIPv4} from 'node:net';
import {execa} from 'execa';

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

export type CommandRunner = (
	file: string,
	args: string[],
	timeoutMs: number,
) => Promise<{stdout: string; failed: boolean; notFound: boolean}>;

const runWithExeca: CommandRunner = async (file, args, timeoutMs) => {
	const result = await execa(file, args, {timeout: timeoutMs, reject: false, stdin: 'ignore', forceKillAfterDelay: 500});
	const notFound = (result as {code?: string}).code === 'ENOENT' || /ENOENT/.test(String(result.message ?? ''));
	return {stdout: String(result.stdout ?? ''), failed: result.failed, notFound};
};

export interface HopsOptions {
	target: string;
	maxHops?: number;
	timeoutMs?: number;
	platform?: NodeJS.Platform;
	run?: CommandRunner;
}

export async function traceFirstHops(options: HopsOptions): Promise<HopsResult> {
	const platform = options.platform ?? process.platform;
	const maxHops = options.maxHops ?? 4;
	const timeoutMs = options.timeoutMs ?? 6000;
	const run = options.run ?? runWithExeca;
	const [file, args, parse] =
		platform === 'win32'
			? (['tracert', ['-d', '-h', String(maxHops), '-w', '1000', options.target], parseTracert] as const)
			: (['tracepath', ['-n', '-m', String(maxHops), options.target], parseTracepath] as const);
	if (platform !== 'win32' && platform !== 'linux') return {hops: [], note: `no hop trace on ${platform}`};
	try {
		const result = await run(file, [...args], timeoutMs);
		if (result.notFound) return {hops: [], note: `${file} is not installed`};
		const hops = parse(result.stdout).slice(0, maxHops);
		// tracepath may be cut off by the deadline after the hops that matter: keep what it printed.
		return hops.length > 0 ? {hops} : {hops, note: `${file} printed no hops`};
	} catch (error) {
		return {hops: [], note: `${file}: ${(error as Error).message.split('\n')[0]}`};
	}
}
