// The host's command runner (tracepath, tracert, route go through it) on a local child process:
// no network. The child prints one hop at once and another later; the runner must end when told.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {runProgram} from '../../source/system/run-program.js';

const twoHops = "console.log(' 1:  192.168.1.1  0.1ms'); setTimeout(() => console.log(' 2:  100.64.0.1  9.0ms'), 4000)";

test('runProgram: an aborted run ends with the output so far, not at its deadline', async () => {
	const controller = new AbortController();
	const result = await runProgram(process.execPath, ['-e', twoHops], {
		timeoutMs: 8000,
		signal: controller.signal,
		stopWhen(stdout) {
			if (stdout.includes(' 1:')) controller.abort();
			return false;
		},
	});
	assert.deepEqual(result, {stdout: ' 1:  192.168.1.1  0.1ms\n', failed: false, notFound: false});
});

test('runProgram: stopWhen ends a run early; a missing program is notFound', async () => {
	const stopped = await runProgram(process.execPath, ['-e', twoHops], {
		timeoutMs: 8000,
		stopWhen: stdout => stdout.includes(' 1:'),
	});
	assert.equal(stopped.stdout, ' 1:  192.168.1.1  0.1ms\n');
	assert.equal(stopped.failed, false);
	const missing = await runProgram('fwcheck-no-such-program', [], {timeoutMs: 1000, stopWhen: () => false});
	assert.deepEqual(missing, {stdout: '', failed: true, notFound: true});
});
