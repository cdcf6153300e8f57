// Issue 9 in the lab: the services only `fwcheck serve` offers, through a real Linux router. First
// the lab itself (the kernel's SIP helper rewrites when on and not when off; TCP forwards lead where
// they say), then fwcheck's SIP ALG, SIP service and TCP checks against them.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ADDR, setUpLab} from '../../lab/lab.js';
import type {Lab} from '../../lab/lab.js';
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

const SIP_ECHO = ADDR.own[0];

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
