// Issue 9 in the lab: the services only `fwcheck serve` offers, through a real Linux router. First
// the lab itself (the kernel's SIP helper rewrites when on and not when off; TCP forwards lead where
// they say), then fwcheck's SIP ALG, SIP service and TCP checks against them.
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import type {CheckReport, SipAlgCheck} from '../../source/check/types.js';
import {ADDR, HOSTS, setUpLab} from '../../lab/lab.js';
import type {Lab} from '../../lab/lab.js';
import {which} from '../../lab/netns.js';
import {
	GONE_LAN_HOST,
	TCP_PORTS,
	sendSip,
	servicesScenario,
	sipHelperScenario,
	startSipResponder,
	startTcpAccept,
} from '../../lab/services.js';

const lab = setUpLab();

before(async () => {
	const l = await lab.ready;
	if (!l) return;
	// fwcheck serve on .30/.31: the SIP echo on 5060 and the control service on 3478/tcp, by default.
	await l.startOwn();
	await l.startCoturn();
	await l.startStund();
});

const fwcheck = async (l: Lab, args: string[]): Promise<{exitCode: number | undefined; report: CheckReport}> => {
	const result = await l.runFwcheck(['--json', '--no-router', ...args]);
	assert.equal(result.timedOut, false, `fwcheck timed out: ${args.join(' ')}`);
	assert.ok(result.json, `no JSON from fwcheck ${args.join(' ')}: ${result.jsonError ?? ''} ${result.stderr}`);
	return {exitCode: result.exitCode, report: result.json as CheckReport};
};

const SENTENCE = 'These checks need a server run with `fwcheck serve`.';

const headersOf = (check: SipAlgCheck): string[] => [...new Set(check.rewritten.map(rewrite => rewrite.header))];

// The lab's own SIP echo for the self-checks; fwcheck serve holds 5060 on .30.
const SIP_ECHO = ADDR.single;

/** The lines of a SIP message that carry an address, by name ("Via", "c=", ...). */
const addressLines = (text: string): Map<string, string> => {
	const lines = new Map<string, string>();
	for (const line of text.split('\r\n')) {
		const header = /^(Via|From|Contact):\s*(.*)$/i.exec(line);
		if (header) lines.set(header[1]!, header[2]!);
		const sdp = /^([oc])=(.*)$/.exec(line);
		if (sdp) lines.set(`${sdp[1]}=`, sdp[2]!);
	}
	return lines;
};

/** Connect from the server namespace to the public IP's `port`: connected, refused or timeout. */
const connectFromInternet = async (l: Lab, port: number): Promise<string> => {
	const script = `const s=require('net').connect({host:'${ADDR.publicIp}',port:${port},localAddress:'${ADDR.own[1]}'});
s.setTimeout(2000,()=>{console.log('timeout');process.exit(0)});
s.on('connect',()=>{s.write('FWCHECK lab\\r\\n');console.log('connected');setTimeout(()=>process.exit(0),200)});
s.on('error',e=>{console.log(e.code==='ECONNREFUSED'?'refused':e.code);process.exit(0)});`;
	const r = await l.exec('srv', process.execPath, ['-e', script], {timeoutMs: 5000});
	return r.stdout.trim();
};

