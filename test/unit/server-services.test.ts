// The services only `fwcheck serve` offers of `fwcheck serve` on real loopback sockets: the server's primary IP is
// 127.0.0.1, its second IP 127.0.0.2; clients pose as other hosts by binding 127.0.0.x. Every
// port is picked by the OS (0) or at random, so parallel runs never clash. All is closed in after().
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import {once} from 'node:events';
import {setTimeout as delay} from 'node:timers/promises';
import {findAttribute} from '../../source/stun/index.js';
import {
	FWCHECK_SERVICES,
	NONCE_HEADER,
	SOURCE_HEADER,
	buildSipRequest,
	decodeEcho,
	findMessageEnd,
	findServices,
	headerValue,
	parseSipMessage,
	queryAttribute,
} from '../../source/wire/index.js';
import {type StunServer, type ServiceOptions} from '../../source/server/index.js';
import {ALTERNATE, PRIMARY, bindSocket, bindingRequest, closeSocket, exchange, startOnFreePorts} from '../interop/support.js';
import {ControlClient, closeAll, freeTcpPort, recordingListener, silentUdp, sipResponder} from '../support/service-peers.js';

const servers: StunServer[] = [];
const udpSockets: dgram.Socket[] = [];
after(async () => {
	await closeAll();
	await Promise.all(servers.map(async server => server.close()));
	await Promise.all(udpSockets.map(async socket => closeSocket(socket)));
});

const start = async (services: ServiceOptions, alternate: string | null = ALTERNATE): Promise<StunServer> => {
	const server = await startOnFreePorts({
		primary: PRIMARY,
		alternate: alternate ?? undefined,
		services: {sipPort: 0, controlPort: 0, ...services},
	});
	servers.push(server);
	return server;
};

const logLines: string[] = [];
const server =
	servers[
		servers.push(
			await startOnFreePorts({
				primary: PRIMARY,
				alternate: ALTERNATE,
				log: line => logLines.push(line),
				services: {sipPort: 0, controlPort: 0},
			}),
		) - 1
	]!;
const sipPort = server.services!.sipPort!;
const controlPort = server.services!.controlPort!;
const client = await bindSocket(PRIMARY);
udpSockets.push(client);

const options = (extra = '', method = 'OPTIONS'): Buffer =>
	buildSipRequest({
		method,
		uri: `sip:echo@${PRIMARY}:${sipPort}`,
		headers: [
			['Via', `SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK${Math.random().toString(16).slice(2)};rport`],
			['From', '<sip:pbx@192.168.1.20>;tag=abc'],
			['To', `<sip:echo@${PRIMARY}>`],
			['Call-ID', `${Math.random().toString(16).slice(2)}@192.168.1.20`],
			['CSeq', `1 ${method}`],
			['Contact', '<sip:pbx@192.168.1.20:5060>'],
			...(extra ? ([['X-Extra', extra]] as Array<[string, string]>) : []),
		],
	});

/** The next datagram on a socket, within a bound. */
const nextDatagram = async (socket: dgram.Socket, timeoutMs = 3000): Promise<Buffer | undefined> =>
	Promise.race([
		once(socket, 'message').then(([data]) => data as Buffer),
		new Promise<undefined>(resolve =>
			setTimeout(() => {
				resolve(undefined);
			}, timeoutMs).unref(),
		),
	]);

test('start-up lines name each service and its real port', () => {
	assert.ok(
		logLines.some(line => line.includes(`SIP echo on ${PRIMARY}:${sipPort} (UDP and TCP)`)),
		logLines.join('\n'),
	);
	assert.ok(logLines.some(line => line.includes(`control service on ${PRIMARY}:${controlPort}/tcp`) && line.includes(ALTERNATE)));
});

test('discovery: only a request with FWCHECK-QUERY gets FWCHECK-SERVICES, with the real ports, within 5x', async () => {
	const request = bindingRequest([queryAttribute()]);
	const reply = await exchange(client, {address: PRIMARY, port: server.addresses[0]!.port}, request);
	assert.ok(reply);
	assert.deepEqual(findServices(reply.message), {sipPort, controlPort, options: true, connect: true, maxPorts: 16});
	assert.ok(reply.bytes <= 5 * request.length);
	assert.ok(findAttribute(reply.message, 'xor-mapped-address'));
	const plain = await exchange(client, {address: PRIMARY, port: server.addresses[0]!.port}, bindingRequest());
	assert.ok(plain);
	assert.equal(
		plain.message.attributes.some(({type}) => type === FWCHECK_SERVICES),
		false,
	);
});

