// The pass runner starts its window of workers a slice per turn of the clock, so that a sweep's
// start does not hold the event loop (the TUI's next frame waits behind it). Slicing must not
// change which ports are probed, in what order, or how often; nor outlive a cancel.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Clock, TimerHandle} from '../../source/net/clock.js';
import {Pacer} from '../../source/check/pacer.js';
import {type PassVerdict, createPassRunner} from '../../source/check/pass-runner.js';
import type {PassTiming} from '../../source/check/probe.js';

const timing: PassTiming = {rtoFactor: 1, maxSends: 6, finalWaitFactor: 2};

/** A clock whose timers fire only when the test says so, all at once. */
const steppedClock = (): Clock & {due: () => number; fire: () => void} => {
	let timers: Array<() => void> = [];
	return {
		now: () => 0,
		setTimeout(callback): TimerHandle {
			timers.push(callback);
			return {timer: timers.length};
		},
		clearTimeout() {
			// Nothing here cancels a slice's turn.
		},
		due: () => timers.length,
		fire() {
			const now = timers;
			timers = [];
			for (const callback of now) callback();
		},
	};
};

/** Lets every promise continuation queued so far run. */
const settle = async (): Promise<void> =>
	new Promise(resolve => {
		setImmediate(resolve);
	});

const range = (from: number, count: number): number[] => Array.from({length: count}, (_, index) => from + index);

/** A runner whose probes wait until `release`, recording the order they started in. */
const heldRunner = (window: number, signal: AbortSignal) => {
	const clock = steppedClock();
	const started: number[] = [];
	const waiting: Array<() => void> = [];
	const runner = createPassRunner<PassVerdict>({
		window,
		signal,
		clock,
		async probe(port) {
			started.push(port);
			await new Promise<void>(resolve => {
				waiting.push(resolve);
			});
			return signal.aborted ? undefined : {port, status: 'pass', code: null};
		},
	});
	const release = () => {
		for (const resolve of waiting.splice(0)) resolve();
	};

	return {clock, started, runner, release};
};

test('a window of 700 starts a slice a turn; every port probed once, in order, with its verdict', async () => {
	const ports = range(20_000, 700);
	const {clock, started, runner, release} = heldRunner(700, new AbortController().signal);
	const pass = runner.run(ports, timing, 1, new Pacer({clock}));
	await settle();
	const firstTurn = started.length;
	assert.ok(firstTurn > 0 && firstTurn < ports.length, `the first turn started ${firstTurn} of ${ports.length}`);
	for (let turns = 0; clock.due() > 0 && turns < 20; turns++) {
		clock.fire();
		await settle();
	}

	assert.deepEqual(started, ports, 'each port once, in the order given');
	release();
	await pass;
	assert.deepEqual([...runner.results.keys()].sort(), ports);
});

test('a window smaller than the ports: workers move on to the next port as before', async () => {
	const ports = range(30_000, 40);
	const clock = steppedClock();
	const started: number[] = [];
	const runner = createPassRunner<PassVerdict>({
		window: 8,
		signal: new AbortController().signal,
		clock,
		async probe(port) {
			started.push(port);
			return {port, status: 'fail', code: 'no-response'};
		},
	});
	await runner.run(ports, timing, 1, new Pacer({clock}));
	assert.deepEqual(started, ports);
	assert.equal(runner.results.size, ports.length);
});

test('cancelled between slices: no later worker starts, and the pass ends', async () => {
	const ports = range(40_000, 700);
	const cancel = new AbortController();
	const {clock, started, runner, release} = heldRunner(700, cancel.signal);
	const pass = runner.run(ports, timing, 1, new Pacer({clock}));
	await settle();
	const before = started.length;
	cancel.abort();
	clock.fire();
	await settle();
	assert.equal(started.length, before, 'nothing started after the cancel');
	release();
	await pass;
	assert.equal(runner.results.size, 0, 'a port cancelled part way has no verdict');
	assert.equal(clock.due(), 0, 'no slice left waiting');
});
