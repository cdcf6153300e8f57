// Long-running processes inside a namespace (servers, helper scripts), with a bounded stop().
// Each has either a log file (servers: their chatter should not sit in memory) or piped stdout
// read line by line (helper scripts speak one JSON object per line).
import {readFile} from 'node:fs/promises';
import {createInterface} from 'node:readline';
import {execa} from 'execa';
import {nsArgs} from './netns.js';

export type ProcessExit = {exitCode: number | undefined; signal: string | undefined; stderr: string};

export type LabProcess = {
	readonly name: string;
	readonly ns: string;
	readonly pid: number;
	/** Stdout lines so far (only when started without a log file). */
	readonly lines: readonly string[];
	/** Settles when the process ends; never rejects. */
	readonly exited: Promise<ProcessExit>;
	/** Resolves with the first stdout line (seen so far or coming) that `match` accepts. */
	waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
	/** Send a signal (e.g. SIGUSR1 to ask a helper script for a snapshot). */
	kill(signal: NodeJS.Signals): void;
	/** SIGTERM, SIGKILL after `graceMs` (default 1000); resolves once it is gone. Idempotent. */
	stop(graceMs?: number): Promise<ProcessExit>;
	/** The log file's content, or '' when there is none. */
	log(): Promise<string>;
};

export type SpawnOptions = {
	name: string;
	/** Append stdout+stderr here instead of piping them. */
	logFile?: string;
	/** Hard limit on the process's life (SIGTERM when reached). Default 10 min. */
	timeoutMs?: number;
	cwd?: string;
	env?: Record<string, string>;
};

export function spawnInNs(ns: string, file: string, args: readonly string[], options: SpawnOptions): LabProcess {
	const output = options.logFile
		? {stdout: {file: options.logFile, append: true}, stderr: {file: options.logFile, append: true}}
		: {stdout: 'pipe' as const, stderr: 'pipe' as const};
	const subprocess = execa('ip', nsArgs(ns, file, args), {
		...output,
		stdin: 'ignore',
		reject: false,
		timeout: options.timeoutMs ?? 600_000,
		forceKillAfterDelay: 1000,
		...(options.cwd ? {cwd: options.cwd} : {}),
		...(options.env ? {env: options.env} : {}),
	});
	if (subprocess.pid === undefined) throw new Error(`could not start ${file} in ${ns}`);

	const lines: string[] = [];
	const waiters = new Set<() => void>();
	if (!options.logFile && subprocess.stdout) {
		createInterface({input: subprocess.stdout}).on('line', line => {
			lines.push(line);
			for (const wake of waiters) wake();
		});
	}
	let stderr = '';
	subprocess.stderr?.on('data', (chunk: Buffer) => {
		if (stderr.length < 64_000) stderr += chunk.toString();
	});
	const exited: Promise<ProcessExit> = subprocess.then(
		r => ({exitCode: r.exitCode, signal: r.signal, stderr}),
		() => ({exitCode: undefined, signal: undefined, stderr}),
	);
	let done = false;
	void exited.then(() => {
		done = true;
		for (const wake of waiters) wake();
	});

	const handle: LabProcess = {
		name: options.name,
		ns,
		pid: subprocess.pid,
		lines,
		exited,
		waitForLine(match, timeoutMs) {
			return new Promise((resolve, reject) => {
				let seen = 0;
				const check = (): void => {
					for (; seen < lines.length; seen++) {
						const line = lines[seen];
						if (line !== undefined && match(line)) {
							finish();
							resolve(line);
							return;
						}
					}
					if (done) {
						finish();
						reject(new Error(`${options.name} exited before the expected output: ${stderr.trim()}`));
					}
				};
				const timer = setTimeout(() => {
					finish();
					reject(new Error(`${options.name}: no expected output within ${timeoutMs} ms`));
				}, timeoutMs);
				const finish = (): void => {
					clearTimeout(timer);
					waiters.delete(check);
				};
				waiters.add(check);
				check();
			});
		},
		kill(signal) {
			if (!done) subprocess.kill(signal);
		},
		async stop(graceMs = 1000) {
			if (!done) {
				subprocess.kill('SIGTERM');
				const timer = setTimeout(() => subprocess.kill('SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			return exited;
		},
		async log() {
			return options.logFile ? readFile(options.logFile, 'utf8').catch(() => '') : '';
		},
	};
	return handle;
}
