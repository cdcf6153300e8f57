import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {SweepEvent} from '../../source/check/types.js';
import {type ReportJson, toJson} from '../../source/report/json.js';
import {toMarkdown} from '../../source/report/markdown.js';
import {formatSummary} from '../../source/report/plain.js';
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

test('sim: cancel during a recheck round: failures not yet rechecked read as cancelled, their findings kept', async () => {
	const {report, events} = await cancelled({}, (event, cancel, later) => {
		if (event.type === 'confirming') {
			later(30, cancel);
		}
	});
	assert.equal(events.filter(event => event.type === 'confirming').length, 1);
	const first = events.flatMap(event => (event.type === 'port-finished' ? [event.result] : []));
	assert.ok(first.length > 0 && first.every(result => result.code === 'inbound-blocked'), 'the first pass failed them all');
	const unconfirmed = report.ports.filter(port => port.code === 'cancelled');
	assert.ok(unconfirmed.length > 0, 'the cancel came before most rechecks');
	for (const port of report.ports) {
		if (port.code === 'cancelled') {
			assert.equal(port.status, 'skipped');
			assert.equal(port.provisional?.code, 'inbound-blocked', 'what its tests found is kept');
			assert.match(
				port.provisional.detail,
				/^Test 2 failed once, not rechecked: the check was cancelled before it could confirm\.$/,
			);
			assert.equal(port.test2.outcome, 'fail');
			assert.equal(port.test1.outcome, 'pass');
		} else {
			// Only a failure a slow recheck looked at stands.
			assert.equal(port.code, 'inbound-blocked');
			assert.ok(port.test1.attempts >= 2, `port ${port.port} was rechecked`);
		}
	}

	assert.ok(report.pacing.confirmed > 0);
});

test('sim: cancel while Test 3 failures are rechecked: each port says what was and was not done', async () => {
	const {report} = await cancelled({}, (event, cancel, later) => {
		if (event.type === 'test3-rechecking') {
			later(30, cancel);
		}
	});
	assert.ok(
		report.ports.every(port => port.status !== 'fail'),
		'nothing unconfirmed reads as a failure',
	);
	const waiting = report.ports.filter(port => port.provisional?.detail.startsWith('Test 3 failed once'));
	assert.ok(waiting.length > 0);
	for (const port of waiting) {
		assert.equal(port.code, 'cancelled');
		assert.equal(port.provisional!.code, null, 'Test 3 alone points to no verdict');
		assert.equal(port.test3.outcome, 'fail');
		assert.equal(port.test1.outcome, 'skipped');
		assert.equal(
			port.provisional!.detail,
			'Test 3 failed once, not rechecked, and Tests 1 and 2 did not run: the check was cancelled before it could confirm.',
		);
	}
});

for (const [name, router] of [
	['open', {forwards: [{from: 2000, to: 3999, host: pbxIp}]}],
	['closed', {}],
] as const) {
	test(`sim: a cancel at --rate 20 ends at once, not when the pacer has let every waiting send go (${name})`, async () => {
		const sim = await simulate({router: {...router, forwards: [...(router.forwards ?? [])]}});
		const controller = new AbortController();
		let cancelledAt = 0;
		sim.network.clock.setTimeout(() => {
			cancelledAt = sim.network.clock.now();
			controller.abort();
		}, 5000);
		const {report} = await sim.run({ports: range(2000, 3999), rate: 20}, {signal: controller.signal});
		const endedAfter = sim.network.clock.now() - cancelledAt;
		assert.equal(report.status, 'cancelled');
		// Virtual time: before, the pacer's queue of waiting ports took a minute to drain at 20/s.
		assert.ok(endedAfter < 1000, `ended ${endedAfter} ms after the cancel`);
		await sim.network.clock.idle();
		assert.deepEqual(sim.leftOpen(), []);
	});
}

test('sim: a SIP check the cancel cuts short is no failure', async () => {
	const controller = new AbortController();
	const sim = await simulate({router: {forwards: [{from: 50_000, to: 50_199, host: pbxIp}]}, services: {}});
	const {report} = await sim.run(
		{ports, services: {sip: true, sipPort: 5060, tcp: []}},
		{
			signal: controller.signal,
			onEvent(event) {
				if (event.type === 'services-started') {
					sim.network.clock.setTimeout(() => {
						controller.abort();
					}, 5);
				}
			},
		},
	);
	assert.equal(report.status, 'cancelled');
	const checks = [report.sip?.udp, report.sip?.tcp, report.sipService?.udp, report.sipService?.tcp];
	assert.ok(
		checks.every(check => check !== undefined && check.status !== 'fail'),
		JSON.stringify(checks),
	);
	assert.ok(checks.some(check => check?.code === 'cancelled'));
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

test('sim: a report cancelled before rechecks: plain, Markdown and JSON say cancelled, not failed, and keep the findings', async () => {
	const {report} = await cancelled({}, (event, cancel, later) => {
		if (event.type === 'confirming') {
			later(30, cancel);
		}
	});
	const unconfirmed = report.ports.filter(port => port.provisional).length;
	assert.ok(unconfirmed > 0);
	const plain = formatSummary(report).join('\n');
	assert.match(plain, /^■ cancelled: /m);
	assert.match(
		plain,
		new RegExp(`${unconfirmed} ports were part way through \\(${unconfirmed} with a failure not yet rechecked\\)`),
	);
	assert.doesNotMatch(plain, /static forward|What to do \(inbound-blocked\)/);
	const markdown = toMarkdown(report);
	assert.match(markdown, /with a failure not yet rechecked/);
	assert.doesNotMatch(markdown, /static forward/);
	const json = JSON.parse(toJson(report)) as ReportJson;
	const port = json.ports.find(entry => entry.provisional)!;
	assert.equal(port.code, 'cancelled');
	assert.equal(port.status, 'skipped');
	assert.deepEqual(Object.keys(port.provisional!), ['code', 'detail']);
	assert.equal(port.provisional!.code, 'inbound-blocked');
	assert.equal(port.inbound, 'fail', 'the outcome of Test 2 so far is kept');
});
