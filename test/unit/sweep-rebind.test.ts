// A port the check closed and binds again (a recheck) may be refused for a moment while a program
// forked beside the sweep still holds a copy of its socket: measured on Linux, the kernel answers
// EADDRINUSE then. The sweep tries again briefly; a port another program took stays busy.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sweep} from '../../source/check/sweep.js';
import type {EngineEnvironment} from '../../source/check/environment.js';
import type {CheckConfig} from '../../source/check/types.js';
import {pbxIp, range, simulate} from '../support/simulation.js';

/** The sim's PBX, whose binds of `port` after its first are refused `refusals(n)` times, n counting them. */
const refusingRebinds = (environment: EngineEnvironment, port: number, refuse: (rebind: number) => boolean) => {
	let binds = 0;
	const udp: EngineEnvironment['udp'] = async options => {
		if (options.port === port && binds++ > 0 && refuse(binds - 1)) {
			return {ok: false, code: 'in-use', detail: `bind EADDRINUSE 0.0.0.0:${port}`};
		}

		return environment.udp(options);
	};

	return {environment: {...environment, udp}, binds: () => binds};
};

// A --public-ip the router does not use: every port fails with address-mismatch and is rechecked,
// each recheck binding its port again.
const run = async (refuse: (rebind: number) => boolean) => {
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9004, host: pbxIp}]}});
	const {environment, binds} = refusingRebinds(sim.environment, 9003, refuse);
	const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(9000, 9004), publicIp: '203.0.113.99'};
	const report = await sweep(config, {signal: new AbortController().signal, environment, onEvent() {}});
	return {report, binds: binds(), leftOpen: sim.leftOpen()};
};

test('a rebind refused for a moment (a forked program still holds the socket): tried again, verdict unchanged', async () => {
	const {report, binds, leftOpen} = await run(rebind => rebind === 1);
	assert.deepEqual(
		report.ports.map(port => [port.port, port.code]),
		range(9000, 9004).map(port => [port, 'address-mismatch']),
	);
	assert.equal(report.ports.find(port => port.port === 9003)?.test2.attempts, 2, 'the recheck ran on 9003');
	assert.ok(binds >= 3, `9003 bound ${binds} times: first, refused, again`);
	assert.deepEqual(leftOpen, []);
});

test('a port another program took between two binds stays busy, after a bounded number of tries', async () => {
	const {report, binds, leftOpen} = await run(() => true);
	assert.equal(report.ports.find(port => port.port === 9003)?.code, 'port-in-use');
	assert.deepEqual(
		report.ports.filter(port => port.port !== 9003).map(port => port.code),
		Array.from({length: 4}, () => 'address-mismatch'),
	);
	// The first bind, the refused rebind, and four tries after it.
	assert.equal(binds, 6);
	assert.deepEqual(leftOpen, []);
});

test('a port busy at its first bind is not tried again: it was never this check’s', async () => {
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9004, host: pbxIp}]}});
	await sim.holdPort(9002);
	let tries = 0;
	const udp: EngineEnvironment['udp'] = async options => {
		if (options.port === 9002) tries++;
		return sim.environment.udp(options);
	};

	const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(9000, 9004)};
	const report = await sweep(config, {
		signal: new AbortController().signal,
		environment: {...sim.environment, udp},
		onEvent() {},
	});
	assert.equal(report.ports.find(port => port.port === 9002)?.code, 'port-in-use');
	// Test 3's bind and Tests 1-2's, each once: no waiting on a port another program holds.
	assert.equal(tries, 2);
});
