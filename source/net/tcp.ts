import net from 'node:net';
import type {TransportAddress} from '../stun/address.js';
import type {BindErrorCode} from './udp.js';

/** A listening TCP socket, as much of it as the service checks use. */
export interface TcpListener {
	readonly port: number;
	close(): Promise<void>;
}

export type ListenResult = {ok: true; listener: TcpListener} | {ok: false; code: BindErrorCode; detail: string};

const errorCode = (code: string | undefined): BindErrorCode =>
	code === 'EADDRINUSE' ? 'in-use' : code === 'EACCES' ? 'not-permitted' : code === 'EADDRNOTAVAIL' ? 'no-such-address' : 'other';

/**
 * Listen on `port` (all addresses unless one is named), exclusively, so a port another program
 * holds reads as in use. Each connection goes to `onConnection`; errors on it are swallowed.
 */
export const listenTcp = async (
	options: {port: number; address?: string; family: 4 | 6},
	onConnection: (socket: net.Socket) => void,
): Promise<ListenResult> => {
	const server = net.createServer(socket => {
		socket.on('error', () => undefined);
		onConnection(socket);
	});
	const sockets = new Set<net.Socket>();
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return new Promise<ListenResult>(resolve => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			resolve({ok: false, code: errorCode(error.code), detail: error.message});
		});
		const host = options.address ?? (options.family === 6 ? '::' : '0.0.0.0');
		server.listen({port: options.port, host, exclusive: true, ipv6Only: options.family === 6}, () => {
			server.on('error', () => undefined);
			const address = server.address();
			resolve({
				ok: true,
				listener: {
					port: typeof address === 'object' && address ? address.port : options.port,
					close: async () =>
						new Promise<void>(done => {
							for (const socket of sockets) {
								socket.destroy();
							}

							server.close(() => {
								done();
							});
						}),
				},
			});
		});
	});
};

export type ConnectResult = {ok: true; socket: net.Socket} | {ok: false; reason: 'refused' | 'timeout' | 'unreachable'};

/** Open a TCP connection, giving up after `timeoutMs`; never throws. */
export const connectTcp = async (
	to: TransportAddress,
	options: {timeoutMs: number; localAddress?: string},
): Promise<ConnectResult> =>
	new Promise<ConnectResult>(resolve => {
		const socket = net.connect({
			host: to.address,
			port: to.port,
			...(options.localAddress ? {localAddress: options.localAddress} : {}),
		});
		const timer = setTimeout(() => {
			socket.destroy();
			resolve({ok: false, reason: 'timeout'});
		}, options.timeoutMs);
		socket.once('connect', () => {
			clearTimeout(timer);
			socket.removeAllListeners('error');
			socket.on('error', () => undefined);
			resolve({ok: true, socket});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			socket.destroy();
			resolve({ok: false, reason: error.code === 'ECONNREFUSED' ? 'refused' : 'unreachable'});
		});
	});
