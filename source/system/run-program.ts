// Runs a program of the host (tracepath, tracert, route) with execa: an argument array, never a
// shell string, a deadline, and output read as it comes so the caller may stop it early.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {loadExeca} from './load-execa.js';

/** Output kept from one run: enough for a hop trace or a route table, bounded against a chatty program. */
const MAX_OUTPUT_CHARS = 16_384;

/**
 * Runs a program (argument array, no shell) until it ends, the deadline passes, the signal aborts
 * or `stopWhen` says its output so far is enough; resolves with the output so far. Never rejects.
 */
export type CommandRunner = (
	file: string,
	args: string[],
	options: {timeoutMs: number; stopWhen: (stdout: string) => boolean; signal?: AbortSignal},
) => Promise<{stdout: string; failed: boolean; notFound: boolean}>;

/** Whether a program is installed: looked up in PATH, as the runner will find it. */
export const isInstalled = (program: string): boolean =>
	(process.env.PATH ?? '').split(path.delimiter).some(dir => dir !== '' && existsSync(path.join(dir, program)));

export const runProgram: CommandRunner = async (file, args, {timeoutMs, stopWhen, signal}) => {
	const {execa} = await loadExeca();
	const subprocess = execa(file, args, {
		timeout: timeoutMs,
		reject: false,
		stdin: 'ignore',
		buffer: false,
		forceKillAfterDelay: 500,
		// A trace cut short (the sweep is done) ends now, keeping its lines, not at its deadline.
		...(signal ? {cancelSignal: signal} : {}),
	});
	let stdout = '';
	subprocess.stdout?.setEncoding('utf8');
	subprocess.stdout?.on('data', (chunk: string) => {
		if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
		if (stopWhen(stdout)) subprocess.kill();
	});
	const result = await subprocess;
	const notFound = (result as {code?: string}).code === 'ENOENT';
	return {stdout, failed: result.failed && !result.isTerminated, notFound};
};
