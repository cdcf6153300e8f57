// The client side of the SIP ALG, SIP service and TCP checks, on what it decides from: the comparison of a sent
// and an echoed SIP request, and the verdict rules of each check. The network parts run on
// loopback against the real server in services-loopback.test.ts and through a real router in the lab.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {overallVerdict} from '../../source/check/report-model.js';
import {classifySipAlg} from '../../source/service-checks/sip-alg.js';
import {compareSip} from '../../source/service-checks/sip-compare.js';
import {buildProbeRequest} from '../../source/service-checks/sip-request.js';
import {classifySipService, privateAddressIn} from '../../source/service-checks/sip-service.js';
import {skippedAlg} from '../../source/service-checks/run-services.js';
import {classifyTcpPort} from '../../source/service-checks/tcp-connect-back.js';
import type {PortResult, SipExchange} from '../../source/check/types.js';
import {parseSipMessage} from '../../source/wire/index.js';
import {UsageError, configFromFlags} from '../../source/cli/config.js';
import {findUdpPortOwners} from '../../source/system/port-owner.js';

const lan = '192.168.77.10';
const wan = '203.0.113.1';

const invite = (): Buffer =>
	buildProbeRequest({
		method: 'INVITE',
		transport: 'udp',
		lan,
		port: 5060,
		target: {address: '203.0.113.30', port: 5060},
		mediaPort: 20_000,
		callId: `abc@${lan}`,
		cseq: 2,
		fromTag: 'f1',
	});

/** What the Linux helper does to it (measured in the lab): every LAN address in Via, From, Contact, o= and c=. */
const asLinuxHelperRewrites = (request: Buffer): Buffer => {
	const text = request.toString('latin1');
	const [head, body] = text.split('\r\n\r\n') as [string, string];
	const newBody = body.replaceAll(lan, wan);
	const newHead = head
		.split('\r\n')
		.map(line => (/^(Via|From|Contact):/.test(line) ? line.replaceAll(lan, wan) : line))
		.map(line => (line.startsWith('Content-Length:') ? `Content-Length: ${Buffer.byteLength(newBody)}` : line))
		.join('\r\n');
	return Buffer.from(`${newHead}\r\n\r\n${newBody}`, 'latin1');
};

test('the requests read as a UA writes them: LAN address and real port, SDP offer', () => {
	const parsed = parseSipMessage(invite());
	assert.ok(parsed.ok);
	const text = invite().toString();
	assert.match(text, /^INVITE sip:echo@203\.0\.113\.30:5060 SIP\/2\.0\r\n/);
	assert.match(text, /\r\nVia: SIP\/2\.0\/UDP 192\.168\.77\.10:5060;branch=z9hG4bK/);
	assert.match(text, /\r\nContact: <sip:fwcheck@192\.168\.77\.10:5060;transport=udp>/);
	assert.match(text, /\r\nc=IN IP4 192\.168\.77\.10\r\n/);
	assert.match(text, /\r\nm=audio 20000 RTP\/AVP/);
});

test('compareSip: nothing changed, nothing listed', () => {
	const request = invite();
	assert.deepEqual(compareSip(request, Buffer.from(request)), []);
});

test('compareSip: a Linux-style ALG lists Via, From, Contact, o= and c=, not the Content-Length that follows', () => {
	const request = invite();
	const rewrites = compareSip(request, asLinuxHelperRewrites(request));
	assert.deepEqual(
		rewrites.map(rewrite => rewrite.header),
		['Via', 'From', 'Contact', 'o=', 'c='],
	);
	for (const rewrite of rewrites) {
		assert.ok(rewrite.sent.includes(lan) && rewrite.received.includes(wan), JSON.stringify(rewrite));
	}
});

test('compareSip: a header rewritten to its compact form still pairs with the one sent; a dropped one shows as empty', () => {
	const request = invite().toString('latin1');
	const received = request.replace('\r\nVia: ', '\r\nv: ').replace(/\r\nUser-Agent: [^\r]*/, '');
	const rewrites = compareSip(Buffer.from(request, 'latin1'), Buffer.from(received, 'latin1'));
	assert.deepEqual(rewrites, [{header: 'User-Agent', sent: 'fwcheck/1', received: ''}]);
});

test('compareSip: unreadable echo is one difference, never a throw', () => {
	assert.deepEqual(
		compareSip(invite(), Buffer.from('garbage')).map(rewrite => [rewrite.header, rewrite.received]),
		[['message', '(unreadable)']],
	);
});

