// The worker thread that runs this host's programs for the check (system/command-thread.ts): its
// module beside the build's others, or the script a one-file build carries inside.
import {Worker} from 'node:worker_threads';
import {runnerOnThread} from '../system/command-thread.js';
import type {Runner} from '../system/run-command.js';
import {embedded} from './one-file.js';

/** The worker's module. Under tsx (tests) this module is .ts and so is the worker's. */
const workerFromFile = (): Worker => {
	const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
	return new Worker(new URL(`../system/command-thread-worker${extension}`, import.meta.url), {
		execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
	});
};

/** A Runner on a worker thread of its own, started at its first command. */
export const commandWorkerRunner = (): Runner =>
	runnerOnThread(() => (embedded ? new Worker(embedded.commandWorkerSource, {eval: true}) : workerFromFile()));
