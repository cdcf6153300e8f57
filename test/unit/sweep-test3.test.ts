import {test} from 'node:test';
import assert from 'node:assert/strict';
import {noTest3Sentence, verdict} from '../../source/check/verdicts.js';
import type {SweepEvent} from '../../source/check/types.js';
import type {ResponsePortBehaviour} from '../../source/sim/virtual-stun-server.js';
import {goodServer, pbxIp, portsWith, range, simulate} from '../support/simulation.js';
import {watchOrder} from '../support/send-order.js';
import {createPlainReporter} from '../../source/report/plain.js';

const ports = range(10_000, 10_099);
const fullCone = {filtering: 'endpoint-independent' as const};

test('sim: full-cone NAT without a forward: Tests 1 and 2 pass through the mapping, Test 3 fails: mapping-only', async () => {
	const sim = await simulate({router: fullCone});
	const {report, events} = await sim.run({ports});
	assert.equal(report.code, 'mapping-only');
	assert.equal(report.status, 'fail');
	assert.equal(report.server?.responsePort, true);
	assert.deepEqual(report.notes, []);
	assert.ok(
		report.ports.every(port => port.test1.outcome === 'pass' && port.test2.outcome === 'pass' && port.test3.outcome === 'fail'),
	);
	assert.ok(
		report.ports.every(
			port =>
				port.test3.outcome === 'fail' && port.test3.sends >= (port.test3.attempts === 2 ? 5 : 3) && port.test3.from === null,
		),
	);
	const checklist = verdict('mapping-only').remediation({ports: '10000-10099', pbxAddress: pbxIp});
	assert.match(checklist[0]!, /static forward/);
	const rechecks = events.filter(event => event.type === 'test3-rechecking');
	assert.equal(rechecks.length, 1, 'the failed Test 3s were rechecked (a sample: they are many and alike)');
	const sampled = report.ports.filter(port => port.test3.attempts === 2).length;
	assert.equal(sampled, 32);
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: a 1:1 forward on a full-cone NAT: Test 3 answered on the port from the second address: ok', async () => {
	const sim = await simulate({router: {...fullCone, forwards: [{from: 10_000, to: 10_049, host: pbxIp}]}});
	const {report} = await sim.run({ports});
	assert.deepEqual(portsWith(report, 'ok'), range(10_000, 10_049));
	assert.deepEqual(portsWith(report, 'mapping-only'), range(10_050, 10_099));
	const forwarded = report.ports[0]!;
	assert.equal(forwarded.test3.outcome, 'pass');
	// From the second IP at the primary port: a source neither Test 1 nor Test 2 uses, so a
	// router's state for a failed Test 3 (Linux keeps an unreplied conntrack entry) cannot swallow Test 2.
	assert.equal(forwarded.test3.from, '198.51.100.2:3478');
	assert.equal(forwarded.test2.from, '198.51.100.2:3479');
	assert.equal(forwarded.test1.from, '198.51.100.1:3478');
});

test('sim: a port-restricted NAT without a forward: Test 2 and Test 3 both fail: inbound-blocked', async () => {
	const sim = await simulate();
	const {report} = await sim.run({ports: range(10_000, 10_009)});
	assert.equal(report.code, 'inbound-blocked');
	assert.ok(report.ports.every(port => port.test3.outcome === 'fail' && port.test2.outcome === 'fail'));
});

test('sim: every Test 3 request leaves from a control socket, before the port it names has sent anything', async () => {
	const sim = await simulate({router: fullCone});
	const {firstSend, lastTest3, test3Sources} = watchOrder(sim);
	const {report} = await sim.run({ports: range(10_000, 10_019)});
	assert.equal(report.code, 'mapping-only');
	assert.ok(test3Sources.size > 0);
	assert.ok(![...test3Sources].some(port => ports.includes(port)), 'never from a checked port');
	for (const port of range(10_000, 10_019)) {
		assert.ok(lastTest3.get(port)! < firstSend.get(port)!, `port ${port}: Test 3 before its first send`);
	}
});

test('sim: servers that do not honour RESPONSE-PORT give Tests 1-2 only, said plainly, never a Test 3 failure', async () => {
	const behaviours: ResponsePortBehaviour[] = ['drops', 'ignores', 'refuses'];
	for (const responsePort of behaviours) {
		const sim = await simulate({router: fullCone, servers: [{...goodServer, responsePort}]});
		const {report} = await sim.run({ports: range(10_000, 10_019)});
		assert.equal(report.code, 'ok', `${responsePort}: what Tests 1-2 can see`);
		assert.equal(report.server?.responsePort, false, responsePort);
		assert.equal(report.notes.length, 1, responsePort);
		assert.ok(report.notes[0]!.startsWith(noTest3Sentence), responsePort);
		assert.ok(
			report.ports.every(port => port.test3.outcome === 'skipped' && port.test3.sends === 0),
			responsePort,
		);
		assert.deepEqual(sim.leftOpen(), [], responsePort);
	}
});

