// Running a program for the busy-port lookup and the host firewall: an argument array, never a
// shell; a timeout; and a failure told in one line, never thrown.
import {loadExeca} from './load-execa.js';

export interface CommandRun {
	command: string[];
	/** stdout, CRLF turned to LF, trailing whitespace trimmed; kept even when the command failed. */
	output: string;
	/** One-line reason when the command failed, timed out or is not installed. */
	error?: string;
}

/**
 * Runs a program with an argument array (never through a shell); must reject on failure or timeout.
 * stdout is the bytes as printed (Windows prints in the console's code page), or text already.
 */
export type Runner = (file: string, args: string[], options: {timeoutMs: number}) => Promise<{stdout: string | Uint8Array}>;

/** Bytes a program printed, as text. */
export type Decode = (bytes: Uint8Array) => string;

const utf8: Decode = bytes => new TextDecoder().decode(bytes);

export const defaultRunner: Runner = async (file, args, {timeoutMs}) => {
	const {execa} = await loadExeca();
	const {stdout} = await execa(file, args, {timeout: timeoutMs, reject: true, encoding: 'buffer', stdin: 'ignore'});
	return {stdout};
};

const asText = (output: unknown, decode: Decode): unknown => (output instanceof Uint8Array ? decode(output) : output);

const tidyOutput = (stdout: unknown): string => (typeof stdout === 'string' ? stdout.replaceAll('\r\n', '\n').trimEnd() : '');

const firstLine = (text: unknown): string =>
	typeof text === 'string' ? (text.split(/\r?\n/).find(line => line.trim() !== '') ?? '').trim() : '';

// Reads execa's error fields, but any thrown value (even a string or null) must give a sentence.
const describeFailure = (file: string, error: unknown, timeoutMs: number, stderrText: unknown): string => {
	const fields: {code?: unknown; timedOut?: unknown; exitCode?: unknown; message?: unknown} =
		typeof error === 'object' && error !== null ? error : {};
	if (fields.code === 'ENOENT') {
		return `${file} is not installed (not found on PATH)`;
	}

	if (fields.timedOut === true) {
		return `${file} timed out after ${timeoutMs} ms`;
	}

	if (typeof fields.exitCode === 'number') {
		const stderr = firstLine(stderrText);
		return `${file} exited with code ${fields.exitCode}${stderr === '' ? '' : `: ${stderr}`}`;
	}

	return firstLine(fields.message) || firstLine(String(error)) || `${file} failed`;
};

export const runCommand = async (
	run: Runner,
	file: string,
	args: string[],
	timeoutMs: number,
	decode: Decode = utf8,
): Promise<CommandRun> => {
	const command = [file, ...args];
	try {
		const {stdout} = await run(file, args, {timeoutMs});
		return {command, output: tidyOutput(asText(stdout, decode))};
	} catch (error: unknown) {
		// Keep partial stdout: lsof exits 1 on mere warnings yet still prints what it found.
		const fields: {stdout?: unknown; stderr?: unknown} = typeof error === 'object' && error !== null ? error : {};
		const stderr = asText(fields.stderr, decode);
		return {command, output: tidyOutput(asText(fields.stdout, decode)), error: describeFailure(file, error, timeoutMs, stderr)};
	}
};
