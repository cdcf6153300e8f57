// Lab lifecycle plumbing: one lab per machine (lock file holding the owner's pid, stale when the
// owner is gone), per-run directories, and synchronous emergency teardown on exit and signals.
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PREFIX} from './addresses.js';

const LOCK = path.join(os.tmpdir(), `${PREFIX}lab.lock`);
const RUN_DIR_PREFIX = `${PREFIX}lab-`;

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Another process holds the lab (a test run, a bench): a caller may wait and try again. */
export class LabBusyError extends Error {}

export function takeLock(): void {
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(LOCK, String(process.pid), {flag: 'wx'});
			return;
		} catch {
			const owner = Number(readFileSync(LOCK, 'utf8').trim());
			if (owner !== process.pid && Number.isInteger(owner) && owner > 0 && pidAlive(owner)) {
				throw new LabBusyError(`network lab in use by pid ${owner} (${LOCK}); run lab tests with --test-concurrency=1`);
			}
			rmSync(LOCK, {force: true}); // stale: its owner is gone
		}
	}
	throw new Error(`cannot take ${LOCK}`);
}

export function releaseLock(): void {
	try {
		if (Number(readFileSync(LOCK, 'utf8').trim()) === process.pid) rmSync(LOCK, {force: true});
	} catch {
		// already gone
	}
}

/** Removes run directories of earlier runs (call with the lock held) and makes a new one. */
export function newRunDir(): string {
	for (const entry of readdirSync(os.tmpdir())) {
		if (entry.startsWith(RUN_DIR_PREFIX)) rmSync(path.join(os.tmpdir(), entry), {recursive: true, force: true});
	}
	return mkdtempSync(path.join(os.tmpdir(), RUN_DIR_PREFIX));
}

const emergencies = new Set<() => void>();

function runEmergencies(): void {
	for (const fn of [...emergencies]) fn();
}

function onSignal(signal: NodeJS.Signals): void {
	runEmergencies();
	process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Runs `fn` (synchronous) if the process exits or gets SIGINT/SIGTERM; returns the undo. */
export function onEmergency(fn: () => void): () => void {
	if (emergencies.size === 0) {
		process.on('exit', runEmergencies);
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
	}
	emergencies.add(fn);
	return () => {
		emergencies.delete(fn);
		if (emergencies.size === 0) {
			process.off('exit', runEmergencies);
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		}
	};
}
