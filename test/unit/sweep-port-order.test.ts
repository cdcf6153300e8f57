import {test} from 'node:test';
import assert from 'node:assert/strict';
import {pbxIp, portsWith, range, simulate} from '../support/simulation.js';
import {watchOrder} from '../support/send-order.js';

// The order of work inside a sweep with Test 3: one socket per port, a port's Test 3 final before
// it sends, fewer sends only on a path shown lossless. Verdicts must stay exact in every case.

const fullCone = {filtering: 'endpoint-independent' as const};

type Sim = Awaited<ReturnType<typeof simulate>>;

/** How many times each PBX port was bound. */
const countBinds = (sim: Sim): Map<number, number> => {
	const binds = new Map<number, number>();
	const bind = sim.pbx.bind.bind(sim.pbx);
	sim.pbx.bind = async options => {
		binds.set(options.port, (binds.get(options.port) ?? 0) + 1);
		return bind(options);
	};

	return binds;
};

test('sim: full-cone without a forward over 2000 ports: mapping-only on every port, quick passes cut to 3 sends once shown lossless', async () => {
	const sim = await simulate({router: fullCone, socketBudget: 5000});
	const ports = range(20_000, 21_999);
	const {firstSend, lastTest3} = watchOrder(sim);
	const {report} = await sim.run({ports});
	assert.equal(report.code, 'mapping-only');
	assert.deepEqual(portsWith(report, 'mapping-only'), ports);
	for (const port of ports) {
		assert.ok(lastTest3.get(port)! < firstSend.get(port)!, `port ${port}: every Test 3, recheck included, before its first send`);
	}

	const sends = new Set(report.ports.filter(port => port.test3.attempts === 1).map(port => port.test3.sends));
	assert.deepEqual([...sends].sort(), [3, 6], 'six sends until the loss probes showed the path lossless, three after');
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: one bind per port when Test 3 passes, and when its failure stands with room to park the socket', async () => {
	const sim = await simulate({router: {...fullCone, forwards: [{from: 20_000, to: 20_099, host: pbxIp}]}});
	const binds = countBinds(sim);
	const {report} = await sim.run({ports: range(20_000, 20_199)});
	assert.deepEqual(portsWith(report, 'ok'), range(20_000, 20_099));
	assert.deepEqual(portsWith(report, 'mapping-only'), range(20_100, 20_199));
	const rechecked = new Set(
		report.ports.filter(port => port.test2.attempts > 1 || port.test1.attempts > 1).map(port => port.port),
	);
	for (const port of range(20_000, 20_199)) {
		// A slow recheck of Tests 1-2 binds once more; nothing else does.
		assert.equal(binds.get(port), rechecked.has(port) ? 2 : 1, `port ${port}`);
	}

	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: a window of 16: parked sockets are closed to make room, yet every Test 3 is final before its port sends', async () => {
	const sim = await simulate({router: {...fullCone, forwards: [{from: 20_050, to: 20_149, host: pbxIp}]}});
	const {firstSend, lastTest3} = watchOrder(sim);
	const binds = countBinds(sim);
	const ports = range(20_000, 20_199);
	const {report} = await sim.run({ports, window: 16});
	assert.deepEqual(portsWith(report, 'ok'), range(20_050, 20_149));
	assert.deepEqual(portsWith(report, 'mapping-only'), [...range(20_000, 20_049), ...range(20_150, 20_199)]);
	for (const port of ports) {
		assert.ok(lastTest3.get(port)! < firstSend.get(port)!, `port ${port}`);
	}

	assert.ok(
		[...binds.values()].some(count => count > 1),
		'with so little room some failed ports bound again for Tests 1-2',
	);
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: a lossy path is never shown lossless: quick passes keep six sends, and every verdict is exact', async () => {
	const sim = await simulate({
		seed: 5,
		router: {...fullCone, forwards: [{from: 20_000, to: 20_299, host: pbxIp}], loss: {outbound: 0.05, inbound: 0.05}},
		socketBudget: 5000,
	});
	const {report} = await sim.run({ports: range(20_000, 20_599)});
	assert.deepEqual(portsWith(report, 'ok'), range(20_000, 20_299));
	assert.deepEqual(portsWith(report, 'mapping-only'), range(20_300, 20_599));
	const quickFailures = report.ports.filter(port => port.test3.outcome === 'fail' && port.test3.attempts === 1);
	assert.ok(quickFailures.length > 0);
	assert.ok(
		quickFailures.every(port => port.test3.sends === 6),
		'no Test 3 failure after fewer than six sends',
	);
});
