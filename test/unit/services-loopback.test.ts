// The client's service checks end to end on loopback, against the real `fwcheck serve` services
// (startStunServer): primary 127.0.0.1, second address 127.0.0.2. No router in between, so no ALG:
// what this proves is the plumbing (discovery, echo comparison, control requests, listeners,
// nonces, busy ports). The router's part is the lab's (test/lab/services.test.ts).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {once} from 'node:events';
import net from 'node:net';
import {after, test} from 'node:test';
import {realEnvironment} from '../../source/check/environment.js';
import {memoryRecentChecks} from '../../source/check/recent-checks.js';
import {sweep} from '../../source/check/sweep.js';
import type {CheckConfig, CheckReport, SweepEvent} from '../../source/check/types.js';
import type {StunServer} from '../../source/server/index.js';
import {ALTERNATE, PRIMARY, startOnFreePorts} from '../interop/support.js';
import {freeTcpPort} from '../support/service-peers.js';

const closers: Array<() => unknown> = [];
after(async () => {
	await Promise.all(closers.splice(0).map(async close => close()));
});

const server: StunServer = await startOnFreePorts({
	primary: PRIMARY,
	alternate: ALTERNATE,
	services: {sipPort: 0, controlPort: 0},
});
closers.push(async () => server.close());
const plainServer: StunServer = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE});
closers.push(async () => plainServer.close());

const environment = {...realEnvironment, recentChecks: memoryRecentChecks(() => performance.now())};

const run = async (
	target: StunServer,
	services: CheckConfig['services'],
): Promise<{report: CheckReport; events: SweepEvent[]}> => {
	const events: SweepEvent[] = [];
	const udpPort = await freeTcpPort();
	const report = await sweep(
		{servers: [{host: PRIMARY, port: target.addresses[0]!.port}], ports: [udpPort], services},
		{signal: new AbortController().signal, onEvent: event => events.push(event), environment},
	);
	return {report, events};
};

/** A SIP UA holding UDP and TCP on one port of 127.0.0.1, answering with `contact` in its Contact. */
const holdSipPort = async (contact: string): Promise<number> => {
	for (let attempt = 0; attempt < 10; attempt++) {
		const port = await freeTcpPort();
		const udp = dgram.createSocket('udp4');
		const bound = await new Promise<boolean>(resolve => {
			udp.once('error', () => resolve(false));
			udp.bind({port, address: PRIMARY, exclusive: true}, () => resolve(true));
		});
		if (!bound) continue;
		const answer = (request: string): Buffer => {
			const copy = request.split('\r\n').filter(line => /^(Via|From|To|Call-ID|CSeq):/i.test(line));
			return Buffer.from(
				['SIP/2.0 401 Unauthorized', ...copy, `Contact: <sip:pbx@${contact}:${port}>`, 'Content-Length: 0', '', ''].join('\r\n'),
			);
		};
		udp.on('message', (data, from) => udp.send(answer(data.toString('latin1')), from.port, from.address));
		const tcp = net.createServer(socket => {
			socket.on('error', () => undefined);
			socket.on('data', data => socket.write(answer(data.toString('latin1'))));
		});
		tcp.listen({port, host: PRIMARY});
		await once(tcp, 'listening');
		closers.push(
			() => udp.close(),
			async () => new Promise(resolve => tcp.close(resolve)),
		);
		return port;
	}
	throw new Error('no free port pair');
};

test('against fwcheck serve: no ALG over UDP or TCP, the OPTIONS reaches fwcheck, a TCP port reaches it', async () => {
	const sipPort = await freeTcpPort();
	const tcpPort = await freeTcpPort();
	const {report, events} = await run(server, {sip: true, sipPort, tcp: [tcpPort]});
	assert.equal(report.services?.offered, true, report.services?.detail);
	assert.match(report.services.detail, /^fwcheck\/1 sip=\d+ control=\d+ options=1 connect=1/);
	for (const transport of ['udp', 'tcp'] as const) {
		const check = report.sip![transport];
		assert.deepEqual([check.status, check.alg, check.code, check.rewritten], ['pass', false, null, []], check.message);
		assert.deepEqual(
			check.exchanges.map(exchange => [exchange.method, exchange.answered, exchange.received === exchange.sent]),
			[
				['OPTIONS', true, true],
				['INVITE', true, true],
			],
		);
		assert.match(check.exchanges[1]!.statusLine ?? '', /^SIP\/2\.0 488 /);
		assert.equal(check.exchanges[0]!.sourceSeen?.split(':')[0], PRIMARY);
	}
	// UDP went out from the SIP port itself, which was free.
	assert.equal(report.sip!.udp.exchanges[0]!.sourceSeen, `${PRIMARY}:${sipPort}`);
	for (const transport of ['udp', 'tcp'] as const) {
		const outcome = report.sipService![transport];
		assert.deepEqual(
			[outcome.status, outcome.code, outcome.reachedThisHost],
			['pass', 'sip-reached-fwcheck', true],
			outcome.message,
		);
		assert.equal(outcome.statusLine, 'SIP/2.0 200 OK');
	}
	assert.equal(report.sipService!.held, false);
	assert.deepEqual(
		report.tcp!.map(result => [result.port, result.status, result.code, result.outcome, result.reachedThisHost]),
		[[tcpPort, 'pass', 'tcp-ok', 'connected', true]],
	);
	assert.equal(report.status, 'pass');
	const types = events.map(event => event.type);
	assert.ok(types.indexOf('services-started') > types.indexOf('server-ready'));
	assert.ok(types.indexOf('services-finished') < types.indexOf('done'));
});