test('discovery: a server without services answers the query like any Binding request', async () => {
	const bare = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE});
	servers.push(bare);
	const reply = await exchange(client, {address: PRIMARY, port: bare.addresses[0]!.port}, bindingRequest([queryAttribute()]));
	assert.ok(reply);
	assert.equal(findServices(reply.message), undefined);
});

test('single address: SIP echo only, and the discovery text says so', async () => {
	const single = await start({}, null);
	assert.deepEqual(single.services, {sipPort: single.services?.sipPort, options: false, connect: false});
	const reply = await exchange(client, {address: PRIMARY, port: single.addresses[0]!.port}, bindingRequest([queryAttribute()]));
	assert.ok(reply);
	assert.deepEqual(findServices(reply.message), single.services);
});

test('UDP echo: 200 with the exact request bytes and the source seen, at most 3x the request', async () => {
	const request = options();
	client.send(request, sipPort, PRIMARY);
	const data = await nextDatagram(client);
	assert.ok(data, 'an answer');
	assert.ok(data.length <= 3 * request.length);
	const parsed = parseSipMessage(data);
	assert.ok(parsed.ok);
	assert.equal(parsed.message.startLine, 'SIP/2.0 200 OK');
	assert.equal(headerValue(parsed.message, SOURCE_HEADER), `${PRIMARY}:${client.address().port}`);
	assert.deepEqual(decodeEcho(parsed.message).received, request);
});

test('UDP echo: garbage and responses are never answered, only counted; INVITE gets 488', async () => {
	const before = server.serviceStats().sipDropped;
	client.send(Buffer.from('\u0000\u0001hello'), sipPort, PRIMARY);
	client.send(Buffer.from('SIP/2.0 200 OK\r\nVia: x\r\nCall-ID: y\r\n\r\n'), sipPort, PRIMARY);
	client.send(Buffer.alloc(5000, 0x41), sipPort, PRIMARY);
	// Loopback keeps order: the first thing back must be the INVITE's answer.
	client.send(options('', 'INVITE'), sipPort, PRIMARY);
	const data = await nextDatagram(client);
	assert.ok(data);
	assert.match(data.toString('latin1'), /^SIP\/2\.0 488 Not Acceptable Here\r\n/);
	assert.equal(server.serviceStats().sipDropped - before, 3);
});

test('UDP echo: a request whose echo would pass 3x gets a bodyless 513 instead', async () => {
	const request = Buffer.from(`OPTIONS s SIP/2.0\r\nv:${'x'.repeat(40)}\r\nf:a\r\nt:a\r\ni:1\r\nCSeq:1 OPTIONS\r\n\r\n`);
	client.send(request, sipPort, PRIMARY);
	const data = await nextDatagram(client);
	assert.ok(data);
	assert.match(data.toString('latin1'), /^SIP\/2\.0 513 Message Too Large\r\n/);
	assert.ok(data.length <= 3 * request.length);
});

const tcpExchange = async (bytes: Buffer): Promise<{received: string; closed: boolean}> => {
	const socket = net.connect({host: PRIMARY, port: sipPort});
	socket.on('error', () => undefined);
	let received = '';
	socket.on('data', chunk => {
		received += chunk.toString('latin1');
	});
	await once(socket, 'connect');
	socket.write(bytes);
	// The server closes after the 4th message, on garbage, or after 5 s idle: bounded.
	await once(socket, 'close');
	return {received, closed: true};
};

test('TCP echo: messages framed by Content-Length, each answered, the connection closed after 4', async () => {
	const requests = [options('a'), options('b'), options('c'), options('d'), options('e')];
	const {received} = await tcpExchange(Buffer.concat(requests));
	const answers = received.split(/(?=SIP\/2\.0 )/);
	assert.equal(answers.length, 4, received);
	for (const [index, text] of answers.entries()) {
		const parsed = parseSipMessage(Buffer.from(text, 'latin1'));
		assert.ok(parsed.ok);
		assert.deepEqual(decodeEcho(parsed.message).received, requests[index]);
	}
});

