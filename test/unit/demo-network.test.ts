// The demo's simulated network: the faulty router's plan for any port list, and the real sweep on
// it giving every kind of verdict (in virtual time here; the CLI runs it in real time).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sweep} from '../../source/check/sweep.js';
import {planFaults, startSimulatedDemo} from '../../source/sim/demo-network.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';

const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, index) => from + index);

test('the fault plan covers every port exactly once, whatever the list', () => {
	for (const ports of [range(9000, 10_999), range(9000, 9004), [5060, 9000, 9001, 12_000], [7], [], [9001, 9000, 9000]]) {
		const plan = planFaults(ports);
		const parts = [plan.forwarded, plan.translated, plan.fullCone, plan.unforwarded, plan.outboundBlocked];
		const all = parts.flat().sort((a, b) => a - b);
		assert.deepEqual(
			all,
			[...new Set(ports)].sort((a, b) => a - b),
			String(ports.slice(0, 5)),
		);
		assert.ok(
			plan.busy.every(port => plan.forwarded.includes(port)),
			'the busy port is a forwarded one, so only the holder explains it',
		);
	}

	const plan = planFaults(range(9000, 10_999));
	assert.equal(plan.forwarded.length, 999);
	assert.deepEqual(plan.translated, [9999]);
	assert.deepEqual(plan.busy, [9001]);
	assert.equal(plan.fullCone[0], 10_000);
	assert.equal(plan.unforwarded[0], 10_250);
	assert.equal(plan.outboundBlocked[0], 10_500);
});

const run = async (ports: number[], faults: boolean) => {
	const demo = await startSimulatedDemo(ports, {faults, clock: new VirtualClock()});
	try {
		return await sweep(
			{ports, servers: demo.servers},
			{signal: new AbortController().signal, onEvent: () => undefined, environment: demo.environment},
		);
	} finally {
		await demo.close();
	}
};

test('--demo --faults: the real sweep on the faulty router gives six kinds of verdict, where the plan puts them', async () => {
	const ports = range(9000, 9039);
	const plan = planFaults(ports);
	const report = await run(ports, true);
	assert.equal(report.status, 'fail');
	const codeOf = new Map(report.ports.map(result => [result.port, result.code]));
	for (const port of plan.forwarded.filter(each => !plan.busy.includes(each))) {
		assert.equal(codeOf.get(port), 'ok', `port ${port}`);
	}

	assert.equal(codeOf.get(plan.busy[0]!), 'port-in-use');
	assert.equal(report.ports.find(result => result.port === plan.busy[0])?.owner?.name, 'asterisk');
	assert.equal(codeOf.get(plan.translated[0]!), 'port-translated');
	assert.ok(plan.fullCone.length > 0);
	for (const port of plan.fullCone) {
		assert.equal(codeOf.get(port), 'mapping-only', `port ${port}`);
	}

	for (const port of plan.unforwarded) {
		assert.equal(codeOf.get(port), 'inbound-blocked', `port ${port}`);
	}

	for (const port of plan.outboundBlocked) {
		assert.equal(codeOf.get(port), 'outbound-blocked', `port ${port}`);
	}
});

test('the demo without faults forwards every port: all ok', async () => {
	const report = await run(range(9000, 9009), false);
	assert.equal(report.status, 'pass');
	assert.equal(report.publicAddress, '203.0.113.1');
});