describe('the lab', () => {
	for (const transport of ['udp', 'tcp'] as const) {
		test(`SIP helper on: an INVITE over ${transport} arrives with the WAN address in Via, From, Contact, o= and c=`, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter(sipHelperScenario(true));
			const echo = await startSipResponder(l, {ns: 'srv', address: SIP_ECHO, status: 200, contact: SIP_ECHO});
			try {
				const {sent, reply} = await sendSip(l, {transport, method: 'INVITE', to: SIP_ECHO, port: 5070, media: 40_000});
				assert.equal(reply, 'SIP/2.0 200 OK');
				const [seen] = echo.requests();
				assert.ok(seen, 'the INVITE never arrived');
				const before = addressLines(sent);
				const after = addressLines(seen.text);
				for (const name of ['Via', 'From', 'Contact', 'o=', 'c=']) {
					assert.ok(before.get(name)?.includes(ADDR.pbx), `${name} sent: ${before.get(name)}`);
					assert.equal(after.get(name), before.get(name)!.replaceAll(ADDR.pbx, ADDR.publicIp), `${name} received`);
				}
				const flows = (await l.exec('rtr', 'conntrack', ['-L', '-p', transport], {reject: false})).stdout;
				assert.match(flows, /helper=sip/, flows);
			} finally {
				await echo.stop();
			}
		});
	}

	test('SIP helper on: sipsak over TCP has its OPTIONS headers rewritten', async t => {
		const l = lab(t);
		if (!l) return;
		if (!which('sipsak')) {
			if (process.env.CI === 'true') throw new Error('sipsak required in CI (apt-get install sipsak)');
			t.skip('sipsak not installed (apt-get install sipsak)');
			return;
		}

		await l.setRouter(sipHelperScenario(true));
		const echo = await startSipResponder(l, {ns: 'srv', address: SIP_ECHO, status: 200, contact: SIP_ECHO});
		try {
			// -H: sipsak would otherwise resolve this machine's name, which the lab's hosts file lacks.
			const r = await l.exec('pbx', 'sipsak', ['-E', 'tcp', '-H', ADDR.pbx, '-l', '5073', '-s', `sip:echo@${SIP_ECHO}`], {
				reject: false,
				timeoutMs: 10_000,
			});
			assert.equal(r.exitCode, 0, r.stdout + r.stderr);
			const [seen] = echo.requests();
			assert.ok(seen);
			assert.equal(addressLines(seen.text).get('Via')?.split(';')[0], `SIP/2.0/TCP ${ADDR.publicIp}:5073`);
			assert.ok(!seen.text.includes(`sipsak@${ADDR.pbx}`), seen.text);
		} finally {
			await echo.stop();
		}
	});

	test('SIP helper on: an INVITE offering a media port another SIP flow already expects is dropped', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter(sipHelperScenario(true));
		const echo = await startSipResponder(l, {ns: 'srv', address: SIP_ECHO, status: 200, contact: SIP_ECHO});
		try {
			const send = async (transport: 'udp' | 'tcp', port: number, media: number) =>
				(await sendSip(l, {transport, method: 'INVITE', to: SIP_ECHO, port, media})).reply;
			assert.equal(await send('udp', 5080, 40_020), 'SIP/2.0 200 OK');
			assert.equal(await send('udp', 5080, 40_020), 'SIP/2.0 200 OK', 'the same flow may offer it again');
			assert.equal(await send('udp', 5081, 40_020), null, 'another UDP flow: dropped');
			assert.equal(await send('tcp', 5082, 40_020), null, 'a TCP flow: dropped');
			assert.equal(await send('udp', 5083, 40_030), 'SIP/2.0 200 OK', 'a new media port passes');
			assert.equal(echo.requests().length, 3);
		} finally {
			await echo.stop();
		}
	});

	test('SIP helper off: the INVITE arrives as sent (UDP and TCP)', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter(sipHelperScenario(false));
		const echo = await startSipResponder(l, {ns: 'srv', address: SIP_ECHO, status: 200, contact: SIP_ECHO});
		try {
			for (const transport of ['udp', 'tcp'] as const) {
				const {sent} = await sendSip(l, {transport, method: 'INVITE', to: SIP_ECHO, port: 5074, media: 40_010});
				const seen = echo.requests().find(request => request.transport === transport);
				assert.ok(seen, `no ${transport} INVITE arrived`);
				assert.equal(seen.text, sent);
			}
		} finally {
			await echo.stop();
		}
	});

	test('TCP forwards: to the PBX, to another host, to a gone host, and none', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter(servicesScenario(false));
		const pbx = await startTcpAccept(l, [TCP_PORTS.toPbx], {ns: 'pbx', address: '0.0.0.0'});
		const router = await startTcpAccept(l, [TCP_PORTS.elsewhere]);
		try {
			assert.equal(await connectFromInternet(l, TCP_PORTS.toPbx), 'connected');
			assert.equal(await connectFromInternet(l, TCP_PORTS.elsewhere), 'connected');
			assert.equal(await connectFromInternet(l, TCP_PORTS.closed), 'refused');
			assert.notEqual(await connectFromInternet(l, TCP_PORTS.gone), 'connected', `${GONE_LAN_HOST} holds nothing`);
			assert.deepEqual(
				pbx.accepted().map(entry => entry.accepted),
				[TCP_PORTS.toPbx],
			);
			assert.deepEqual(
				router.accepted().map(entry => [entry.accepted, entry.line]),
				[[TCP_PORTS.elsewhere, 'FWCHECK lab']],
			);
		} finally {
			await pbx.stop();
			await router.stop();
		}
	});
});

