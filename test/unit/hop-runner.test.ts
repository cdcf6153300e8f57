// The program runner behind the hop trace (node:child_process): output kept, stopped when enough
// or at the deadline (a stop is no failure), and a program that is missing or fails said so.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import process from 'node:process';
import {spawnRunner} from '../../source/router/hops.js';

/** Node itself as the traced program: a script, ended by its own bound should nothing stop it. */
const program = (script: string): [string, string[]] => [
	process.execPath,
	['-e', `setTimeout(() => process.exit(9), 20000); ${script}`],
];

test('stops the program once its output is enough, and keeps that output', async () => {
	const [file, args] = program("let n = 0; setInterval(() => console.log('hop ' + ++n), 20);");
	const result = await spawnRunner(file, args, {timeoutMs: 15_000, stopWhen: stdout => stdout.includes('hop 2\n')});
	assert.match(result.stdout, /^hop 1\nhop 2\n/);
	assert.equal(result.failed, false, 'stopped by us: not a failure');
	assert.equal(result.notFound, false);
});

test('at the deadline: what was printed so far, not a failure', async () => {
	// It prints at once and then waits: a deadline of seconds leaves Node ample time to start.
	const [file, args] = program("console.log('hop 1');");
	const result = await spawnRunner(file, args, {timeoutMs: 3000, stopWhen: () => false});
	assert.equal(result.stdout, 'hop 1\n');
	assert.equal(result.failed, false);
});

test('a program that ignores SIGTERM is killed all the same', async () => {
	const [file, args] = program("process.on('SIGTERM', () => undefined); console.log('hop 1');");
	const result = await spawnRunner(file, args, {timeoutMs: 15_000, stopWhen: stdout => stdout.includes('hop 1')});
	assert.equal(result.stdout, 'hop 1\n');
	assert.equal(result.failed, false);
});

test('a program that exits non-zero failed; one that is not installed is not found', async () => {
	const [file, args] = program("console.log('hop 1'); process.exit(2);");
	const exited = await spawnRunner(file, args, {timeoutMs: 15_000, stopWhen: () => false});
	assert.deepEqual(exited, {stdout: 'hop 1\n', failed: true, notFound: false});

	const missing = await spawnRunner('fwcheck-no-such-program', [], {timeoutMs: 15_000, stopWhen: () => false});
	assert.deepEqual(missing, {stdout: '', failed: true, notFound: true});
});