test('sim: a server that can run Test 3 is preferred over an earlier one that cannot', async () => {
	const stundLike = {name: 'stund.test', primary: '198.51.100.7', alternate: '198.51.100.8', responsePort: 'drops' as const};
	const sim = await simulate({router: fullCone, servers: [stundLike, goodServer]});
	const {report, events} = await sim.run({ports: range(10_000, 10_009)});
	assert.equal(report.server?.host, 'stun.test');
	assert.equal(report.server?.responsePort, true);
	assert.equal(report.code, 'mapping-only');
	const ready = events.filter((event): event is Extract<SweepEvent, {type: 'server-ready'}> => event.type === 'server-ready');
	assert.deepEqual(
		ready.map(event => event.server.host),
		['stun.test'],
	);
});

test('sim: losses during Test 3 are rechecked slowly before a failure stands', async () => {
	const sim = await simulate({
		seed: 3,
		router: {...fullCone, forwards: [{from: 10_000, to: 10_099, host: pbxIp}]},
	});
	const {report, events} = await sim.run(
		{ports},
		{
			onEvent(event) {
				// Lossy from the first Test 3 to the first recheck.
				if (event.type === 'test3-started') {
					sim.router.policy.loss = {outbound: 0.5, inbound: 0.5};
				}

				if (event.type === 'test3-rechecking') {
					sim.router.policy.loss = {outbound: 0, inbound: 0};
				}
			},
		},
	);
	assert.ok(
		events.some(event => event.type === 'test3-rechecking'),
		'the loss failed some Test 3s',
	);
	assert.equal(report.code, 'ok', 'every port ok once rechecked');
	assert.ok(report.ports.some(port => port.test3.attempts === 2));
});

test("sim: a second check within the mapping lifetime: Test 3 passes through the first one's mappings, and the report says so", async () => {
	const lifetime = 60_000;
	const sim = await simulate({router: {...fullCone, mappingLifetimeMs: lifetime}});
	const checked = range(10_000, 10_019);
	const first = await sim.run({ports: checked});
	assert.equal(first.report.code, 'mapping-only');
	assert.deepEqual(first.report.notes, []);

	const second = await sim.run({ports: checked});
	assert.equal(second.report.code, 'ok', 'what the wire shows: the old mappings let Test 3 in');
	assert.ok(second.report.ports.every(port => port.notes.some(note => note.includes('may read ok without a forward'))));
	assert.equal(second.report.notes.length, 1);
	assert.match(
		second.report.notes[0]!,
		/Test 3 passed on 20 ports \(10000-10019\) that a check from this host used \d+ s earlier/,
	);

	// Once the mappings (and the remembered check) are older than their lifetimes, Test 3 is exact again.
	await new Promise<void>(resolve => {
		sim.network.clock.setTimeout(resolve, 5 * 60 * 1000);
	});
	const third = await sim.run({ports: checked});
	assert.equal(third.report.code, 'mapping-only');
	assert.deepEqual(third.report.notes, []);
});

test('sim: an earlier check of other ports, or a real forward failing nothing, adds no stale note', async () => {
	const sim = await simulate({router: {...fullCone, forwards: [{from: 10_000, to: 10_009, host: pbxIp}]}});
	await sim.run({ports: range(10_010, 10_019)});
	const {report} = await sim.run({ports: range(10_000, 10_009)});
	assert.equal(report.code, 'ok');
	assert.deepEqual(report.notes, []);
});