test('a PBX holding the SIP port answers with a private Contact; a busy TCP port is reached', async () => {
	const sipPort = await holdSipPort('10.9.8.7');
	const busy = net.createServer(socket => socket.destroy());
	busy.listen({port: 0, host: '0.0.0.0'});
	await once(busy, 'listening');
	closers.push(async () => new Promise(resolve => busy.close(resolve)));
	const busyPort = (busy.address() as net.AddressInfo).port;
	const {report} = await run(server, {sip: true, sipPort, tcp: [busyPort]});
	assert.equal(report.sipService!.held, true);
	for (const transport of ['udp', 'tcp'] as const) {
		const outcome = report.sipService![transport];
		assert.deepEqual(
			[outcome.status, outcome.code, outcome.statusLine, outcome.privateAddress, outcome.reachedThisHost],
			['fail', 'sip-private-contact', 'SIP/2.0 401 Unauthorized', '10.9.8.7', null],
			outcome.message,
		);
	}
	// The UDP ALG test could not use the held port: it sent from another one, and still passed.
	assert.notEqual(report.sip!.udp.exchanges[0]!.sourceSeen, `${PRIMARY}:${sipPort}`);
	assert.equal(report.sip!.udp.status, 'pass');
	assert.deepEqual(
		report.tcp!.map(result => [result.status, result.code, result.outcome, result.reachedThisHost]),
		[['busy', 'tcp-busy-reached', 'connected', null]],
	);
	const owner = report.tcp![0]!.process;
	if (owner) assert.equal(owner.pid, process.pid, 'the busy port is ours: the owner lookup must say so');
	assert.equal(report.status, 'fail');
	assert.equal(report.code, 'sip-private-contact');
});

test('a server that is not fwcheck serve: every service check skipped with the sentence, the ports unchanged', async () => {
	const {report} = await run(plainServer, {sip: true, sipPort: 5060, tcp: [5001]});
	const sentence = 'These checks need a server run with `fwcheck serve`.';
	assert.deepEqual(report.services, {offered: false, detail: sentence});
	for (const check of [report.sip!.udp, report.sip!.tcp, report.sipService!.udp, report.sipService!.tcp, report.tcp![0]!]) {
		assert.deepEqual([check.status, check.code, check.message], ['skipped', 'services-unavailable', sentence]);
	}
	const without = await run(plainServer, undefined);
	assert.equal(without.report.services, undefined);
	assert.deepEqual([report.status, report.code], [without.report.status, without.report.code]);
});

test('--no-sip and no --tcp: no discovery, no service events, no services in the report', async () => {
	const {report, events} = await run(server, {sip: false, sipPort: 5060, tcp: []});
	assert.equal(report.services, undefined);
	assert.equal(report.sip, undefined);
	assert.ok(!events.some(event => event.type === 'services-started' || event.type === 'services-finished'));
	assert.equal(report.status, 'pass');
});

test('cancelled while the service checks run: the sweep still ends with a cancelled report', async () => {
	const controller = new AbortController();
	const sipPort = await freeTcpPort();
	const report = await sweep(
		{
			servers: [{host: PRIMARY, port: server.addresses[0]!.port}],
			ports: [await freeTcpPort()],
			services: {sip: true, sipPort, tcp: []},
		},
		{
			signal: controller.signal,
			onEvent(event) {
				if (event.type === 'services-started') controller.abort();
			},
			environment,
		},
	);
	assert.equal(report.status, 'cancelled');
});
