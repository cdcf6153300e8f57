import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {test} from 'node:test';
import {renderTui} from '../../source/ui/render.js';
import {config, instantRunner, mixedCode, portResult, range, scriptedRunner} from './fixtures.js';
import {delay, keys, plain} from './helpers.js';

/** Just enough of a TTY for Ink: raw mode, readable input, a sized output. */
class FakeStdin extends EventEmitter {
	isTTY = true;
	rawMode = false;
	private readonly queue: string[] = [];
	setRawMode(mode: boolean) {
		this.rawMode = mode;
		return this;
	}

	setEncoding() {
		return this;
	}

	read(): string | null {
		return this.queue.shift() ?? null;
	}

	type(text: string) {
		this.queue.push(text);
		this.emit('readable');
	}

	resume() {
		return this;
	}

	pause() {
		return this;
	}

	ref() {
		return this;
	}

	unref() {
		return this;
	}
}

class FakeStdout extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 24;
	output = '';
	write(chunk: string) {
		this.output += chunk;
		return true;
	}
}

const streams = () => {
	const stdin = new FakeStdin();
	const stdout = new FakeStdout();
	const options = {
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stdout as unknown as NodeJS.WriteStream,
	};
	return {stdin, stdout, options};
};

test('renderTui resolves with exit code 1 when ports failed, and gives the terminal back', async () => {
	const {stdin, stdout, options} = streams();
	const ports = [5060, ...range(9000, 9999)];
	const exit = renderTui(config(ports), instantRunner(ports.map(port => portResult(port, mixedCode(port)))), options);
	for (let waited = 0; !plain(stdout.output).includes('SOME-FAILED') && waited < 15_000; waited += 20) {
		await delay(20);
	}

	assert.equal(stdin.rawMode, true);
	stdin.type('q');
	assert.equal(await exit, 1);
	assert.equal(stdin.rawMode, false, 'raw mode is off again');
});

test('renderTui: Ctrl+C cancels, a second Ctrl+C quits with 130', async () => {
	const {stdin, stdout, options} = streams();
	const {run, calls} = scriptedRunner({perTick: 5, intervalMs: 10});
	const exit = renderTui(config(range(9000, 10999)), run, options);
	for (let waited = 0; !/\d{2,}\/2000/.test(plain(stdout.output)) && waited < 15_000; waited += 20) {
		await delay(20);
	}

	stdin.type(keys.ctrlC);
	for (let waited = 0; !plain(stdout.output).includes('cancelled at') && waited < 15_000; waited += 20) {
		await delay(20);
	}

	assert.equal(calls[0]!.signal.aborted, true);
	stdin.type(keys.ctrlC);
	assert.equal(await exit, 130);
});
