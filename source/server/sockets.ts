import dgram from 'node:dgram';
import net from 'node:net';
import {formatAddress, type TransportAddress} from '../stun/index.js';
import type {Clock, TimerHandle} from '../net/clock.js';
import type {Tcp, TcpConnection, TcpListener} from '../net/tcp.js';
import type {BindErrorCode} from '../net/udp.js';
import {bindError} from './errors.js';

const receiveBufferBytes = 4 * 1024 * 1024;

/** Bind one UDP socket to exactly this address; reject with a typed, one-line error. */
export const bindUdp = async (address: TransportAddress): Promise<dgram.Socket> => {
	// ipv6Only: an IPv6 server must not also take IPv4-mapped traffic on the same port.
	const socket = dgram.createSocket({type: address.family === 6 ? 'udp6' : 'udp4', ipv6Only: address.family === 6});
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			socket.close();
			reject(bindError(formatAddress(address), address.address, error));
		};

		socket.once('error', onError);
		socket.bind({address: address.address, port: address.port, exclusive: true}, () => {
			socket.off('error', onError);
			// A large receive buffer rides out a checker's bursts (thousands of ports at once) while
			// the event loop is busy. Linux caps it at net.core.rmem_max; where the OS refuses the
			// size, the default buffer still works.
			try {
				socket.setRecvBufferSize(receiveBufferBytes);
			} catch {
				// Refused: keep the default size.
			}

			resolve(socket);
		});
	});
};

export const closeUdp = async (socket: dgram.Socket): Promise<void> =>
	new Promise(resolve => {
		try {
			socket.close(() => {
				resolve();
			});
		} catch {
			// Already closed.
			resolve();
		}
	});

/** Listen on exactly this TCP address; reject with a typed, one-line error. */
export const listenTcp = async (address: TransportAddress, onConnection: (socket: net.Socket) => void): Promise<net.Server> => {
	const server = net.createServer({noDelay: true}, onConnection);
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			server.close();
			reject(bindError(formatAddress(address), address.address, error, 'tcp'));
		};

		server.once('error', onError);
		server.listen({host: address.address, port: address.port, ipv6Only: address.family === 6, exclusive: true}, () => {
			server.off('error', onError);
			resolve(server);
		});
	});
};

const errnoOf: Record<BindErrorCode, string | undefined> = {
	'in-use': 'EADDRINUSE',
	'not-permitted': 'EACCES',
	'no-such-address': 'EADDRNOTAVAIL',
	other: undefined,
};

/** Listen on exactly this TCP address through `tcp`; reject with the same typed, one-line error as listenTcp. */
export const listenOn = async (
	tcp: Tcp,
	address: TransportAddress,
	onConnection: (connection: TcpConnection) => void,
): Promise<TcpListener> => {
	const result = await tcp.listen(
		{port: address.port, address: address.address, family: address.family, noDelay: true},
		onConnection,
	);
	if (!result.ok) {
		const error: NodeJS.ErrnoException = Object.assign(new Error(result.detail), {code: errnoOf[result.code]});
		throw bindError(formatAddress(address), address.address, error, 'tcp');
	}

	return result.listener;
};

/** Stop listening and end every open connection of this server. */
export const closeTcp = async (server: net.Server, open: Iterable<net.Socket>): Promise<void> => {
	for (const socket of open) {
		socket.destroy();
	}

	return new Promise(resolve => {
		server.close(() => {
			resolve();
		});
	});
};

/**
 * Call `onIdle` (which destroys the connection) once `ms` pass on `clock` without a `restart()`.
 * Unlike socket.setTimeout, a byte trickled in (or a reply the peer never reads) is no progress:
 * only what the caller counts as one (a whole message or line), so a slowloris cannot hold a
 * slot. `stop()` when the connection closes.
 */
export const idleDeadline = (onIdle: () => void, ms: number, clock: Clock): {restart: () => void; stop: () => void} => {
	let timer: TimerHandle | undefined;
	const stop = (): void => {
		clock.clearTimeout(timer);
	};

	const restart = (): void => {
		stop();
		timer = clock.setTimeout(onIdle, ms);
	};

	restart();
	return {restart, stop};
};
