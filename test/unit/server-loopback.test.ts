// `fwcheck serve` on real sockets: 127.0.0.1 and 127.0.0.2 (Linux answers on all of 127/8).
// Every socket and server opened here is closed in after(), pass or fail.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import type dgram from 'node:dgram';
import {setTimeout as delay} from 'node:timers/promises';
import {AttributeType, type AttributeInput, findAttribute} from '../../source/stun/index.js';
import {
	PADDING_ECHO_LIMIT,
	PADDING_TYPE,
	type StunServer,
	StunServerError,
	formatServerError,
	startStunServer,
} from '../../source/server/index.js';
import {ALTERNATE, PRIMARY, bindSocket, bindingRequest, closeSocket, exchange, startOnFreePorts} from '../interop/support.js';

const servers: StunServer[] = [];
const sockets: dgram.Socket[] = [];
after(async () => {
	await Promise.all(servers.map(async server => server.close()));
	await Promise.all(sockets.map(async socket => closeSocket(socket)));
});

const track = <T extends StunServer | dgram.Socket>(thing: T): T => {
	if ('stats' in thing) {
		servers.push(thing);
	} else {
		sockets.push(thing);
	}

	return thing;
};

const logLines: string[] = [];
const server = track(
	await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, log: line => logLines.push(line), logIntervalMs: 50}),
);
const port = server.addresses[0]!.port;
const altPort = port + 1;
const client = track(await bindSocket(PRIMARY));
const clientPort = client.address().port;
const change = (changeIp: boolean, changePort: boolean): AttributeInput => ({kind: 'change-request', changeIp, changePort});

test('binds A:p, A:ap, B:p, B:ap and says so in the log', () => {
	assert.equal(server.mode, 'rfc5780');
	assert.deepEqual(
		server.addresses.map(({address, port}) => `${address}:${port}`),
		[`${PRIMARY}:${port}`, `${PRIMARY}:${altPort}`, `${ALTERNATE}:${port}`, `${ALTERNATE}:${altPort}`],
	);
	assert.match(logLines[0] ?? '', /listening on 127\.0\.0\.1:\d+, .*127\.0\.0\.2/);
	assert.match(logLines[1] ?? '', /RFC 5780/);
});

test('CHANGE-REQUEST: each reply really leaves from the changed IP and/or port, and says so', async () => {
	const cases = [
		{flags: [false, false], from: `${PRIMARY}:${port}`},
		{flags: [true, false], from: `${ALTERNATE}:${port}`},
		{flags: [false, true], from: `${PRIMARY}:${altPort}`},
		{flags: [true, true], from: `${ALTERNATE}:${altPort}`},
	] as const;
	for (const {flags, from} of cases) {
		const reply = await exchange(client, {address: PRIMARY, port}, bindingRequest([change(flags[0], flags[1])]));
		assert.ok(reply, `a reply for change ${flags.join('/')}`);
		assert.equal(`${reply.from.address}:${reply.from.port}`, from);
		assert.deepEqual(findAttribute(reply.message, 'response-origin')?.address, reply.from);
		assert.deepEqual(findAttribute(reply.message, 'other-address')?.address, {family: 4, address: ALTERNATE, port: altPort});
		assert.deepEqual(findAttribute(reply.message, 'xor-mapped-address')?.address, {
			family: 4,
			address: PRIMARY,
			port: clientPort,
		});
	}
});

test('a request to the alternate corner is answered relative to it: OTHER-ADDRESS is the primary', async () => {
	const reply = await exchange(client, {address: ALTERNATE, port: altPort}, bindingRequest([change(true, true)]));
	assert.ok(reply);
	assert.deepEqual(reply.from, {family: 4, address: PRIMARY, port});
	assert.deepEqual(findAttribute(reply.message, 'other-address')?.address, {family: 4, address: PRIMARY, port});
});

test('RFC 3489 request: SOURCE-ADDRESS is where the reply came from, CHANGED-ADDRESS the opposite corner', async () => {
	const reply = await exchange(client, {address: PRIMARY, port}, bindingRequest([change(true, false)], true));
	assert.ok(reply);
	assert.equal(reply.message.hasMagicCookie, false);
	assert.deepEqual(reply.from, {family: 4, address: ALTERNATE, port});
	assert.deepEqual(findAttribute(reply.message, 'source-address')?.address, reply.from);
	assert.deepEqual(findAttribute(reply.message, 'changed-address')?.address, {family: 4, address: ALTERNATE, port: altPort});
	assert.deepEqual(findAttribute(reply.message, 'mapped-address')?.address, {family: 4, address: PRIMARY, port: clientPort});
});