test("sim: a busy port is reported at once, not after every other port's Test 3 has been confirmed", async () => {
	// Forwarded, so each port goes on to Tests 1-2 as soon as its Test 3 passes.
	const sim = await simulate({router: {...fullCone, forwards: [{from: 10_000, to: 10_099, host: pbxIp}]}});
	await sim.holdPort(10_005);
	// A low rate, as in the TUI's end-to-end test: every other port queues for the pacer.
	const {report, events} = await sim.run({ports: range(10_000, 10_099), rate: 40});
	assert.equal(report.ports.find(port => port.port === 10_005)?.code, 'port-in-use');
	const busyAt = events.findIndex(event => event.type === 'port-finished' && event.result.port === 10_005);
	const test3Done = events.findIndex(event => event.type === 'test3-finished');
	assert.ok(busyAt >= 0 && busyAt < test3Done, `busy verdict at event ${busyAt}, Test 3 finished at ${test3Done}`);
	// Among the first ports finished, not behind every port queued for its turn.
	const tenthOk = events.filter(event => event.type === 'port-finished').findIndex(event => event.result.port === 10_015);
	const busyRank = events.filter(event => event.type === 'port-finished').findIndex(event => event.result.port === 10_005);
	assert.ok(busyRank < tenthOk, `busy verdict ${busyRank}th, port 10015 ${tenthOk}th`);
	// Probed once by Tests 1-2 (this simulation's owner lookup finds nobody, so no second event).
	assert.equal(events.filter(event => event.type === 'port-finished' && event.result.port === 10_005).length, 1);
});

test("sim: a closed range: each chunk's Test 3 failures are rechecked, and its ports go on to Tests 1-2, while later chunks still run their quick Test 3", async () => {
	const sim = await simulate();
	const ports = range(20_000, 21_499);
	const {report, events} = await sim.run({ports});
	assert.equal(report.code, 'inbound-blocked');
	const rechecks = events.flatMap(event => (event.type === 'test3-rechecking' ? [event] : []));
	// Three chunks of 500, a sample of 32 from each, drawn from that chunk only.
	assert.equal(rechecks.length, 3);
	for (const [index, round] of rechecks.entries()) {
		const chunk = new Set(ports.slice(index * 500, index * 500 + 500));
		assert.equal(round.ports.length, 32);
		assert.ok(
			round.ports.every(port => chunk.has(port)),
			`round ${index} stays in its chunk`,
		);
	}

	// The first chunk's ports start Tests 1-2 before the whole pass is done (one recheck at the
	// end of the pass would hold them until the last chunk's failures stood).
	const firstChunk = new Set(ports.slice(0, 500));
	const firstStarted = events.findIndex(event => event.type === 'port-started' && firstChunk.has(event.port));
	const test3Done = events.findIndex(event => event.type === 'test3-finished');
	assert.ok(
		firstStarted >= 0 && firstStarted < test3Done,
		`first chunk started at event ${firstStarted}, Test 3 done at ${test3Done}`,
	);
	// The plain progress says which part of the range each recheck is in.
	const lines: string[] = [];
	const plain = createPlainReporter({servers: [], ports}, line => lines.push(line));
	for (const event of events) {
		plain(event);
	}

	const spans = lines.flatMap(line => /Test 3: rechecking.*: 32 ports in (\d+)-(\d+)$/.exec(line)?.slice(1).map(Number) ?? []);
	assert.equal(spans.length, 6, lines.join('\n'));
	for (let index = 0; index < 3; index++) {
		const [low, high] = spans.slice(index * 2, index * 2 + 2);
		assert.ok(low! >= 20_000 + index * 500 && high! <= 20_499 + index * 500, `line ${index}: ${low}-${high}`);
	}

	// Still no port sent before its own chunk's failures stood: every Test 3 request went out first.
	assert.ok(report.ports.every(port => port.test3.outcome === 'fail'));
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: each Test 3 is told as it comes, before that port starts Tests 1-2, rechecks with their attempt', async () => {
	const sim = await simulate({router: {...fullCone, forwards: [{from: 10_000, to: 10_049, host: pbxIp}]}});
	const {report, events} = await sim.run({ports});
	const told = events.flatMap(event => (event.type === 'test3-port' ? [event] : []));
	for (const result of report.ports) {
		const mine = told.filter(event => event.port === result.port);
		assert.equal(mine[0]?.attempt, 1, `${result.port}: its quick Test 3 is told`);
		// The last one told is the outcome the report keeps.
		assert.equal(mine.at(-1)?.outcome, result.test3.outcome, `${result.port}`);
		assert.equal(mine.length, result.test3.attempts, `${result.port}: one event per Test 3`);
		const firstTold = events.findIndex(event => event.type === 'test3-port' && event.port === result.port);
		const started = events.findIndex(event => event.type === 'port-started' && event.port === result.port);
		assert.ok(firstTold >= 0 && firstTold < started, `${result.port}: Test 3 told at ${firstTold}, Tests 1-2 at ${started}`);
	}

	assert.ok(
		told.some(event => event.attempt === 2 && event.outcome === 'fail'),
		'a recheck is told with its attempt',
	);
});
