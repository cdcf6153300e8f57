// Programs run on a worker thread (system/command-thread.ts): the same output and the same
// one-line failures as on the main thread, and the main thread's runner when no worker starts.
// Only this Node binary is run, on nothing but its own output.
import assert from 'node:assert/strict';
import process from 'node:process';
import {test} from 'node:test';
import {Worker} from 'node:worker_threads';
import {runnerOnThread} from '../../source/system/command-thread.js';
import {type Runner, runCommand} from '../../source/system/run-command.js';

const workerFile = new URL('../../source/system/command-thread-worker.ts', import.meta.url);
const startWorker = () => new Worker(workerFile, {execArgv: ['--import', 'tsx']});

test('a worker thread runs the programs: their output, and failures told as on the main thread', async () => {
	let started = 0;
	const run = runnerOnThread(() => {
		started++;
		return startWorker();
	});
	const [printed, exited, missing] = await Promise.all([
		runCommand(run, process.execPath, ['-e', 'process.stdout.write("ruleset\\r\\n")'], 10_000),
		runCommand(run, process.execPath, ['-e', 'process.stderr.write("denied\\n"); process.exit(3)'], 10_000),
		runCommand(run, 'fwcheck-no-such-program', [], 10_000),
	]);
	assert.equal(started, 1, 'one worker for every command');
	assert.deepEqual(printed, {command: [process.execPath, '-e', 'process.stdout.write("ruleset\\r\\n")'], output: 'ruleset'});
	assert.equal(exited.error, `${process.execPath} exited with code 3: denied`);
	assert.equal(missing.error, 'fwcheck-no-such-program is not installed (not found on PATH)');
	// Idle, the worker does not keep the process alive: this test file ends without closing it.
});

test('a worker that cannot start: the commands run on the runner given instead', async () => {
	const calls: string[] = [];
	const fallback: Runner = async file => {
		calls.push(file);
		return {stdout: 'from this thread'};
	};

	const throwing = runnerOnThread(() => {
		throw new Error('no threads here');
	}, fallback);
	assert.deepEqual(await throwing('nft', ['-j', 'list', 'ruleset'], {timeoutMs: 1000}), {stdout: 'from this thread'});
	// A worker whose module fails to load reports an error event: what was sent to it runs here.
	const broken = runnerOnThread(() => new Worker('throw new Error("broken worker")', {eval: true}), fallback);
	assert.deepEqual(await broken('iptables-save', [], {timeoutMs: 1000}), {stdout: 'from this thread'});
	assert.deepEqual(calls, ['nft', 'iptables-save']);
});
