// The client's SIP and TCP service checks on the simulated network, in virtual time: the router
// between the PBX and fwcheck serve's services (sim/virtual-fwcheck-services.ts) forwards, refuses
// or drops TCP, and may run a SIP ALG that rewrites the LAN address as Linux's nf_nat_sip does.
// The lab (test/lab/services.test.ts) is the proof on a real kernel; this is every branch, fast.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {CheckReport, SipAlgCheck} from '../../source/check/types.js';
import type {TcpConnection} from '../../source/net/tcp.js';
import type {PortForward, RouterPolicy} from '../../source/sim/nat-router.js';
import {tcpOf} from '../../source/sim/virtual-tcp.js';
import {findMessageEnd} from '../../source/wire/index.js';
import {pbxIp, publicIp, simulate} from '../support/simulation.js';

const SIP = 5060;
const toPbx = (from: number, to = from): PortForward => ({from, to, host: pbxIp});
/** UDP and TCP 5060 forwarded to the PBX, as a PBX's router is set up. */
const sipForwarded: Partial<RouterPolicy> = {forwards: [toPbx(SIP)], tcpForwards: [toPbx(SIP)]};

const runServices = async (
	router: Partial<RouterPolicy>,
	services: {sip: boolean; tcp?: number[]},
	prepare?: (sim: Awaited<ReturnType<typeof simulate>>) => Promise<void>,
) => {
	const sim = await simulate({router, services: {}});
	await prepare?.(sim);
	const {report} = await sim.run({ports: [SIP], services: {sip: services.sip, sipPort: SIP, tcp: services.tcp ?? []}});
	return {sim, report};
};

const headersOf = (check: SipAlgCheck): string[] => [...new Set(check.rewritten.map(rewrite => rewrite.header))];

const assertNothingLeftOpen = (sim: Awaited<ReturnType<typeof simulate>>): void => {
	assert.deepEqual(sim.leftOpenTcp(), []);
	assert.deepEqual(sim.leftOpen(), []);
};

test('sim: a router without a SIP ALG: both requests arrive as sent over UDP and TCP', async () => {
	const {sim, report} = await runServices(sipForwarded, {sip: true});
	assert.equal(report.services?.offered, true, report.services?.detail);
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
		// The echo saw the router's public address: the request crossed the NAT.
		assert.equal(check.exchanges[0]!.sourceSeen?.split(':')[0], publicIp);
	}

	assert.equal(report.sip!.udp.exchanges[0]!.sourceSeen, `${publicIp}:${SIP}`, 'UDP sent from the SIP port, kept 1:1');
	assert.deepEqual([report.status, report.code], ['pass', 'ok']);
	assertNothingLeftOpen(sim);
});

test('sim: a router with a SIP ALG: the rewritten lines are found over UDP and TCP', async () => {
	const {sim, report} = await runServices({...sipForwarded, sipAlg: true}, {sip: true});
	for (const transport of ['udp', 'tcp'] as const) {
		const check = report.sip![transport];
		assert.deepEqual([check.status, check.alg, check.code], ['fail', true, 'sip-alg'], check.message);
		const headers = headersOf(check);
		for (const header of ['Via', 'Contact', 'From', 'c=', 'o=']) {
			assert.ok(headers.includes(header), `${transport}: ${header} not among ${headers.join(', ')}`);
		}

		for (const rewrite of check.rewritten) {
			assert.ok(rewrite.sent.includes(pbxIp) && rewrite.received.includes(publicIp), JSON.stringify(rewrite));
		}
	}

	assert.deepEqual([report.status, report.code], ['fail', 'sip-alg']);
	assertNothingLeftOpen(sim);
});

test('sim: the ALG watches port 5060 only: an echo on another port sees the requests as sent', async () => {
	const sim = await simulate({router: {sipAlg: true}, services: {sipPort: 5070}});
	const {report} = await sim.run({ports: [SIP], services: {sip: true, sipPort: SIP, tcp: []}});
	for (const transport of ['udp', 'tcp'] as const) {
		assert.deepEqual([report.sip![transport].alg, report.sip![transport].rewritten], [false, []], report.sip![transport].message);
	}
});

test('sim: the SIP service check, forwarded to this host: the OPTIONS reaches fwcheck over UDP and TCP', async () => {
	const {sim, report} = await runServices(sipForwarded, {sip: true});
	const service = report.sipService!;
	assert.equal(service.held, false);
	for (const transport of ['udp', 'tcp'] as const) {
		const outcome = service[transport];
		assert.deepEqual(
			[outcome.status, outcome.code, outcome.reachedThisHost],
			['pass', 'sip-reached-fwcheck', true],
			outcome.message,
		);
		assert.equal(outcome.statusLine, 'SIP/2.0 200 OK');
	}

	const asked = sim.services!.requests.filter(request => request.op === 'sip-options');
	assert.deepEqual(
		asked.map(request => request.op === 'sip-options' && [request.transport, request.port]),
		[
			['udp', SIP],
			['tcp', SIP],
		],
	);
});

test('sim: the SIP service check, not forwarded: UDP is never answered, TCP is refused by the router', async () => {
	const {sim, report} = await runServices({}, {sip: true});
	const service = report.sipService!;
	assert.deepEqual(
		[service.udp.code, service.udp.reachedThisHost, service.tcp.code, service.tcp.reachedThisHost],
		['sip-service-silent', false, 'sip-service-silent', false],
	);
	assert.match(service.udp.message, /\(timeout\)$/);
	assert.match(service.tcp.message, /\(refused\)$/);
	assertNothingLeftOpen(sim);
});

