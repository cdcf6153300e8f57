// Programs run from a worker thread. Loading execa and forking a child each hold up the thread
// that does them, for tens to hundreds of milliseconds on a busy host; on the main thread that is
// time the sweep's round trips are measured in (one inflated sample stretches every wait after it).
// The worker runs them with execa and an argument array as the main thread would.
import type {Worker} from 'node:worker_threads';
import {type Runner, defaultRunner} from './run-command.js';

export interface CommandRequest {
	id: number;
	file: string;
	args: string[];
	timeoutMs: number;
}

/** What a failed run's error carries that runCommand reads (execa's fields), copied across threads. */
export interface CommandFailure {
	code?: string;
	timedOut?: boolean;
	exitCode?: number;
	message?: string;
	stdout?: string | Uint8Array;
	stderr?: string | Uint8Array;
}

export type CommandAnswer = {id: number; stdout: string | Uint8Array} | {id: number; failure: CommandFailure};

/** The fields of a thrown value that cross to the main thread; anything else becomes its message. */
export const failureOf = (error: unknown): CommandFailure => {
	if (typeof error !== 'object' || error === null) return {message: String(error)};
	const fields = error as Record<string, unknown>;
	const bytesOrText = (value: unknown) => (typeof value === 'string' || value instanceof Uint8Array ? value : undefined);
	return {
		...(typeof fields.code === 'string' ? {code: fields.code} : {}),
		...(typeof fields.timedOut === 'boolean' ? {timedOut: fields.timedOut} : {}),
		...(typeof fields.exitCode === 'number' ? {exitCode: fields.exitCode} : {}),
		...(typeof fields.message === 'string' ? {message: fields.message} : {}),
		...(bytesOrText(fields.stdout) === undefined ? {} : {stdout: bytesOrText(fields.stdout)}),
		...(bytesOrText(fields.stderr) === undefined ? {} : {stderr: bytesOrText(fields.stderr)}),
	};
};

/**
 * A Runner whose programs run on the worker `start` gives, started at the first command. The
 * worker keeps the process alive only while a command is out. If it cannot start or dies, the
 * commands left run on this thread instead: slower to start, the same result.
 */
export const runnerOnThread = (start: () => Worker, fallback: Runner = defaultRunner): Runner => {
	let worker: Worker | undefined;
	let broken = false;
	let nextId = 1;
	const pending = new Map<number, {settle: (answer: CommandAnswer | undefined) => void}>();
	const giveUp = () => {
		broken = true;
		for (const entry of pending.values()) entry.settle(undefined);
		pending.clear();
	};

	const thread = (): Worker | undefined => {
		if (broken) return undefined;
		if (worker) return worker;
		try {
			worker = start();
		} catch {
			broken = true;
			return undefined;
		}

		worker.on('message', (answer: CommandAnswer) => {
			const entry = pending.get(answer.id);
			pending.delete(answer.id);
			entry?.settle(answer);
			if (pending.size === 0) worker?.unref();
		});
		worker.on('error', giveUp);
		worker.on('exit', giveUp);
		return worker;
	};

	return async (file, args, options) => {
		const target = thread();
		if (!target) return fallback(file, args, options);
		const id = nextId++;
		const answer = await new Promise<CommandAnswer | undefined>(resolve => {
			pending.set(id, {settle: resolve});
			target.ref();
			target.postMessage({id, file, args, timeoutMs: options.timeoutMs} satisfies CommandRequest);
		});
		if (answer === undefined) return fallback(file, args, options);
		if ('failure' in answer) throw Object.assign(new Error(answer.failure.message ?? `${file} failed`), answer.failure);
		return {stdout: answer.stdout};
	};
};
