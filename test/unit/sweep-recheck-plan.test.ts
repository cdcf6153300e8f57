import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	firstRecheck,
	firstRoundReason,
	laterRoundReason,
	maxRecheckRounds,
	nextRecheck,
	recheckRate,
	sampleSize,
	spreadSample,
	test3Chunks,
} from '../../source/check/recheck-plan.js';
import {range} from '../support/simulation.js';

const failures = (code: string, ports: number[]) => ports.map(port => ({port, code}));

test('recheck plan: the first round, by how many failures of each kind', () => {
	const rows: Array<{name: string; input: Array<{port: number; code: string}>; ports: number; held: number}> = [
		{name: 'a few', input: failures('inbound-blocked', range(1, 5)), ports: 5, held: 0},
		{name: 'exactly the sample size', input: failures('inbound-blocked', range(1, sampleSize)), ports: 32, held: 0},
		{name: 'one more than the sample size', input: failures('inbound-blocked', range(1, sampleSize + 1)), ports: 32, held: 1},
		{
			name: 'many of one kind, a few of another',
			input: [...failures('inbound-blocked', range(1, 100)), ...failures('outbound-blocked', range(200, 202))],
			ports: 35,
			held: 68,
		},
		{
			name: 'two large kinds, each sampled',
			input: [...failures('inbound-blocked', range(1, 100)), ...failures('port-translated', range(1000, 1099))],
			ports: 64,
			held: 136,
		},
	];
	for (const row of rows) {
		const plan = firstRecheck(row.input);
		assert.ok(plan, row.name);
		assert.equal(plan.round, 1);
		assert.equal(plan.reason, firstRoundReason);
		assert.equal(plan.ports.length, row.ports, row.name);
		assert.equal(plan.held.length, row.held, row.name);
		const all = new Set(row.input.map(failure => failure.port));
		assert.equal(new Set([...plan.ports, ...plan.held]).size, all.size, `${row.name}: every failure is rechecked or held`);
		assert.ok([...plan.ports, ...plan.held].every(port => all.has(port)));
	}

	assert.equal(firstRecheck([]), undefined, 'nothing failed: no recheck');
});

test('recheck plan: small kinds come first, in full; a sample spans its whole kind', () => {
	const plan = firstRecheck([...failures('inbound-blocked', range(1, 100)), ...failures('outbound-blocked', [500, 501])])!;
	assert.deepEqual(plan.ports.slice(0, 2), [500, 501]);
	const sample = plan.ports.slice(2);
	assert.equal(sample[0], 1);
	assert.equal(sample.at(-1), 100);
	const gaps = sample.slice(1).map((port, index) => port - sample[index]!);
	assert.ok(
		gaps.every(gap => gap >= 3 && gap <= 4),
		`evenly spread: ${gaps.join(',')}`,
	);
	assert.deepEqual(spreadSample([7, 8, 9], 32), [7, 8, 9], 'never more ports than there are');
});

test('recheck plan: the next round, from what the last one changed', () => {
	const round1 = {round: 1, ports: [1, 2, 3], reason: firstRoundReason, held: [10, 11]};
	const rows: Array<{name: string; previous: typeof round1; flipped: number; stillFailing: number[]; next?: number[]}> = [
		{name: 'nothing flipped: the failures stand', previous: round1, flipped: 0, stillFailing: [1, 2, 3]},
		{
			name: 'a flip: the held ports and those still failing',
			previous: round1,
			flipped: 1,
			stillFailing: [2, 3],
			next: [10, 11, 2, 3],
		},
		{name: 'a flip and nothing left', previous: {...round1, held: []}, flipped: 3, stillFailing: []},
		{
			name: 'a later round: only those still failing',
			previous: {...round1, round: 2, held: []},
			flipped: 1,
			stillFailing: [3],
			next: [3],
		},
		{name: 'the last round: the failures stand', previous: {...round1, round: maxRecheckRounds}, flipped: 2, stillFailing: [3]},
	];
	for (const row of rows) {
		const next = nextRecheck(row.previous, {flipped: row.flipped, stillFailing: row.stillFailing});
		if (row.next) {
			assert.ok(next, row.name);
			assert.deepEqual(next.ports, row.next, row.name);
			assert.equal(next.round, row.previous.round + 1);
			assert.equal(next.reason, laterRoundReason);
			assert.deepEqual(next.held, []);
		} else {
			assert.equal(next, undefined, row.name);
		}
	}
});

test('recheck plan: each round at half the rate of the one before, within the cap and the floor', () => {
	const rows: Array<[round: number, limits: {configRate?: number; currentRate: number}, rate: number]> = [
		[1, {currentRate: 5000}, 1000],
		[2, {currentRate: 5000}, 500],
		[3, {currentRate: 5000}, 250],
		[4, {currentRate: 5000}, 125],
		[1, {configRate: 300, currentRate: 5000}, 300],
		[1, {currentRate: 180}, 180],
		[3, {currentRate: 180}, 45],
		[4, {configRate: 100, currentRate: 5000}, 20],
		[1, {currentRate: 5}, 20],
	];
	for (const [round, limits, rate] of rows) {
		assert.equal(recheckRate(round, limits), rate, `round ${round} ${JSON.stringify(limits)}`);
	}
});

test("recheck plan: Test 3's chunks, in sweep order, at least 500 ports, at most 8", () => {
	const rows: Array<{ports: number; sizes: number[]}> = [
		{ports: 1, sizes: [1]},
		{ports: 500, sizes: [500]},
		{ports: 501, sizes: [500, 1]},
		{ports: 2000, sizes: [500, 500, 500, 500]},
		{ports: 10_001, sizes: [1251, 1251, 1251, 1251, 1251, 1251, 1251, 1244]},
	];
	for (const row of rows) {
		const ports = range(20_000, 20_000 + row.ports - 1).reverse();
		const chunks = test3Chunks(ports);
		assert.deepEqual(
			chunks.map(chunk => chunk.length),
			row.sizes,
			`${row.ports} ports`,
		);
		assert.deepEqual(chunks.flat(), ports, 'every port once, in the order given');
	}

	assert.deepEqual(test3Chunks([]), []);
});
