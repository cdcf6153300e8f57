import {test} from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {getEventListeners, once} from 'node:events';
import {Method, decodeMessage, encodeMessage} from '../../source/stun/index.js';
import {StunSocket, fromAddress, fromIp} from '../../source/stun/stun-socket.js';
import {watchAbort} from '../../source/stun/abort-watch.js';
import {newTransactionId} from '../../source/stun/transaction-id.js';

type Answer = (request: Buffer, from: dgram.RemoteInfo, reply: (bytes: Buffer, via?: dgram.Socket) => void) => void;

/** A scripted peer on loopback: real sockets, its behaviour chosen by each test. */
const peer = async (address: string, answer: Answer) => {
	const socket = dgram.createSocket('udp4');
	socket.bind(0, address);
	await once(socket, 'listening');
	socket.on('message', (data, from) => {
		answer(data, from, (bytes, via = socket) => {
			via.send(bytes, from.port, from.address);
		});
	});
	return {socket, address: {family: 4 as const, address, port: socket.address().port}, close: () => socket.close()};
};

const successFor = (request: Buffer, mappedPort: number): Buffer => {
	const decoded = decodeMessage(request);
	assert.ok(decoded.ok);
	return encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId: decoded.message.transactionId,
		attributes: [{kind: 'xor-mapped-address', address: {family: 4, address: '127.0.0.1', port: mappedPort}}],
	});
};

const open = async () => {
	const opened = await StunSocket.open({port: 0, address: '127.0.0.1'});
	assert.ok(opened.ok);
	return opened.socket;
};

test('a matching reply from the expected address answers the request', async () => {
	const server = await peer('127.0.0.1', (request, from, reply) => {
		reply(successFor(request, from.port));
	});
	const socket = await open();
	try {
		const result = await socket.request({
			to: server.address,
			accept: fromAddress(server.address),
			maxSends: 3,
			waitAfter: () => 200,
		});
		assert.ok(result.ok);
		assert.equal(result.sends, 1);
		assert.equal(result.from.port, server.address.port);
	} finally {
		await socket.close();
		server.close();
	}
});

test('a reply with the right transaction ID from the wrong address is dropped and counted', async () => {
	// The "server" answers from a second socket on another IP, which Test 1 must not accept.
	const other = await peer('127.0.0.2', () => undefined);
	const server = await peer('127.0.0.1', (request, from, reply) => {
		reply(successFor(request, from.port), other.socket);
	});
	const socket = await open();
	try {
		const result = await socket.request({
			to: server.address,
			accept: fromAddress(server.address),
			maxSends: 2,
			waitAfter: () => 50,
		});
		assert.equal(result.ok, false);
		assert.equal(result.wrongSource.length, 2);
		assert.equal(socket.counters.wrongSource, 2);

		// The same reply path is exactly what Test 2 waits for.
		const test2 = await socket.request({to: server.address, accept: fromIp('127.0.0.2'), maxSends: 2, waitAfter: () => 200});
		assert.ok(test2.ok);
		assert.equal(test2.from.address, '127.0.0.2');
	} finally {
		await socket.close();
		server.close();
		other.close();
	}
});

test('garbage, forged replies with unknown IDs, and requests are counted, never thrown', async () => {
	const junk = [
		Buffer.alloc(0),
		Buffer.from('not stun at all'),
		Buffer.alloc(19, 1),
		encodeMessage({method: Method.binding, messageClass: 'success', transactionId: Buffer.alloc(12, 7)}),
		encodeMessage({method: Method.binding, messageClass: 'request', transactionId: Buffer.alloc(12, 8)}),
	];
	let answered = 0;
	const server = await peer('127.0.0.1', (request, from, reply) => {
		for (const bytes of junk) {
			reply(bytes);
		}

		// Answer only the second send, so the junk arrives while the request is in flight.
		if (++answered === 2) {
			reply(successFor(request, from.port));
		}
	});
	const socket = await open();
	try {
		const result = await socket.request({
			to: server.address,
			accept: fromAddress(server.address),
			maxSends: 4,
			waitAfter: () => 100,
		});
		assert.ok(result.ok);
		assert.equal(result.sends, 2);
		assert.equal(socket.counters.garbage >= 8, true, `garbage ${socket.counters.garbage}`);
		assert.equal(socket.counters.unknownTransaction >= 2, true);
	} finally {
		await socket.close();
		server.close();
	}
});

