import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {SweepEvent} from '../../source/check/types.js';
import type {PortOwnerReport} from '../../source/system/port-owner.js';
import {type SimulationOptions, pbxIp, range, simulate} from '../support/simulation.js';

const ports = range(50_000, 50_199);

/**
 * Cancel when `when` says so (it may also schedule the cancel on the virtual clock), then check
 * what every cancel must leave: a cancelled report, `done` last and once, no event after it even
 * once every timer has run out, and no socket left open.
 */
const cancelled = async (
	options: SimulationOptions,
	when: (event: SweepEvent, cancel: () => void, later: (ms: number, action: () => void) => void) => void,
	setup?: (sim: Awaited<ReturnType<typeof simulate>>) => Promise<unknown>,
) => {
	const sim = await simulate(options);
	await setup?.(sim);
	const controller = new AbortController();
	const cancel = () => {
		controller.abort();
	};

	const later = (ms: number, action: () => void) => {
		sim.network.clock.setTimeout(action, ms);
	};

	const {report, events} = await sim.run(
		{ports},
		{
			signal: controller.signal,
			onEvent(event) {
				when(event, cancel, later);
			},
		},
	);
	const eventsAtReturn = events.length;
	await sim.network.clock.idle();
	assert.ok(controller.signal.aborted, 'the test did cancel');
	assert.equal(report.status, 'cancelled');
	assert.equal(report.code, 'cancelled');
	assert.equal(events.filter(event => event.type === 'done').length, 1);
	assert.equal(events.at(-1)?.type, 'done');
	assert.equal(events.length, eventsAtReturn, 'no event after done');
	assert.deepEqual(sim.leftOpen(), []);
	return {report, events};
};

test('sim: cancel while the server is being probed', async () => {
	// A server that is down keeps the probe retransmitting for seconds.
	const {report} = await cancelled(
		{servers: [{name: 'down.test', primary: '198.51.100.10', alternate: '198.51.100.11', behaviour: 'down'}]},
		(event, cancel, later) => {
			if (event.type === 'server-probing') {
				later(500, cancel);
			}
		},
	);
	assert.equal(report.server, null);
	assert.deepEqual(report.serversTried, [], 'a cancelled probe is no verdict on the server');
	assert.ok(report.ports.every(port => port.status === 'skipped' && port.message === 'Not checked: the check was cancelled.'));
});

test('sim: cancel during the first pass: the ports already decided keep their verdicts', async () => {
	let finished = 0;
	const {report, events} = await cancelled({router: {forwards: [{from: 50_000, to: 50_199, host: pbxIp}]}}, (event, cancel) => {
		if (event.type === 'port-finished' && ++finished === 20) {
			cancel();
		}
	});
	assert.equal(report.ports.filter(port => port.code === 'ok').length, 20);
	assert.equal(report.ports.filter(port => port.status === 'skipped').length, 180);
	assert.ok(!events.some(event => event.type === 'confirming'));
});

test('sim: cancel during a recheck round', async () => {
	const {report, events} = await cancelled({}, (event, cancel, later) => {
		if (event.type === 'confirming') {
			later(30, cancel);
		}
	});
	assert.equal(events.filter(event => event.type === 'confirming').length, 1);
	assert.ok(
		report.ports.every(port => port.code === 'inbound-blocked'),
		'first-pass verdicts stay',
	);
	assert.ok(report.pacing.confirmed > 0);
});

test('sim: cancel while the owner of a busy port is looked up', async () => {
	const controller = {cancel: () => undefined as void};
	let lookups = 0;
	let wait = async (_ms: number) => undefined as void;
	const options: SimulationOptions = {
		router: {forwards: [{from: 50_000, to: 50_199, host: pbxIp}]},
		async findPortOwners(busy) {
			lookups++;
			controller.cancel();
			// The lookup runs commands: it takes a while.
			await wait(200);
			const owner: PortOwnerReport = {
				port: busy[0]!,
				owner: {pid: 77, name: 'baresip'},
				runs: [],
				excerpt: '',
				userCommand: 'ss -uanp',
			};
			return new Map([[busy[0]!, owner]]);
		},
	};
	const {report} = await cancelled(
		options,
		(event, cancel) => {
			if (event.type === 'sweep-started') {
				controller.cancel = cancel;
			}
		},
		async sim => {
			wait = async ms =>
				new Promise(resolve => {
					sim.network.clock.setTimeout(resolve, ms);
				});
			return sim.holdPort(50_100);
		},
	);
	assert.equal(lookups, 1);
	assert.equal(report.ports.find(port => port.port === 50_100)?.status, 'busy');
	assert.equal(report.ports.filter(port => port.code === 'ok').length, 199);
});