test('RESPONSE-PORT: the reply goes to another port of the same IP', async () => {
	const other = track(await bindSocket(PRIMARY));
	const responsePort: AttributeInput = {kind: 'other', type: AttributeType.responsePort, value: Buffer.from([0, 0, 0, 0])};
	responsePort.value.writeUInt16BE(other.address().port, 0);
	const datagram = bindingRequest([responsePort]);
	const arrived = new Promise<boolean>(resolve => {
		other.once('message', data => {
			resolve(data.subarray(4, 20).equals(datagram.subarray(4, 20)));
		});
	});
	client.send(datagram, port, PRIMARY);
	assert.equal(await Promise.race([arrived, delay(2000).then(() => false)]), true);
});

test('garbage, responses and unknown attributes: dropped or 420, counted, and the server keeps answering', async () => {
	const before = server.stats();
	const silent = [
		Buffer.from('not stun at all'),
		bindingRequest().subarray(0, 12),
		Buffer.from([0x01, 0x01, 0, 0, 0x21, 0x12, 0xa4, 0x42, ...Buffer.alloc(12)]),
	];
	for (const datagram of silent) {
		assert.equal(await exchange(client, {address: PRIMARY, port}, datagram, {waitMs: 200, tries: 1}), undefined);
	}

	const unknown = await exchange(
		client,
		{address: PRIMARY, port},
		bindingRequest([{kind: 'other', type: 0x00_02, value: Buffer.alloc(8, 1)}]),
	);
	assert.equal(findAttribute(unknown!.message, 'error-code')?.code, 420);
	assert.deepEqual(findAttribute(unknown!.message, 'unknown-attributes')?.types, [0x00_02]);
	assert.ok(await exchange(client, {address: PRIMARY, port}, bindingRequest()));

	const after = server.stats();
	assert.equal(after.droppedMalformed - before.droppedMalformed, 2);
	assert.equal(after.droppedNotRequest - before.droppedNotRequest, 1);
	assert.equal(after.unknownAttribute420 - before.unknownAttribute420, 1);
	assert.ok(after.answered > before.answered);
});

test('the largest IPv4 datagram is read whole and answered, PADDING echoed at 1500 bytes; a bad CHANGE-REQUEST is a 400', async () => {
	// 65 507 bytes is the most IPv4 UDP carries; a STUN message is a multiple of 4, so 65 504.
	const padding: AttributeInput = {kind: 'other', type: PADDING_TYPE, value: Buffer.alloc(65_504 - 20 - 4 - 8)};
	const datagram = bindingRequest([change(true, true), padding]);
	assert.equal(datagram.length, 65_504);
	const padded = await exchange(client, {address: PRIMARY, port}, datagram);
	assert.equal(padded?.message.messageClass, 'success');
	assert.deepEqual(padded.from, {family: 4, address: ALTERNATE, port: altPort});
	const echoed = padded.message.attributes.find(attribute => attribute.type === PADDING_TYPE);
	assert.equal(echoed?.kind === 'other' ? echoed.value.length : undefined, PADDING_ECHO_LIMIT);

	const before = server.stats().badRequest400;
	const badChange: AttributeInput = {kind: 'other', type: AttributeType.changeRequest, value: Buffer.from([0, 6])};
	const refused = await exchange(client, {address: PRIMARY, port}, bindingRequest([badChange]));
	assert.equal(findAttribute(refused!.message, 'error-code')?.code, 400);
	assert.equal(server.stats().badRequest400 - before, 1);
});

test('counters are logged once per interval, not per packet', async () => {
	const lines = () => logLines.filter(line => line.startsWith('stun: last'));
	for (let wait = 0; wait < 40 && lines().length === 0; wait++) {
		await delay(50);
	}

	assert.ok(lines().length > 0);
	assert.ok(lines().length < server.stats().answered, 'fewer lines than packets');
});