test('a late reply to one transaction never answers the next', async () => {
	let first: Buffer | undefined;
	const server = await peer('127.0.0.1', (request, from, reply) => {
		if (first) {
			// Answer the second request with the first request's transaction: stale.
			reply(successFor(first, from.port));
			return;
		}

		first = request;
	});
	const socket = await open();
	try {
		const one = await socket.request({to: server.address, accept: fromAddress(server.address), maxSends: 1, waitAfter: () => 50});
		assert.equal(one.ok, false);
		const two = await socket.request({to: server.address, accept: fromAddress(server.address), maxSends: 2, waitAfter: () => 50});
		assert.equal(two.ok, false);
		assert.equal(two.sends, 2);
		assert.equal(socket.counters.unknownTransaction, 2);
	} finally {
		await socket.close();
		server.close();
	}
});

test('a second answer to a retransmitted request says an earlier send was late, not lost; a lost one says nothing', async () => {
	// The first copy is answered late (after the retransmission), the second at once: two answers.
	let copies = 0;
	const server = await peer('127.0.0.1', (request, from, reply) => {
		copies++;
		if (copies === 1) {
			setTimeout(() => {
				reply(successFor(request, from.port));
			}, 80);
		} else if (copies === 2) {
			reply(successFor(request, from.port));
		}
		// Copies 3 and 4 (the next request): the first is dropped, as on a lossy path.
		else if (copies === 4) {
			reply(successFor(request, from.port));
		}
	});
	const socket = await open();
	try {
		const late: Array<readonly number[]> = [];
		const plan = {
			to: server.address,
			accept: fromAddress(server.address),
			maxSends: 3,
			waitAfter: () => 40,
			onLateAnswer(sendTimes: readonly number[]) {
				late.push(sendTimes);
			},
		};
		const delayed = await socket.request(plan);
		assert.ok(delayed.ok);
		assert.equal(delayed.sends, 2);
		const lost = await socket.request(plan);
		assert.ok(lost.ok);
		assert.equal(lost.sends, 2);
		await new Promise(resolve => {
			setTimeout(resolve, 150);
		});
		assert.equal(late.length, 1, 'heard once, for the delayed request only');
		assert.deepEqual(late[0], delayed.sendTimes);
	} finally {
		await socket.close();
		server.close();
	}
});

test('retransmits on the schedule it is given, then times out', async () => {
	let received = 0;
	const server = await peer('127.0.0.1', () => {
		received++;
	});
	const socket = await open();
	try {
		const waits: number[] = [];
		const result = await socket.request({
			to: server.address,
			accept: fromAddress(server.address),
			maxSends: 4,
			waitAfter(index) {
				waits.push(index);
				return 20;
			},
		});
		assert.equal(result.ok, false);
		assert.equal(result.ok ? '' : result.reason, 'timeout');
		assert.equal(result.sends, 4);
		assert.deepEqual(waits, [0, 1, 2, 3]);
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		assert.equal(received, 4);
	} finally {
		await socket.close();
		server.close();
	}
});

test('abort settles the request at once and sends nothing more', async () => {
	let received = 0;
	const server = await peer('127.0.0.1', () => {
		received++;
	});
	const socket = await open();
	const controller = new AbortController();
	try {
		const pending = socket.request({
			to: server.address,
			accept: fromAddress(server.address),
			maxSends: 50,
			waitAfter: () => 10_000,
			signal: controller.signal,
		});
		controller.abort();
		const result = await pending;
		assert.equal(result.ok ? '' : result.reason, 'aborted');
		assert.ok(result.sends <= 1);
		assert.ok(received <= 1);
	} finally {
		await socket.close();
		server.close();
	}
});

test('binding a port that is held reports in-use', async () => {
	const holder = dgram.createSocket('udp4');
	holder.bind(0, '127.0.0.1');
	await once(holder, 'listening');
	try {
		const opened = await StunSocket.open({port: holder.address().port, address: '127.0.0.1'});
		assert.equal(opened.ok, false);
		assert.equal(opened.ok ? '' : opened.code, 'in-use');
	} finally {
		holder.close();
	}
});

test('transaction IDs: 12 bytes, all different, and never changed by later ones', () => {
	const first = newTransactionId();
	const copy = Buffer.from(first);
	const seen = new Set<string>([first.toString('hex')]);
	for (let index = 0; index < 5000; index++) {
		seen.add(newTransactionId().toString('hex'));
	}

	assert.equal(first.length, 12);
	assert.equal(seen.size, 5001);
	assert.deepEqual(first, copy, 'refilling the pool must not touch an ID handed out');
});

test('abort watch: one listener on the signal for any number of waiters; each called once, stopped ones never', () => {
	const controller = new AbortController();
	const calls: number[] = [];
	const stops = Array.from({length: 1000}, (_, index) =>
		watchAbort(controller.signal, () => {
			calls.push(index);
		}),
	);
	assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
	for (const stop of stops.slice(0, 500)) {
		stop();
	}

	controller.abort();
	controller.abort();
	assert.deepEqual(
		calls,
		Array.from({length: 500}, (_, index) => 500 + index),
	);
});