const exchange = (method: 'OPTIONS' | 'INVITE', answered: boolean): SipExchange => ({
	method,
	sends: answered ? 1 : 3,
	answered,
	statusLine: answered ? 'SIP/2.0 200 OK' : null,
	sourceSeen: answered ? `${wan}:5060` : null,
	sent: 'x',
	received: answered ? 'x' : null,
});

test('SIP ALG verdicts: rewritten, INVITE dropped, no answer, clean', () => {
	const rewrite = [{header: 'Via', sent: lan, received: wan}];
	const alg = classifySipAlg('udp', [exchange('OPTIONS', true), exchange('INVITE', true)], rewrite);
	assert.deepEqual([alg.status, alg.alg, alg.code], ['fail', true, 'sip-alg']);
	const dropped = classifySipAlg('tcp', [exchange('OPTIONS', true), exchange('INVITE', false)], []);
	assert.deepEqual([dropped.status, dropped.alg, dropped.code], ['fail', false, 'sip-invite-dropped']);
	const silent = classifySipAlg('udp', [exchange('OPTIONS', false), exchange('INVITE', false)], []);
	assert.deepEqual([silent.status, silent.code], ['skipped', 'sip-no-answer']);
	const clean = classifySipAlg('udp', [exchange('OPTIONS', true), exchange('INVITE', true)], []);
	assert.deepEqual([clean.status, clean.alg, clean.code], ['pass', false, null]);
});

test('TCP port verdicts, port by port', () => {
	const seen = {port: 5001, accepted: 1, nonceSeen: true};
	const unseen = {port: 5001, accepted: 1, nonceSeen: false};
	const owner = {pid: 42, name: 'nginx'};
	const cases = [
		[classifyTcpPort(5001, 'connected', seen, null), 'pass', 'tcp-ok', true],
		[classifyTcpPort(5001, 'connected', unseen, null), 'fail', 'tcp-elsewhere', false],
		[classifyTcpPort(5001, 'refused', unseen, null), 'fail', 'tcp-refused', false],
		[classifyTcpPort(5001, 'timeout', unseen, null), 'fail', 'tcp-no-answer', false],
		[classifyTcpPort(5001, 'unreachable', unseen, null), 'fail', 'tcp-no-answer', false],
		[classifyTcpPort(5001, 'connected', undefined, owner), 'busy', 'tcp-busy-reached', null],
		[classifyTcpPort(5001, 'refused', undefined, owner), 'fail', 'tcp-refused', null],
	] as const;
	for (const [result, status, code, reached] of cases) {
		assert.deepEqual([result.status, result.code, result.reachedThisHost], [status, code, reached], JSON.stringify(result));
	}
	assert.deepEqual(classifyTcpPort(5001, 'connected', undefined, owner).process, owner);
});

const options = (nonce: string): Buffer =>
	Buffer.from(
		`OPTIONS sip:5060@${wan} SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.31:40000;branch=z9hG4bKx\r\nFrom: <sip:fwcheck@203.0.113.31>;tag=1\r\nTo: <sip:${wan}>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nX-Fwcheck-Nonce: ${nonce}\r\nContent-Length: 0\r\n\r\n`,
	);
const answer = (contact: string): Buffer =>
	Buffer.from(
		`SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 203.0.113.31:40000;branch=z9hG4bKx\r\nFrom: <sip:fwcheck@203.0.113.31>;tag=1\r\nTo: <sip:${wan}>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContact: <sip:pbx@${contact}:5060>\r\nContent-Length: 0\r\n\r\n`,
	);

test('SIP service verdicts: the PBX answers (public or private Contact), is silent; fwcheck reached or not', () => {
	const held = classifySipService({answered: true, sent: options('ab'), response: answer(wan)}, undefined);
	assert.deepEqual(
		[held.status, held.code, held.statusLine, held.privateAddress, held.reachedThisHost],
		['pass', 'sip-service-ok', 'SIP/2.0 401 Unauthorized', null, null],
	);
	const wrongContact = classifySipService({answered: true, sent: options('ab'), response: answer(lan)}, undefined);
	assert.deepEqual([wrongContact.status, wrongContact.code, wrongContact.privateAddress], ['fail', 'sip-private-contact', lan]);
	const silent = classifySipService({answered: false, sent: options('ab'), reason: 'timeout'}, undefined);
	assert.deepEqual([silent.status, silent.code], ['fail', 'sip-service-silent']);
	const own = {nonces: new Set(['ab']), close: async () => undefined};
	const reached = classifySipService({answered: true, sent: options('ab'), response: answer(wan)}, own);
	assert.deepEqual([reached.status, reached.code, reached.reachedThisHost], ['pass', 'sip-reached-fwcheck', true]);
	const other = classifySipService({answered: true, sent: options('cd'), response: answer(wan)}, own);
	assert.deepEqual([other.status, other.code, other.reachedThisHost], ['fail', 'sip-elsewhere', false]);
});