test('TCP echo: keep-alive CRLFs before a message are echoed with it', async () => {
	const request = Buffer.concat([Buffer.from('\r\n\r\n'), options('k')]);
	const socket = net.connect({host: PRIMARY, port: sipPort});
	socket.on('error', () => undefined);
	await once(socket, 'connect');
	socket.write(request);
	// Read until one whole answer is in; the server's 5 s idle close bounds the wait.
	const answer = await new Promise<Buffer>(resolve => {
		let received = Buffer.alloc(0);
		socket.on('data', chunk => {
			received = Buffer.concat([received, chunk]);
			if (findMessageEnd(received, 65_536).state === 'complete') {
				resolve(received);
			}
		});
		socket.on('close', () => resolve(received));
	});
	socket.destroy();
	const parsed = parseSipMessage(answer);
	assert.ok(parsed.ok);
	assert.deepEqual(decodeEcho(parsed.message).received, request);
});

test('TCP echo: garbage or a message over 8 KiB closes the connection unanswered', async () => {
	assert.equal((await tcpExchange(Buffer.from('GARBAGE\r\nno header\r\n\r\n'))).received, '');
	assert.equal((await tcpExchange(options('x'.repeat(9000)))).received, '');
});

test('SIP echo: UDP sources that drain the UDP total budget do not silence TCP', async () => {
	const rate = {perSourceBurst: 2, perSourcePerSecond: 0.001, totalBurst: 2, totalPerSecond: 0.001};
	const limited = await start({limits: {sipRate: rate}});
	const port = limited.services!.sipPort!;
	// Two UDP requests use the whole UDP total; a third gets nothing.
	for (let index = 0; index < 2; index++) {
		client.send(options(), port, PRIMARY);
		assert.ok(await nextDatagram(client), `UDP answer ${index + 1}`);
	}

	client.send(options(), port, PRIMARY);
	assert.equal(await nextDatagram(client, 300), undefined, 'the UDP total is spent');
	const socket = net.connect({host: PRIMARY, port, localAddress: '127.0.0.44'});
	socket.on('error', () => undefined);
	await once(socket, 'connect');
	socket.write(options('tcp'));
	// The first bytes back, or nothing when the server closes (its idle limit bounds the wait).
	const first = await new Promise<string>(resolve => {
		socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
		socket.once('close', () => resolve(''));
	});
	socket.destroy();
	assert.match(first, /^SIP\/2\.0 200 OK\r\n/);
});

test('control: a line over 1024 bytes gets an error, then the connection closes', async () => {
	const control = await ControlClient.open(controlPort);
	control.send(`{"v":1,"id":1,"op":"connect","ports":[1],"nonce":"${'a'.repeat(1100)}"}\n`);
	const reply = await control.reply();
	assert.deepEqual({...reply, detail: undefined}, {id: null, ok: false, error: 'bad-request', detail: undefined});
	await control.closed;
});

test('control: a peer that sends requests but never reads the replies is cut off', async () => {
	const socket = net.connect({host: PRIMARY, port: controlPort, localAddress: '127.0.0.15'});
	socket.on('error', () => undefined);
	await once(socket, 'connect');
	socket.pause();
	// 100 000 bad lines: about 7 MB of error replies, more than the kernel's socket buffers hold.
	socket.write('x\n'.repeat(100_000));
	// Wait (bounded) for the server to count the cut; a paused socket would not see the reset.
	for (let step = 0; step < 500 && server.serviceStats().unreadCutOff === 0; step++) {
		await delay(20);
	}

	socket.destroy();
	assert.equal(server.serviceStats().unreadCutOff, 1);
});

test('control: an unknown op is a bad request, with the id echoed', async () => {
	const control = await ControlClient.open(controlPort);
	control.send({v: 1, id: 8, op: 'frobnicate'});
	const reply = await control.reply();
	assert.ok(reply && !reply.ok);
	assert.deepEqual([reply.id, reply.error], [8, 'bad-request']);
});

test('control: too-many-ports says so', async () => {
	const control = await ControlClient.open(controlPort);
	control.send({v: 1, id: 9, op: 'connect', ports: Array.from({length: 17}, (_, i) => 20_000 + i), nonce: 'ab'});
	const reply = await control.reply();
	assert.ok(reply && !reply.ok);
	assert.equal(reply.error, 'too-many-ports');
	assert.equal(reply.id, 9);
});

