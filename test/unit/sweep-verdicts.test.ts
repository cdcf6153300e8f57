import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Method, decodeMessage, encodeMessage} from '../../source/stun/index.js';
import type {PortOwnerReport} from '../../source/system/port-owner.js';
import type {FilteringPolicy} from '../../source/sim/nat-router.js';
import {pbxIp, portsWith, publicIp, range, simulate} from '../support/simulation.js';

const ports = range(10_000, 10_099);
const forwardAll = [{from: 10_000, to: 10_099, host: pbxIp}];

test('sim: a 1:1 forward of the whole range: every port ok, Test 2 answered from the second IP', async () => {
	const sim = await simulate({router: {forwards: forwardAll}});
	const {report, events} = await sim.run({ports});
	assert.equal(report.status, 'pass');
	assert.equal(report.code, 'ok');
	assert.deepEqual(portsWith(report, 'ok'), ports);
	assert.equal(report.publicAddress, publicIp);
	assert.equal(report.localAddress, pbxIp);
	assert.deepEqual(report.server, {
		host: 'stun.test',
		address: '198.51.100.1:3478',
		otherAddress: '198.51.100.2:3479',
		responsePort: true,
	});
	assert.ok(report.ports.every(port => port.test3.outcome === 'pass' && port.test3.from === '198.51.100.2:3478'));
	assert.ok(report.ports.every(port => port.test2.from === '198.51.100.2:3479' && port.mapped === `${publicIp}:${port.port}`));
	assert.equal(report.pacing.confirmed, 0, 'nothing failed, nothing rechecked');
	assert.deepEqual(
		events
			.filter(event => event.type !== 'port-started' && event.type !== 'port-finished' && event.type !== 'test3-port')
			.map(event => event.type),
		['server-probing', 'server-ready', 'sweep-started', 'test3-started', 'test3-finished', 'done'],
	);
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: without a forward, the NAT filter decides: only endpoint-independent filtering lets Test 2 in (not Test 3)', async () => {
	const rows: Array<[FilteringPolicy, string]> = [
		['endpoint-independent', 'mapping-only'],
		['address-dependent', 'inbound-blocked'],
		['address-and-port-dependent', 'inbound-blocked'],
	];
	for (const [filtering, code] of rows) {
		const sim = await simulate({router: {filtering}});
		const {report} = await sim.run({ports});
		assert.equal(report.code, code, filtering);
		assert.ok(
			report.ports.every(port => port.test1.outcome === 'pass' && port.mapped === `${publicIp}:${port.port}`),
			`${filtering}: Test 1 passes, the port kept`,
		);
		assert.deepEqual(sim.leftOpen(), []);
	}
});

test('sim: a symmetric NAT changes the port: port-translated, even when Test 2 gets in', async () => {
	for (const filtering of ['endpoint-independent', 'address-and-port-dependent'] as const) {
		const sim = await simulate({router: {mapping: 'symmetric', filtering}});
		const {report} = await sim.run({ports});
		assert.equal(report.code, 'port-translated', filtering);
		assert.ok(report.ports.every(port => port.mapped?.startsWith(`${publicIp}:`) && port.mapped !== `${publicIp}:${port.port}`));
	}
});

test('sim: outbound dropped for some ports: outbound-blocked on exactly those, every one rechecked', async () => {
	const sim = await simulate({router: {forwards: forwardAll, outboundBlocked: [[10_010, 10_019]]}});
	const {report} = await sim.run({ports});
	assert.equal(report.code, 'some-failed');
	assert.equal(report.status, 'fail');
	assert.deepEqual(portsWith(report, 'outbound-blocked'), range(10_010, 10_019));
	assert.deepEqual(portsWith(report, 'ok').length, 90);
	assert.equal(report.pacing.confirmed, 10, 'ten failures: all rechecked, no sample');
	assert.equal(report.pacing.flipped, 0);
	const blocked = report.ports.find(port => port.port === 10_010)!;
	assert.equal(blocked.test1.attempts, 2);
	assert.equal(blocked.test2.outcome, 'skipped');
});

test('sim: a forward of part of the range: exactly the forwarded ports ok', async () => {
	const sim = await simulate({router: {forwards: [{from: 10_000, to: 10_049, host: pbxIp}]}});
	const {report} = await sim.run({ports});
	assert.equal(report.code, 'some-failed');
	assert.deepEqual(portsWith(report, 'ok'), range(10_000, 10_049));
	assert.deepEqual(portsWith(report, 'inbound-blocked'), range(10_050, 10_099));
});

test('sim: a forward to another LAN host: inbound-blocked on this one', async () => {
	const sim = await simulate({router: {forwards: [{from: 10_000, to: 10_099, host: '192.168.1.99'}]}});
	const {report} = await sim.run({ports: range(10_000, 10_009)});
	assert.equal(report.code, 'inbound-blocked');
});

