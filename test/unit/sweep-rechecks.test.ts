import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {SweepEvent} from '../../source/check/types.js';
import {firstRoundReason, laterRoundReason, maxRecheckRounds} from '../../source/check/recheck-plan.js';
import {goodServer, pbxIp, portsWith, range, simulate} from '../support/simulation.js';

type Confirming = Extract<SweepEvent, {type: 'confirming'}>;
const confirmingOf = (events: SweepEvent[]): Confirming[] =>
	events.filter((event): event is Confirming => event.type === 'confirming');

/** Ports that failed in the first pass: their verdicts before the first recheck. */
const firstPassFailures = (events: SweepEvent[]): number[] => {
	const end = events.findIndex(event => event.type === 'confirming');
	return events
		.slice(0, end)
		.flatMap(event => (event.type === 'port-finished' && event.result.status === 'fail' ? [event.result.port] : []));
};

test('sim: many alike failures: a sample of 32 is rechecked, the rest stand when none flips', async () => {
	const ports = range(20_000, 20_199);
	// Test 3 fails on every port too: its own recheck samples 32 more.
	const sim = await simulate();
	const {report, events} = await sim.run({ports});
	assert.equal(report.code, 'inbound-blocked');
	const rounds = confirmingOf(events);
	assert.equal(rounds.length, 1);
	assert.equal(rounds[0]!.reason, firstRoundReason);
	const sample = rounds[0]!.ports;
	assert.equal(new Set(sample).size, 32);
	// Spread over the failures in the order they finished (the first ports to fail waited for the
	// pacer's evidence and used six sends; later ones, on a path shown lossless, three).
	const failed = firstPassFailures(events);
	assert.equal(failed.length, 200);
	assert.ok(sample.includes(failed[0]!) && sample.includes(failed.at(-1)!), 'the sample spans the first pass');
	assert.deepEqual(report.pacing, {finalRate: null, slowdowns: [], confirmed: 64, flipped: 0});
	const picked = new Set(sample);
	for (const port of report.ports) {
		assert.equal(port.test2.attempts, picked.has(port.port) ? 2 : 1, `port ${port.port}`);
	}

	// The first round, a check on the quick pass: five sends. Test 3's first round too.
	const rechecked = report.ports.filter(port => picked.has(port.port));
	assert.deepEqual(new Set(rechecked.map(port => port.test2.sends)), new Set([5]));
	const test3Rechecked = report.ports.filter(port => port.test3.attempts === 2);
	assert.deepEqual(new Set(test3Rechecked.map(port => port.test3.sends)), new Set([5]));

	const test3Rounds = events.filter(event => event.type === 'test3-rechecking');
	assert.equal(test3Rounds.length, 1);
	assert.equal(report.ports.filter(port => port.test3.attempts === 2).length, 32);
});

test('sim: losses during the first pass only: a sampled flip sends every failure to a recheck, and all end ok', async () => {
	const ports = range(20_000, 20_299);
	// Tests 1-2 only: Test 3 and its own rechecks are tested in sweep-test3.
	const sim = await simulate({
		seed: 7,
		servers: [{...goodServer, responsePort: 'drops'}],
		router: {forwards: [{from: 20_000, to: 20_299, host: pbxIp}]},
	});
	const {report, events} = await sim.run(
		{ports},
		{
			onEvent(event) {
				// Lossy from the first port on (the server probe stays clean), lossless for the rechecks.
				if (event.type === 'sweep-started') {
					sim.router.policy.loss = {outbound: 0.5, inbound: 0.5};
				}

				if (event.type === 'confirming') {
					sim.router.policy.loss = {outbound: 0, inbound: 0};
				}
			},
		},
	);
	const failed = firstPassFailures(events);
	const rounds = confirmingOf(events);
	assert.equal(report.code, 'ok', 'every port ok in the end');
	assert.ok(failed.length > 64, `the loss made more first-pass failures than one sample (${failed.length})`);
	assert.ok(rounds.length >= 2);
	assert.ok(rounds[0]!.ports.length < failed.length, 'the first round was a sample');
	assert.equal(rounds[1]!.reason, laterRoundReason);
	const rechecked = new Set(rounds.flatMap(round => round.ports));
	assert.ok(
		failed.every(port => rechecked.has(port)),
		'every first-pass failure was rechecked',
	);
	assert.equal(report.pacing.flipped, failed.length);
});

test('sim: a network that keeps changing: at most four recheck rounds, then the failures stand', async () => {
	const ports = range(20_000, 20_009);
	// Tests 1-2 only: a Test 3 run before the forwards existed would keep every port failing.
	const sim = await simulate({servers: [{...goodServer, responsePort: 'drops'}]});
	let rounds = 0;
	const {report, events} = await sim.run(
		{ports},
		{
			onEvent(event) {
				// Each round, one more port gets its forward: every round flips a verdict.
				if (event.type === 'confirming') {
					const port = 20_000 + rounds++;
					sim.router.policy.forwards.push({from: port, to: port, host: pbxIp});
				}
			},
		},
	);
	const confirming = confirmingOf(events);
	assert.equal(confirming.length, maxRecheckRounds);
	assert.deepEqual(
		confirming.map(round => round.ports.length),
		[10, 9, 8, 7],
	);
	assert.deepEqual(portsWith(report, 'ok'), range(20_000, 20_003));
	assert.deepEqual(portsWith(report, 'inbound-blocked'), range(20_004, 20_009));
	assert.equal(report.pacing.confirmed, 34);
	assert.equal(report.pacing.flipped, 4);
	// Rounds after a flip are more patient than the first: six sends.
	const lastRound = new Set(confirming.at(-1)!.ports);
	const lastFailures = report.ports.filter(port => lastRound.has(port.port) && port.status === 'fail');
	assert.ok(lastFailures.length > 0);
	assert.deepEqual(new Set(lastFailures.map(port => port.test2.sends)), new Set([6]));
});

test('sim: the same seed gives the same sweep, packet for packet', async () => {
	const once = async () => {
		const sim = await simulate({seed: 11, router: {loss: {outbound: 0.2, inbound: 0.2}}});
		const {report, events} = await sim.run({ports: range(20_000, 20_099)});
		return {report, events, now: sim.network.clock.now(), fired: sim.network.clock.fired};
	};

	const [first, second] = [await once(), await once()];
	assert.ok(first.report.pacing.confirmed > 0, 'losses made work for the rechecks');
	assert.deepEqual(second, first);
});

test('sim: without Test 3, the turn a port takes before it binds pays for its first send', async () => {
	const ports = range(20_000, 20_199);
	const sim = await simulate({
		servers: [{...goodServer, responsePort: 'drops'}],
		router: {forwards: [{from: 20_000, to: 20_199, host: pbxIp}]},
	});
	let sweepStartedAt = 0;
	// 100 packets a second: 200 ports need 400 sends (Test 1 and Test 2 each), about 4 s of
	// virtual time; a turn that did not pay for the first send would make it about 6 s.
	const {report} = await sim.run(
		{ports, rate: 100},
		{
			onEvent(event) {
				if (event.type === 'sweep-started') {
					sweepStartedAt = sim.network.clock.now();
				}
			},
		},
	);
	assert.equal(report.code, 'ok');
	const sweepMs = sim.network.clock.now() - sweepStartedAt;
	assert.ok(sweepMs < 4_800, `the sweep took ${Math.round(sweepMs)} ms of virtual time for ${report.stats.packetsSent} packets`);
});
