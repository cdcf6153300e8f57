import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Pacer} from '../../source/check/pacer.js';
import {pbxIp, range, simulate} from '../support/simulation.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';

const ports = range(30_000, 30_499);

test('sim: a router that drops bursts above 300 packets/s: the pacer slows down, and every port is still exact', async () => {
	const sim = await simulate({
		router: {forwards: [{from: 30_000, to: 30_499, host: pbxIp}], rateLimit: {perSecond: 300, burst: 20}},
	});
	const {report, events} = await sim.run({ports});
	assert.equal(report.code, 'ok');
	const {slowdowns, finalRate} = report.pacing;
	assert.ok(slowdowns.length > 0);
	assert.match(slowdowns[0]!.reason, /% of requests to the server went unanswered$/);
	// It starts at 5000 packets/s.
	assert.ok(finalRate !== null && finalRate < 5000, `final rate ${finalRate}`);
	assert.deepEqual(
		events.flatMap(event => (event.type === 'paced' ? [event.rate] : [])),
		slowdowns.map(slowdown => slowdown.rate),
	);
	assert.ok(sim.router.counters.rateLimited > 0, 'the limit did drop packets');
});

test('sim: once the limit is gone, the pacer recovers above the rate it cut to', async () => {
	const sim = await simulate({
		router: {forwards: [{from: 30_000, to: 30_499, host: pbxIp}], rateLimit: {perSecond: 150, burst: 5}},
	});
	const {report} = await sim.run(
		{ports, rate: 600},
		{
			onEvent(event) {
				if (event.type === 'paced') {
					sim.router.policy.rateLimit = undefined;
				}
			},
		},
	);
	assert.equal(report.code, 'ok');
	const {slowdowns, finalRate} = report.pacing;
	assert.equal(slowdowns.length, 1);
	assert.ok(finalRate !== null && finalRate > slowdowns[0]!.rate, `from ${slowdowns[0]!.rate} back to ${finalRate}`);
});

test('sim: silence is not congestion: closed and blocked ports never slow the pacer', async () => {
	const closed = await simulate();
	const inbound = await closed.run({ports});
	assert.equal(inbound.report.code, 'inbound-blocked');
	assert.deepEqual(inbound.report.pacing.slowdowns, []);
	assert.equal(inbound.report.pacing.finalRate, null);

	const blocked = await simulate({router: {outboundBlocked: [[30_000, 30_499]]}});
	const outbound = await blocked.run({ports});
	assert.equal(outbound.report.code, 'outbound-blocked');
	assert.deepEqual(outbound.report.pacing.slowdowns, []);
});

/**
 * Requests through a pacer in virtual time: request `index` takes `sends(index)` packets (all
 * but the last lost), then time runs on until every period is judged.
 */
const drive = async (pacer: Pacer, clock: VirtualClock, requests: number, sends: (index: number) => number) => {
	for (let request = 0; request < requests; request++) {
		const times: number[] = [];
		for (let send = 0; send < sends(request); send++) {
			await pacer.take();
			times.push(clock.now());
		}

		pacer.answered(times);
	}

	await new Promise<void>(resolve => clock.setTimeout(resolve, pacer.settleMs + 2 * pacer.periodMs));
	pacer.answered([]);
};

test('pacer in virtual time: it releases packets at its rate', async () => {
	const clock = new VirtualClock();
	const pacer = new Pacer({initialRate: 100, maxRate: 100, clock});
	await Promise.all(Array.from({length: 101}, async () => pacer.take()));
	pacer.release();
	// One token to start with, then 100 per second.
	assert.ok(clock.now() >= 990 && clock.now() <= 1020, `${clock.now()} ms`);
});

test('pacer in virtual time: what it does with a given loss', async () => {
	const rows: Array<{
		name: string;
		sends: (index: number) => number;
		rate: (rate: number) => boolean;
		cuts: (cuts: number[]) => boolean;
	}> = [
		{
			name: 'every request answered first time: slow start doubles it',
			sends: () => 1,
			rate: rate => rate >= 2000,
			cuts: cuts => cuts.length === 0,
		},
		{
			name: 'one send in six lost: neither a cut nor growth',
			sends: index => (index % 5 === 0 ? 2 : 1),
			rate: rate => rate === 1000,
			cuts: cuts => cuts.length === 0,
		},
		{name: 'one send in two lost: it cuts', sends: () => 2, rate: rate => rate < 1000, cuts: cuts => cuts.length > 0},
		{
			name: 'three sends in four lost: the first cut goes under what got through (250/s)',
			sends: () => 4,
			rate: rate => rate < 1000,
			cuts: ([first]) => first !== undefined && first <= 250 && first >= 125,
		},
	];
	for (const row of rows) {
		const clock = new VirtualClock();
		const pacer = new Pacer({initialRate: 1000, clock});
		await drive(pacer, clock, 600, row.sends);
		pacer.release();
		const cuts = pacer.slowdowns.map(slowdown => slowdown.rate);
		assert.ok(row.rate(pacer.rate), `${row.name}: rate ${pacer.rate}`);
		assert.ok(row.cuts(cuts), `${row.name}: cuts ${cuts.join(', ')}`);
	}
});

test('pacer in virtual time: sends only late (a second answer came) are not losses; lost ones still cut', async () => {
	for (const late of [true, false]) {
		const clock = new VirtualClock();
		const pacer = new Pacer({initialRate: 1000, clock});
		for (let request = 0; request < 600; request++) {
			const times: number[] = [];
			for (let send = 0; send < 2; send++) {
				await pacer.take();
				times.push(clock.now());
			}

			pacer.answered(times);
			if (late) {
				pacer.delayed(times);
			}
		}

		await new Promise<void>(resolve => clock.setTimeout(resolve, pacer.settleMs + 2 * pacer.periodMs));
		pacer.answered([]);
		pacer.release();
		assert.equal(pacer.slowdowns.length > 0, !late, late ? 'every first send was only late' : 'every first send was lost');
	}
});

test('pacer in virtual time: a pass that ends before its periods settle is judged when it ends', async () => {
	for (const lossy of [true, false]) {
		const clock = new VirtualClock();
		const pacer = new Pacer({initialRate: 1000, clock});
		// 100 requests in about 0.2 s, well inside the 0.8 s a period needs to settle.
		for (let request = 0; request < 100; request++) {
			const times: number[] = [];
			for (let send = 0; send < (lossy ? 2 : 1); send++) {
				await pacer.take();
				times.push(clock.now());
			}

			pacer.answered(times);
		}

		assert.equal(pacer.slowdowns.length, 0, 'nothing has settled yet');
		pacer.passEnded();
		pacer.release();
		assert.equal(pacer.slowdowns.length > 0, lossy, lossy ? 'half the sends were lost' : 'nothing was lost');
	}
});