test('privateAddressIn: RFC 1918, 100.64/10 and link-local in Via or Contact; public ones pass', () => {
	const of = (contact: string): string | null => {
		const parsed = parseSipMessage(answer(contact));
		return parsed.ok ? privateAddressIn(parsed.message) : 'unparsed';
	};
	assert.equal(of('10.1.2.3'), '10.1.2.3');
	assert.equal(of('100.64.0.9'), '100.64.0.9');
	assert.equal(of('169.254.1.1'), '169.254.1.1');
	assert.equal(of('198.51.100.4'), null);
});

const okPort = {code: 'ok', status: 'pass'} as PortResult;
const failedPort = {code: 'inbound-blocked', status: 'fail'} as PortResult;

test('overall verdict: a SIP ALG fails a check whose ports pass; a port code outranks it; skipped changes nothing', () => {
	const algUdp = {...skippedAlg('udp', ''), status: 'fail' as const, alg: true, code: 'sip-alg' as const};
	const sip = {udp: algUdp, tcp: skippedAlg('tcp', '')};
	assert.deepEqual(overallVerdict([okPort], false, {sip}).code, 'sip-alg');
	assert.deepEqual(overallVerdict([okPort], false, {sip}).status, 'fail');
	assert.deepEqual(overallVerdict([failedPort], false, {sip}).code, 'inbound-blocked');
	const skipped = {udp: skippedAlg('udp', ''), tcp: skippedAlg('tcp', '')};
	assert.deepEqual(overallVerdict([okPort], false, {sip: skipped}), overallVerdict([okPort], false));
	const tcp = [classifyTcpPort(5001, 'refused', {port: 5001, accepted: 0, nonceSeen: false}, null)];
	assert.deepEqual(overallVerdict([okPort], false, {tcp}).code, 'tcp-refused');
});

test('flags: --tcp like --ports (at most 64), --sip-port, --no-sip', () => {
	assert.deepEqual(configFromFlags({tcp: '5001,5061-5062'}).services, {sip: true, sipPort: 5060, tcp: [5001, 5061, 5062]});
	assert.deepEqual(configFromFlags({sip: false, sipPort: 5080}).services, {sip: false, sipPort: 5080, tcp: []});
	assert.throws(() => configFromFlags({tcp: '1-65'}), UsageError);
	assert.throws(() => configFromFlags({tcp: '70000'}), UsageError);
	assert.throws(() => configFromFlags({sipPort: 0}), UsageError);
});

test('busy TCP ports: ss -tlnp, else lsof -sTCP:LISTEN, name the listener', async () => {
	const calls: string[][] = [];
	const ss = [
		'State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
		'LISTEN 0      511          0.0.0.0:5061       0.0.0.0:*     users:(("asterisk",pid=812,fd=23))',
	].join('\n');
	const viaSs = await findUdpPortOwners([5061, 5062], {
		protocol: 'tcp',
		platform: 'linux',
		run: async (file, args) => {
			calls.push([file, ...args]);
			return {stdout: ss};
		},
	});
	assert.deepEqual(calls, [['ss', '-tlnp']]);
	assert.deepEqual(viaSs.get(5061)?.owner, {pid: 812, name: 'asterisk'});
	assert.equal(viaSs.get(5061)?.userCommand, "ss -tlnp 'sport = :5061'");
	assert.equal(viaSs.get(5062)?.owner, null);
	const lsof = [
		'COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME',
		'kamailio 77 root 5u IPv4 1234 0t0 TCP *:5061 (LISTEN)',
	].join('\n');
	const viaLsof = await findUdpPortOwners([5061], {
		protocol: 'tcp',
		platform: 'darwin',
		run: async () => ({stdout: lsof}),
	});
	assert.deepEqual(viaLsof.get(5061)?.owner, {pid: 77, name: 'kamailio'});
	assert.equal(viaLsof.get(5061)?.userCommand, 'lsof -nP +c 0 -iTCP:5061 -sTCP:LISTEN');
});
