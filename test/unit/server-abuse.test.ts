// How the services only `fwcheck serve` offers of `fwcheck serve` hold up against peers that misbehave on purpose:
// slow senders (slowloris), peers that never close their side, shutdown with such peers around.
// Loopback only; limits are lowered so each case ends in well under a second when it holds, and
// every loop is bounded in count so a broken limit fails the test instead of hanging it.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {once} from 'node:events';
import {setTimeout as delay} from 'node:timers/promises';
import {type ServiceLimits, type StunServer} from '../../source/server/index.js';
import {ALTERNATE, PRIMARY, startOnFreePorts} from '../interop/support.js';

const servers: StunServer[] = [];
const sockets: net.Socket[] = [];
after(async () => {
	for (const socket of sockets) {
		socket.destroy();
	}

	await Promise.all(servers.map(async server => server.close()));
});

const start = async (limits: Partial<ServiceLimits>): Promise<StunServer> => {
	const server = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, services: {sipPort: 0, controlPort: 0, limits}});
	servers.push(server);
	return server;
};

const connect = async (port: number, localAddress: string, allowHalfOpen = false): Promise<net.Socket> => {
	const socket = net.connect({host: PRIMARY, port, localAddress, allowHalfOpen});
	sockets.push(socket);
	socket.on('error', () => undefined);
	await once(socket, 'connect');
	return socket;
};

/**
 * Send `text` one byte every `gapMs`, as a slowloris does: true if the server closed the
 * connection before the bytes ran out.
 */
const trickle = async (socket: net.Socket, text: string, gapMs: number): Promise<boolean> => {
	let closed = false;
	socket.once('close', () => {
		closed = true;
	});
	for (const byte of text) {
		if (closed) {
			return true;
		}

		socket.write(byte);
		await delay(gapMs);
	}

	return closed;
};

// 60 bytes at 50 ms: 3 s of trickling against an idle limit of 400 ms, far more than one gap.
const slowText = 'x'.repeat(60);

test('SIP echo over TCP: a peer trickling one byte at a time is closed at the idle limit', async () => {
	const server = await start({sipTcpIdleMs: 400});
	const socket = await connect(server.services!.sipPort!, '127.0.0.41');
	assert.equal(await trickle(socket, `OPTIONS sip:a SIP/2.0\r\n${slowText}`, 50), true);
});

test('SIP echo over TCP: after its last message a peer cannot keep the connection by trickling', async () => {
	const server = await start({sipTcpIdleMs: 400, sipTcpMaxMessages: 1});
	const socket = await connect(server.services!.sipPort!, '127.0.0.42', true);
	socket.write('OPTIONS sip:a SIP/2.0\r\nVia: x\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n');
	socket.resume();
	await once(socket, 'end');
	assert.equal(await trickle(socket, slowText, 50), true);
});

test('control: a peer trickling a line one byte at a time is closed at the idle limit', async () => {
	const server = await start({controlIdleMs: 400});
	const socket = await connect(server.services!.controlPort!, '127.0.0.43');
	assert.equal(await trickle(socket, `{"v":1,"id":1,"op":"connect","ports":[1],"nonce":"${'a'.repeat(30)}`, 50), true);
});

test('control: after an overlong line a peer cannot keep the connection by sending on', async () => {
	const server = await start({controlIdleMs: 400});
	const socket = await connect(server.services!.controlPort!, '127.0.0.45', true);
	socket.resume();
	socket.write('x'.repeat(1100));
	await once(socket, 'end');
	assert.equal(await trickle(socket, slowText, 50), true);
});

test('control: a refused connection whose peer never closes is released, and close() still ends', async () => {
	const server = await start({controlConnectionsPerSource: 1});
	const port = server.services!.controlPort!;
	const admitted = await connect(port, '127.0.0.44');
	// The peer keeps its side open after the server's "busy" (allowHalfOpen) and never reads again.
	const refused = await connect(port, '127.0.0.44', true);
	refused.resume();
	await once(refused, 'end');
	admitted.destroy();
	const closed = await Promise.race([server.close().then(() => true), delay(5000, false)]);
	assert.equal(closed, true, 'close() waited on a refused connection the server never let go');
});

test('control: whole lines now and then do not keep a connection past its lifetime', async () => {
	const server = await start({controlIdleMs: 400, controlLifetimeMs: 600});
	const socket = await connect(server.services!.controlPort!, '127.0.0.46');
	socket.resume();
	let closed = false;
	socket.once('close', () => {
		closed = true;
	});
	// A bad request every 100 ms restarts the idle clock; 30 of them span 3 s, five lifetimes.
	for (let index = 0; index < 30 && !closed; index++) {
		socket.write('{"v":1,"id":1,"op":"nothing"}\n');
		await delay(100);
	}

	assert.equal(closed, true);
});