test('rate limit: past its burst a source gets nothing, while another source is still answered', async () => {
	const limited = track(await startOnFreePorts({primary: PRIMARY, rateLimit: {perSourceBurst: 5, perSourcePerSecond: 0.001}}));
	const to = {address: PRIMARY, port: limited.addresses[0]!.port};
	let answered = 0;
	for (let index = 0; index < 10; index++) {
		if (await exchange(client, to, bindingRequest(), {waitMs: 100, tries: 1})) {
			answered++;
		}
	}

	assert.equal(answered, 5);
	assert.equal(limited.stats().rateLimited, 5);
	const elsewhere = track(await bindSocket('127.0.0.3'));
	assert.ok(await exchange(elsewhere, to, bindingRequest()));
	assert.equal(limited.stats().sources, 2);
});

test('single-address mode: one socket, no OTHER-ADDRESS, CHANGE-REQUEST gets 420 naming CHANGE-REQUEST', async () => {
	const lines: string[] = [];
	const single = track(await startStunServer({primary: PRIMARY, port: 0, log: line => lines.push(line)}));
	assert.equal(single.mode, 'single-address');
	assert.equal(single.addresses.length, 1);
	assert.ok(lines.some(line => /single-address mode/.test(line) && /cannot run Test 2/.test(line)));
	const to = {address: PRIMARY, port: single.addresses[0]!.port};
	const plain = await exchange(client, to, bindingRequest());
	assert.ok(plain);
	assert.equal(findAttribute(plain.message, 'other-address'), undefined);
	assert.deepEqual(findAttribute(plain.message, 'response-origin')?.address, plain.from);
	const refused = await exchange(client, to, bindingRequest([change(true, true)]));
	assert.ok(refused);
	assert.deepEqual(refused.from, plain.from);
	assert.equal(findAttribute(refused.message, 'error-code')?.code, 420);
	assert.deepEqual(findAttribute(refused.message, 'unknown-attributes')?.types, [AttributeType.changeRequest]);
	assert.equal(single.stats().unknownAttribute420, 1);
});

test('IPv6: single-address on ::1 answers with an IPv6 XOR-MAPPED-ADDRESS', async t => {
	const client6 = await bindSocket('::1').catch(() => undefined);
	if (!client6) {
		t.skip('no IPv6 loopback here');
		return;
	}

	track(client6);
	const server6 = track(await startStunServer({primary: '::1', port: 0}));
	const reply = await exchange(client6, {address: '::1', port: server6.addresses[0]!.port}, bindingRequest());
	assert.ok(reply);
	assert.deepEqual(findAttribute(reply.message, 'xor-mapped-address')?.address, {
		family: 6,
		address: '::1',
		port: client6.address().port,
	});
	assert.deepEqual(findAttribute(reply.message, 'response-origin')?.address, {
		family: 6,
		address: '::1',
		port: server6.addresses[0]!.port,
	});
});

test('an address this host does not have: a typed error naming it; nothing is sent', async () => {
	await assert.rejects(startStunServer({primary: '192.0.2.1', port: 40_000}), (error: unknown) => {
		assert.ok(error instanceof StunServerError);
		assert.equal(error.code, 'address-not-available');
		assert.equal(error.endpoint, '192.0.2.1:40000');
		assert.match(formatServerError(error), /^cannot listen on 192\.0\.2\.1:40000\/udp: this host has no address 192\.0\.2\.1/);
		return true;
	});
});

test('a port in use: a typed error, and the sockets bound before it are released', async () => {
	// Hold B:p of a free pair, so the third of four binds fails after two succeeded.
	const probe = track(await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE}));
	const freePort = probe.addresses[0]!.port;
	await probe.close();
	const holder = track(await bindSocket(ALTERNATE, freePort));
	await assert.rejects(
		startStunServer({primary: PRIMARY, alternate: ALTERNATE, port: freePort, altPort: freePort + 1}),
		(error: unknown) => {
			assert.ok(error instanceof StunServerError);
			assert.equal(error.code, 'port-in-use');
			assert.equal(error.endpoint, `${ALTERNATE}:${freePort}`);
			assert.match(formatServerError(error), /already in use/);
			return true;
		},
	);
	await closeSocket(holder);
	// A:p and A:ap were closed on the way out: binding them again works.
	for (const candidate of [freePort, freePort + 1]) {
		await closeSocket(track(await bindSocket(PRIMARY, candidate)));
	}
});

test('close() is idempotent and stops answering', async () => {
	const short = await startStunServer({primary: PRIMARY, port: 0});
	const to = {address: PRIMARY, port: short.addresses[0]!.port};
	assert.ok(await exchange(client, to, bindingRequest()));
	await short.close();
	await short.close();
	assert.equal(await exchange(client, to, bindingRequest(), {waitMs: 100, tries: 1}), undefined);
});