test('sim: another public IP than --public-ip: address-mismatch', async () => {
	const sim = await simulate({router: {forwards: forwardAll}});
	const {report} = await sim.run({ports: range(10_000, 10_009), publicIp: '203.0.113.99'});
	assert.equal(report.code, 'address-mismatch');
	assert.equal(report.publicAddress, publicIp);
});

test('sim: a port held by another program is busy, with the owner the lookup names; the others are checked', async () => {
	const asked: number[][] = [];
	const sim = await simulate({
		router: {forwards: forwardAll},
		async findPortOwners(busy) {
			asked.push(busy);
			const report: PortOwnerReport = {
				port: 10_005,
				owner: {pid: 4242, name: 'asterisk'},
				runs: [{command: ['ss', '-uanp'], output: 'UNCONN 0 0 0.0.0.0:10005 users:(("asterisk",pid=4242,fd=9))'}],
				excerpt: 'UNCONN 0 0 0.0.0.0:10005',
				userCommand: 'ss -uanp',
			};
			return new Map([[10_005, report]]);
		},
	});
	await sim.holdPort(10_005);
	const {report, events} = await sim.run({ports: range(10_000, 10_009)});
	assert.deepEqual(asked, [[10_005]]);
	const busy = report.ports.find(port => port.port === 10_005)!;
	assert.equal(busy.status, 'busy');
	assert.equal(busy.code, 'port-in-use');
	assert.deepEqual(busy.owner, {pid: 4242, name: 'asterisk'});
	assert.equal(busy.ownerLookup?.userCommand, 'ss -uanp');
	assert.equal(portsWith(report, 'ok').length, 9);
	// The only port that is not ok is busy: the headline says so, not that some ports are not forwarded.
	assert.equal(report.code, 'port-in-use');
	assert.equal(report.status, 'fail');
	const busyEvents = events.filter(event => event.type === 'port-finished' && event.result.port === 10_005);
	assert.equal(busyEvents.length, 2, 'the busy verdict, then the same with its owner');
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: ports this user may not bind (below 1024 without root) are not checked, and every other port is', async () => {
	const sim = await simulate({router: {forwards: [{from: 1000, to: 1049, host: pbxIp}]}, privilegedBelow: 1024});
	const {report} = await sim.run({ports: range(1000, 1049)});
	const refused = report.ports.filter(port => port.port < 1024);
	assert.equal(refused.length, 24);
	for (const port of refused) {
		assert.equal(port.status, 'skipped');
		assert.equal(port.code, 'port-not-permitted');
		assert.match(port.message, /below 1024 need root or CAP_NET_BIND_SERVICE/);
		assert.deepEqual(port.notes, [`bind EACCES 0.0.0.0:${port.port}`]);
		assert.equal(port.test1.sends + port.test3.sends, 0);
	}

	assert.deepEqual(portsWith(report, 'ok'), range(1024, 1049));
	assert.equal(report.code, 'port-not-permitted');
	assert.equal(report.status, 'fail');
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: forged replies and garbage from a sniffer on the LAN never decide a verdict', async () => {
	const sim = await simulate();
	const sniffer = sim.addLanHost('sniffer', '192.168.1.66');
	const opened = await sniffer.bind({port: 5555, family: 4});
	assert.ok(opened.ok);
	const {socket} = opened;
	let forged = 0;
	sim.router.policy.tap = datagram => {
		const request = decodeMessage(datagram.data);
		if (!request.ok || request.message.messageClass !== 'request') {
			return;
		}

		const success = (transactionId: Buffer) =>
			encodeMessage({
				method: Method.binding,
				messageClass: 'success',
				transactionId,
				attributes: [{kind: 'xor-mapped-address', address: {family: 4, address: publicIp, port: datagram.from.port}}],
			});
		const ignore = () => undefined;
		// The right transaction from the wrong address, a made-up transaction, and noise.
		socket.send(success(request.message.transactionId), datagram.from, ignore);
		socket.send(success(Buffer.alloc(12, 7)), datagram.from, ignore);
		socket.send(Buffer.from('not stun at all'), datagram.from, ignore);
		forged++;
	};

	const {report} = await sim.run({ports});
	assert.ok(forged > 200);
	assert.equal(report.code, 'inbound-blocked', 'no forged reply passed a port');
	assert.ok(report.ports.every(port => port.test2.outcome === 'fail' && port.test2.wrongSource.includes('192.168.1.66:5555')));
	assert.ok(report.stats.dropped.wrongSource > 0);
	assert.ok(report.stats.dropped.unknownTransaction > 0);
	assert.ok(report.stats.dropped.garbage > 0);
	assert.equal(report.server?.host, 'stun.test', 'nor the choice of server');
	await socket.close();
	assert.deepEqual(sim.leftOpen(), []);
});