/** A PBX's SIP stack on TCP: answers each request with 401 and its own LAN address as Contact. */
const pbxSipOverTcp = (connection: TcpConnection): void => {
	let pending = Buffer.alloc(0);
	connection.onData(chunk => {
		pending = Buffer.concat([pending, chunk]);
		const frame = findMessageEnd(pending, 8192);
		if (frame.state !== 'complete') {
			return;
		}

		const request = pending.subarray(0, frame.length).toString('latin1');
		pending = pending.subarray(frame.length);
		const copied = request.split('\r\n').filter(line => /^(Via|From|To|Call-ID|CSeq):/i.test(line));
		connection.write(
			[
				'SIP/2.0 401 Unauthorized',
				...copied,
				`Contact: <sip:pbx@${pbxIp}:${SIP};transport=tcp>`,
				'Content-Length: 0',
				'',
				'',
			].join('\r\n'),
		);
	});
};

test('sim: the SIP service check, a PBX holding the port on TCP: its private Contact is the finding', async () => {
	const {report} = await runServices(sipForwarded, {sip: true}, async sim => {
		await sim.holdTcpPort(SIP, pbxSipOverTcp);
	});
	const service = report.sipService!;
	assert.equal(service.held, true);
	assert.deepEqual(
		[service.tcp.status, service.tcp.code, service.tcp.privateAddress, service.tcp.reachedThisHost],
		['fail', 'sip-private-contact', pbxIp, null],
		service.tcp.message,
	);
	assert.equal(service.tcp.statusLine, 'SIP/2.0 401 Unauthorized');
	// UDP was free: fwcheck answered there itself.
	assert.equal(service.udp.code, 'sip-reached-fwcheck');
});

const tcpSummary = (report: CheckReport) =>
	report.tcp!.map(result => [result.port, result.status, result.code, result.outcome, result.reachedThisHost]);

test('sim: TCP connect-back, port by port: reached, refused, elsewhere, no answer, busy', async () => {
	const [reached, refused, elsewhere, gone, busy] = [7001, 7002, 7003, 7004, 7005];
	const otherLanIp = '192.168.1.20';
	const router: Partial<RouterPolicy> = {
		tcpForwards: [
			toPbx(reached),
			{from: elsewhere, to: elsewhere, host: otherLanIp},
			{from: gone, to: gone, host: '192.168.1.99'},
			toPbx(busy),
		],
	};
	const seenElsewhere: string[] = [];
	const {sim, report} = await runServices(router, {sip: false, tcp: [reached, refused, elsewhere, gone, busy]}, async sim => {
		const other = sim.addLanHost('other', otherLanIp);
		const listened = await tcpOf(other).listen({port: elsewhere, family: 4}, connection => {
			connection.onData(chunk => seenElsewhere.push(chunk.toString('latin1')));
		});
		assert.ok(listened.ok);
		await sim.holdTcpPort(busy);
	});
	assert.deepEqual(tcpSummary(report), [
		[reached, 'pass', 'tcp-ok', 'connected', true],
		[refused, 'fail', 'tcp-refused', 'refused', false],
		[elsewhere, 'fail', 'tcp-elsewhere', 'connected', false],
		[gone, 'fail', 'tcp-no-answer', 'timeout', false],
		[busy, 'busy', 'tcp-busy-reached', 'connected', null],
	]);
	// The other host got the nonce line: what fwcheck would have needed to see.
	assert.match(seenElsewhere.join(''), /^FWCHECK [\da-f]{24}\r\n$/);
	assert.deepEqual(sim.leftOpenTcp(), []);
});

test('sim: TCP connect-back through a router that drops unforwarded SYNs: no answer instead of refused', async () => {
	const {report} = await runServices({unforwardedTcp: 'drop', tcpForwards: [toPbx(7001)]}, {sip: false, tcp: [7001, 7002]});
	assert.deepEqual(tcpSummary(report), [
		[7001, 'pass', 'tcp-ok', 'connected', true],
		[7002, 'fail', 'tcp-no-answer', 'timeout', false],
	]);
});

test('sim: cancel while the server connects back: the checks end, every listener and connection is closed', async () => {
	const controller = new AbortController();
	const sim = await simulate({
		router: {tcpForwards: [toPbx(7001)]},
		services: {
			onRequest(request) {
				if (request.op === 'connect') {
					controller.abort();
				}
			},
		},
	});
	const {report} = await sim.run(
		{ports: [SIP], services: {sip: false, sipPort: SIP, tcp: [7001, 7002]}},
		{signal: controller.signal},
	);
	assert.equal(controller.signal.aborted, true);
	assert.deepEqual(
		report.tcp!.map(result => [result.port, result.status]),
		[
			[7001, 'skipped'],
			[7002, 'skipped'],
		],
	);
	assert.match(report.tcp![0]!.message, /did not connect back \(control service closed the connection\)/);
	// Closed when the sweep returned, not later: nothing of the check is left for the clock to end.
	assertNothingLeftOpen(sim);
});

test('sim: the SIP service check, a program on the port that hangs up unanswered: silent, refused', async () => {
	const {report} = await runServices(sipForwarded, {sip: true}, async sim => {
		await sim.holdTcpPort(SIP, connection => {
			connection.onData(() => {
				connection.end();
			});
		});
	});
	const {tcp} = report.sipService!;
	assert.deepEqual([tcp.status, tcp.code, tcp.statusLine], ['fail', 'sip-service-silent', null], tcp.message);
	assert.match(tcp.message, /\(refused\)$/);
});