describe('fwcheck against fwcheck serve', () => {
	test('SIP helper on: the ALG is found over UDP and TCP, with the lines it rewrote', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter(servicesScenario(true));
		const {exitCode, report} = await fwcheck(l, ['--stun', HOSTS.own, '--ports', '5060']);
		assert.equal(report.services?.offered, true, report.services?.detail);
		assert.equal(report.ports[0]?.code, 'ok', 'the UDP forward of 5060 itself is fine');
		for (const transport of ['udp', 'tcp'] as const) {
			const check = report.sip![transport];
			assert.deepEqual([check.status, check.alg, check.code], ['fail', true, 'sip-alg'], check.message);
			const headers = headersOf(check);
			for (const header of ['Via', 'Contact', 'From', 'c=', 'o=']) {
				assert.ok(headers.includes(header), `${transport}: ${header} not among ${headers.join(', ')}`);
			}
			for (const rewrite of check.rewritten) {
				assert.ok(rewrite.sent.includes(ADDR.pbx) && rewrite.received.includes(ADDR.publicIp), JSON.stringify(rewrite));
			}
			t.diagnostic(`${transport}: ${check.message}`);
		}
		// The 5060 forward leads to fwcheck itself, listening once the sweep was done with the port.
		for (const transport of ['udp', 'tcp'] as const) {
			const outcome = report.sipService![transport];
			assert.deepEqual([outcome.code, outcome.reachedThisHost], ['sip-reached-fwcheck', true], outcome.message);
		}
		assert.deepEqual([report.status, report.code, exitCode], ['fail', 'sip-alg', 1]);
	});

	test('SIP helper off: no ALG over UDP or TCP, and the check passes', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter(servicesScenario(false));
		const {exitCode, report} = await fwcheck(l, ['--stun', HOSTS.own, '--ports', '5060']);
		for (const transport of ['udp', 'tcp'] as const) {
			const check = report.sip![transport];
			assert.deepEqual([check.status, check.alg, check.rewritten], ['pass', false, []], check.message);
			assert.equal(check.exchanges.length, 2);
			assert.equal(check.exchanges[0]!.sourceSeen?.split(':')[0], ADDR.publicIp);
		}
		assert.equal(report.sip!.udp.exchanges[0]!.sourceSeen, `${ADDR.publicIp}:5060`, 'UDP sent from the SIP port, kept 1:1');
		assert.deepEqual([report.status, report.code, exitCode], ['pass', 'ok', 0]);
	});

	test('TCP forwards, port by port: reached, elsewhere, no answer, refused', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter(servicesScenario(false));
		const router = await startTcpAccept(l, [TCP_PORTS.elsewhere]);
		try {
			const ports = Object.values(TCP_PORTS);
			const {exitCode, report} = await fwcheck(l, ['--stun', HOSTS.own, '--ports', '5060', '--no-sip', '--tcp', ports.join(',')]);
			assert.equal(report.sip, undefined, '--no-sip');
			const byPort = new Map(report.tcp!.map(result => [result.port, result]));
			const expect = (port: number, status: string, code: string, outcomes: string[]) => {
				const result = byPort.get(port);
				assert.ok(result, `port ${port} missing`);
				assert.deepEqual([result.status, result.code], [status, code], `${port}: ${result.message}`);
				assert.ok(outcomes.includes(result.outcome ?? 'null'), `${port}: outcome ${result.outcome}`);
			};
			expect(TCP_PORTS.toPbx, 'pass', 'tcp-ok', ['connected']);
			expect(TCP_PORTS.elsewhere, 'fail', 'tcp-elsewhere', ['connected']);
			expect(TCP_PORTS.gone, 'fail', 'tcp-no-answer', ['timeout', 'unreachable']);
			expect(TCP_PORTS.closed, 'fail', 'tcp-refused', ['refused']);
			// The router's listener got the server's line, with a nonce that was not for it to check.
			assert.match(router.accepted()[0]?.line ?? '', /^FWCHECK [\da-f]+$/);
			assert.deepEqual([report.status, exitCode], ['fail', 1]);
			assert.equal(report.ports[0]?.code, 'ok');
		} finally {
			await router.stop();
		}
	});

	for (const contact of ['private', 'public'] as const) {
		test(`the PBX holds 5060 and answers 401 with a ${contact} Contact`, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter(servicesScenario(false));
			const address = contact === 'private' ? ADDR.pbx : ADDR.publicIp;
			const pbx = await startSipResponder(l, {status: 401, contact: address});
			try {
				const {report} = await fwcheck(l, ['--stun', HOSTS.own, '--ports', '9000']);
				const service = report.sipService!;
				assert.equal(service.held, true);
				assert.equal(service.process?.name, 'node', JSON.stringify(service.process));
				for (const transport of ['udp', 'tcp'] as const) {
					const outcome = service[transport];
					assert.equal(outcome.statusLine, 'SIP/2.0 401 Unauthorized', outcome.message);
					assert.equal(outcome.reachedThisHost, null);
					if (contact === 'private') {
						assert.deepEqual([outcome.status, outcome.code, outcome.privateAddress], ['fail', 'sip-private-contact', ADDR.pbx]);
					} else {
						assert.deepEqual([outcome.status, outcome.code, outcome.privateAddress], ['pass', 'sip-service-ok', null]);
					}
				}
				// The OPTIONS came from the server's second address, to the public IP.
				const seen = pbx.requests().filter(request => request.text.startsWith('OPTIONS '));
				assert.deepEqual(seen.map(request => [request.transport, request.from.split(':')[0]]).sort(), [
					['tcp', ADDR.own[1]],
					['udp', ADDR.own[1]],
				]);
				// The UDP ALG test sent from another port, since the PBX held 5060.
				assert.notEqual(report.sip!.udp.exchanges[0]!.sourceSeen, `${ADDR.publicIp}:5060`);
			} finally {
				await pbx.stop();
			}
		});
	}
});

describe('fwcheck against servers that are not fwcheck serve', () => {
	for (const server of [
		{name: 'coturn', host: HOSTS.coturn},
		{name: 'stund', host: HOSTS.stund},
	] as const) {
		test(`${server.name}: every service check skipped with the sentence; the ports' verdicts as before`, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'forward-all', ports: [9000, 9009]});
			const {exitCode, report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9009', '--tcp', '5001']);
			assert.deepEqual(report.services, {offered: false, detail: SENTENCE});
			for (const check of [report.sip!.udp, report.sip!.tcp, report.sipService!.udp, report.sipService!.tcp, report.tcp![0]!]) {
				assert.deepEqual([check.status, check.code, check.message], ['skipped', 'services-unavailable', SENTENCE]);
			}
			// The same verdicts as the router scenario gives without any service check.
			assert.deepEqual(
				report.ports.filter(port => port.code !== 'ok').map(port => `${port.port} ${port.code}`),
				[],
			);
			assert.deepEqual([report.status, report.code, exitCode], ['pass', 'ok', 0]);
			for (const port of report.ports) assert.equal(port.mapped, `${ADDR.publicIp}:${port.port}`);
		});
	}
});