test('control: the 5th connection from one source is refused with "busy", another source still gets in', async () => {
	const four = await Promise.all([1, 2, 3, 4].map(async () => ControlClient.open(controlPort, '127.0.0.9')));
	const fifth = await ControlClient.open(controlPort, '127.0.0.9');
	const refused = await fifth.reply();
	assert.ok(refused && !refused.ok);
	assert.equal(refused.error, 'busy');
	await fifth.closed;
	const other = await ControlClient.open(controlPort, '127.0.0.10');
	other.send({v: 1, id: 1, op: 'frobnicate'});
	assert.equal((await other.reply())?.id, 1);
	for (const control of four) {
		control.socket.destroy();
	}
});

test("connect-back: from the second IP to the control connection's own IP, whatever the message names", async () => {
	const clientIp = '127.0.0.5';
	const decoy = '127.0.0.6';
	const listener = await recordingListener(clientIp);
	const elsewhere = await recordingListener(decoy, listener.port);
	const closedPort = await freeTcpPort(clientIp);
	const control = await ControlClient.open(controlPort, clientIp);
	// Extra keys naming another host are not part of the protocol: ignored.
	control.send({v: 1, id: 2, op: 'connect', ports: [listener.port, closedPort], nonce: 'c0ffee', host: decoy, address: decoy});
	const reply = await control.reply();
	assert.ok(reply?.ok && reply.op === 'connect', JSON.stringify(reply));
	assert.deepEqual(
		reply.results.map(({port, outcome}) => ({port, outcome})),
		[
			{port: listener.port, outcome: 'connected'},
			{port: closedPort, outcome: 'refused'},
		],
	);
	assert.equal(listener.seen.length, 1);
	assert.equal(listener.seen[0]!.from, ALTERNATE);
	assert.equal(await listener.seen[0]!.line, 'FWCHECK c0ffee\r\n');
	assert.equal(elsewhere.seen.length, 0);
});

test('connect-back: the per-source budget runs out (rate-limited) while another source is still served', async () => {
	const limited = await start({limits: {connectPerSourcePerMinute: 4, connectTotalBurst: 1000, connectTotalPerSecond: 1000}});
	const port = limited.services!.controlPort!;
	const target = await freeTcpPort('127.0.0.7');
	const control = await ControlClient.open(port, '127.0.0.7');
	control.send({v: 1, id: 1, op: 'connect', ports: [target, target + 1, target + 2], nonce: 'ab'});
	assert.equal((await control.reply())?.ok, true);
	control.send({v: 1, id: 2, op: 'connect', ports: [target, target + 1], nonce: 'ab'});
	const refused = await control.reply();
	assert.ok(refused && !refused.ok);
	assert.equal(refused.error, 'rate-limited');
	const other = await ControlClient.open(port, '127.0.0.8');
	other.send({v: 1, id: 3, op: 'connect', ports: [target], nonce: 'ab'});
	assert.equal((await other.reply())?.ok, true);
});

test('connect-back: the total budget binds across sources', async () => {
	const limited = await start({limits: {connectTotalBurst: 3, connectTotalPerSecond: 0.001}});
	const port = limited.services!.controlPort!;
	const first = await ControlClient.open(port, '127.0.0.11');
	first.send({v: 1, id: 1, op: 'connect', ports: [1, 2, 3], nonce: 'ab'});
	assert.equal((await first.reply())?.ok, true);
	const second = await ControlClient.open(port, '127.0.0.12');
	second.send({v: 1, id: 1, op: 'connect', ports: [1], nonce: 'ab'});
	const refused = await second.reply();
	assert.ok(refused && !refused.ok);
	assert.equal(refused.error, 'rate-limited');
});

test("sip-options over UDP and TCP: sent from the second IP to the client's IP, the PBX's answer relayed", async () => {
	const pbx = await sipResponder(PRIMARY, '401 Unauthorized');
	const control = await ControlClient.open(controlPort);
	for (const [transport, port] of [
		['udp', pbx.udpPort],
		['tcp', pbx.tcpPort],
	] as const) {
		control.send({v: 1, id: 5, op: 'sip-options', port, transport});
		const reply = await control.reply();
		assert.ok(reply?.ok && reply.op === 'sip-options' && reply.answered, JSON.stringify(reply));
		assert.equal(reply.transport, transport);
		assert.equal(reply.from, `${PRIMARY}:${port}`);
		assert.match(Buffer.from(reply.response, 'base64').toString('latin1'), /^SIP\/2\.0 401 Unauthorized\r\n/);
		const sent = parseSipMessage(Buffer.from(reply.sent, 'base64'));
		assert.ok(sent.ok);
		assert.match(headerValue(sent.message, NONCE_HEADER) ?? '', /^[\da-f]{32}$/);
		assert.match(headerValue(sent.message, 'via') ?? '', new RegExp(`^SIP/2\\.0/${transport.toUpperCase()} 127\\.0\\.0\\.2:`));
		const seen = pbx.requests.filter(request => request.transport === transport);
		assert.ok(seen.length > 0);
		assert.ok(seen.every(request => request.from === ALTERNATE));
	}
});

