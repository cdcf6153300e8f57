// Low-level helpers: run commands (argument arrays, never a shell), run them inside a namespace,
// and the synchronous clean-up used both before a run (stale state from a crash) and on exit.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, rmSync, rmdirSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {PREFIX} from './addresses.js';

export type RunOptions = {
	/** Killed (SIGTERM, then SIGKILL 1 s later) after this long. Default 15 s. */
	timeoutMs?: number;
	input?: string;
	/** Throw when the command fails (default true). */
	reject?: boolean;
	env?: Record<string, string>;
	cwd?: string;
};

export type RunResult = {
	command: string;
	exitCode: number | undefined;
	signal: string | undefined;
	stdout: string;
	stderr: string;
	failed: boolean;
	timedOut: boolean;
	durationMs: number;
};

const DEFAULT_TIMEOUT_MS = 15_000;

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	const result = await execa(file, args, {
		timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		forceKillAfterDelay: 1000,
		reject: false,
		stripFinalNewline: false,
		...(options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input}),
		...(options.env ? {env: options.env} : {}),
		...(options.cwd ? {cwd: options.cwd} : {}),
	});
	const out: RunResult = {
		command: [file, ...args].join(' '),
		exitCode: result.exitCode,
		signal: result.signal,
		stdout: String(result.stdout ?? ''),
		stderr: String(result.stderr ?? ''),
		failed: result.failed,
		timedOut: result.timedOut,
		durationMs: Date.now() - started,
	};
	if (out.failed && options.reject !== false) {
		const why = out.timedOut ? `timed out after ${out.durationMs} ms` : `exit ${out.exitCode ?? out.signal}`;
		throw new Error(`${out.command}: ${why}\n${out.stderr.trim()}`);
	}
	return out;
}

/** `ip netns exec <ns> file ...args`. ip execs the command directly, so its pid is the command's. */
export function nsArgs(ns: string, file: string, args: readonly string[]): string[] {
	return ['netns', 'exec', ns, file, ...args];
}

export async function nsRun(ns: string, file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
	return run('ip', nsArgs(ns, file, args), options);
}

function syncOut(file: string, args: string[]): string {
	const r = spawnSync(file, args, {encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe']});
	return r.status === 0 ? r.stdout : '';
}

/** Namespaces with our prefix (`ip netns list` prints "name" or "name (id: N)"). */
export function labNamespaces(): string[] {
	return syncOut('ip', ['netns', 'list'])
		.split('\n')
		.map(line => line.split(' ')[0] ?? '')
		.filter(name => name.startsWith(PREFIX));
}

export function namespacePids(ns: string): number[] {
	return syncOut('ip', ['netns', 'pids', ns])
		.split('\n')
		.map(Number)
		.filter(pid => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
}

// A killed child of ours stays a zombie until the event loop reaps it, which cannot happen while
// we wait synchronously: count zombies as gone.
function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Kill every process left in our namespaces (by pid: they can only be ones the lab started),
 * delete the namespaces and the /etc/netns files. Synchronous so it also works in an 'exit'
 * handler. Bounded: waits at most ~2 s for killed processes to go away.
 */
export function destroyLabSync(): {killed: number[]; deleted: string[]} {
	const namespaces = labNamespaces();
	const killed = namespaces.flatMap(ns => namespacePids(ns));
	for (const pid of killed) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	const deadline = Date.now() + 2000;
	while (killed.some(alive) && Date.now() < deadline) {
		sleepSync(50);
	}
	for (const ns of namespaces) spawnSync('ip', ['netns', 'delete', ns], {stdio: 'ignore', timeout: 5000});
	removeNetnsEtc();
	return {killed, deleted: namespaces};
}

const ETC_NETNS = '/etc/netns';

export function removeNetnsEtc(): void {
	if (!existsSync(ETC_NETNS)) return;
	for (const entry of readdirSync(ETC_NETNS)) {
		if (entry.startsWith(PREFIX)) rmSync(path.join(ETC_NETNS, entry), {recursive: true, force: true});
	}
	try {
		rmdirSync(ETC_NETNS); // only if empty: someone else's files stay
	} catch {
		// not empty or gone
	}
}

export function which(bin: string): string | undefined {
	const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
	for (const dir of dirs) {
		if (dir && existsSync(path.join(dir, bin))) return path.join(dir, bin);
	}
	return undefined;
}