test('sip-options: refused over TCP and UDP (ICMP) when nothing listens, timeout when a socket stays silent', async () => {
	const control = await ControlClient.open(controlPort);
	const closed = await freeTcpPort();
	control.send({v: 1, id: 1, op: 'sip-options', port: closed, transport: 'tcp'});
	const tcp = await control.reply();
	assert.ok(tcp?.ok && tcp.op === 'sip-options' && !tcp.answered);
	assert.equal(tcp.reason, 'refused');
	const closedUdp = await silentUdp('127.0.0.14', false);
	control.send({v: 1, id: 3, op: 'sip-options', port: closedUdp, transport: 'udp'});
	const icmp = await control.reply();
	assert.ok(icmp?.ok && icmp.op === 'sip-options' && !icmp.answered);
	assert.equal(icmp.reason, 'refused');
	const silent = await silentUdp(PRIMARY);
	control.send({v: 1, id: 2, op: 'sip-options', port: silent, transport: 'udp'});
	const udp = await control.reply();
	assert.ok(udp?.ok && udp.op === 'sip-options' && !udp.answered);
	assert.equal(udp.reason, 'timeout');
});

test('control: a 5th request in flight gets "busy"; OPTIONS turned off gets "disabled"', async () => {
	const silent = await silentUdp(PRIMARY);
	const control = await ControlClient.open(controlPort, '127.0.0.13');
	// One write: all five lines arrive together, four start, the fifth finds no room.
	control.send(
		[1, 2, 3, 4, 5].map(id => JSON.stringify({v: 1, id, op: 'sip-options', port: silent, transport: 'udp'})).join('\n') + '\n',
	);
	const first = await control.reply();
	assert.ok(first && !first.ok);
	assert.deepEqual([first.id, first.error], [5, 'busy']);
	const off = await start({sipOptions: false});
	assert.deepEqual(off.services, {
		sipPort: off.services?.sipPort,
		controlPort: off.services?.controlPort,
		options: false,
		connect: true,
		maxPorts: 16,
	});
	const offControl = await ControlClient.open(off.services.controlPort!);
	offControl.send({v: 1, id: 4, op: 'sip-options', port: 5060, transport: 'udp'});
	const disabled = await offControl.reply();
	assert.ok(disabled && !disabled.ok);
	assert.equal(disabled.error, 'disabled');
});

test('options the server cannot honour are refused with one line', async () => {
	await assert.rejects(
		startOnFreePorts({primary: PRIMARY, services: {connectBack: true}}),
		/connect-back sends from the second address/,
	);
	await assert.rejects(
		startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, services: {sipPort: 40_000, controlPort: 40_000}}),
		/both 40000\/tcp/,
	);
});

test('IPv6 on ::1: discovery fits the 5x budget, the echo names the source in brackets', async t => {
	const client6 = await bindSocket('::1').catch(() => undefined);
	if (!client6) {
		t.skip('no IPv6 loopback here');
		return;
	}

	udpSockets.push(client6);
	const server6 = await startOnFreePorts({primary: '::1', services: {sipPort: 0}});
	servers.push(server6);
	const request = bindingRequest([queryAttribute()]);
	const reply = await exchange(client6, {address: '::1', port: server6.addresses[0]!.port}, request);
	assert.ok(reply);
	assert.ok(reply.bytes <= 5 * request.length, `${reply.bytes} bytes for ${request.length}`);
	assert.deepEqual(findServices(reply.message), server6.services);
	const sip = options();
	client6.send(sip, server6.services!.sipPort, '::1');
	const data = await nextDatagram(client6);
	assert.ok(data);
	const parsed = parseSipMessage(data);
	assert.ok(parsed.ok);
	assert.equal(headerValue(parsed.message, SOURCE_HEADER), `[::1]:${client6.address().port}`);
});
