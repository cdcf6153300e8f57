import net from 'node:net';
import type {TransportAddress} from '../stun/address.js';
import {type Clock, systemClock} from './clock.js';
import type {BindErrorCode} from './udp.js';

/** One TCP connection, as much of it as the service checks use. Errors never surface: the connection closes. */
export interface TcpConnection {
	/** Our end's port. */
	readonly localPort: number;
	/** The peer, as the handshake proved it. */
	readonly remote: TransportAddress;
	write(data: Uint8Array | string): void;
	/** Send `data` (if any) after what is queued, then close our side. */
	end(data?: Uint8Array | string): void;
	destroy(): void;
	/** Close once what is written is sent, whether or not the peer ever ends its side. */
	closeAfterWrite(): void;
	/** False once our side is ended or the connection closed: a write would go nowhere. */
	readonly writable: boolean;
	/** Bytes written but not yet handed to the network (a peer that does not read makes them grow). */
	readonly unsentBytes: number;
	onData(listener: (chunk: Buffer) => void): void;
	/** Called once, when the peer ends its side (a FIN); a reset or our own close is no end. */
	onEnd(listener: () => void): void;
	/** Called once, when the connection is gone whichever side ended it. */
	onClose(listener: () => void): void;
}

/** A listening TCP socket, as much of it as the service checks use. */
export interface TcpListener {
	readonly port: number;
	/** Stop listening and end every connection it accepted. */
	close(): Promise<void>;
}

export type ListenResult = {ok: true; listener: TcpListener} | {ok: false; code: BindErrorCode; detail: string};

export type ConnectResult = {ok: true; connection: TcpConnection} | {ok: false; reason: 'refused' | 'timeout' | 'unreachable'};

/** TCP as the engine sees it: the host's (node:net) or a simulated network's. */
export interface Tcp {
	/**
	 * Listen on `port` (all addresses unless one is named), exclusively, so a port another program
	 * holds reads as in use. Each connection goes to `onConnection`.
	 */
	listen(
		options: {port: number; address?: string; family: 4 | 6; noDelay?: boolean},
		onConnection: (connection: TcpConnection) => void,
	): Promise<ListenResult>;
	/** Open a connection, giving up after `timeoutMs` or when `signal` aborts ('unreachable'); never throws. */
	connect(
		to: TransportAddress,
		options: {timeoutMs: number; localAddress?: string; signal?: AbortSignal},
	): Promise<ConnectResult>;
}

const errorCode = (code: string | undefined): BindErrorCode =>
	code === 'EADDRINUSE' ? 'in-use' : code === 'EACCES' ? 'not-permitted' : code === 'EADDRNOTAVAIL' ? 'no-such-address' : 'other';

/** A node:net socket as a TcpConnection; its errors are swallowed (a close follows each). */
class NodeTcpConnection implements TcpConnection {
	readonly #socket: net.Socket;

	constructor(socket: net.Socket) {
		this.#socket = socket;
		socket.on('error', () => undefined);
	}

	get localPort(): number {
		return this.#socket.localPort ?? 0;
	}

	get remote(): TransportAddress {
		return {
			family: this.#socket.remoteFamily === 'IPv6' ? 6 : 4,
			address: this.#socket.remoteAddress ?? '',
			port: this.#socket.remotePort ?? 0,
		};
	}

	write(data: Uint8Array | string): void {
		this.#socket.write(data);
	}

	end(data?: Uint8Array | string): void {
		if (data === undefined) {
			this.#socket.end();
		} else {
			this.#socket.end(data);
		}
	}

	destroy(): void {
		this.#socket.destroy();
	}

	closeAfterWrite(): void {
		this.#socket.destroySoon();
	}

	get writable(): boolean {
		return !this.#socket.destroyed && this.#socket.writable;
	}

	get unsentBytes(): number {
		return this.#socket.writableLength;
	}

	onData(listener: (chunk: Buffer) => void): void {
		this.#socket.on('data', listener);
	}

	onEnd(listener: () => void): void {
		this.#socket.once('end', listener);
	}

	onClose(listener: () => void): void {
		if (this.#socket.closed) {
			setImmediate(listener);
		} else {
			this.#socket.once('close', listener);
		}
	}
}

const listenNodeTcp: Tcp['listen'] = async (options, onConnection) => {
	const server = net.createServer({noDelay: options.noDelay ?? false}, socket => {
		onConnection(new NodeTcpConnection(socket));
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

const failure = (code: string | undefined): 'refused' | 'timeout' | 'unreachable' =>
	code === 'ECONNREFUSED' ? 'refused' : code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';

const connectNodeTcp: Tcp['connect'] = async (to, options) =>
	new Promise<ConnectResult>(resolve => {
		const {signal} = options;
		if (signal?.aborted) {
			resolve({ok: false, reason: 'unreachable'});
			return;
		}

		const socket = net.connect({
			host: to.address,
			port: to.port,
			...(options.localAddress ? {localAddress: options.localAddress} : {}),
		});
		let settled = false;
		const settle = (result: ConnectResult): void => {
			if (!settled) {
				settled = true;
				systemClock.clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
				resolve(result);
			}
		};

		const onAbort = (): void => {
			socket.destroy();
			settle({ok: false, reason: 'unreachable'});
		};

		const timer = systemClock.setTimeout(() => {
			socket.destroy();
			settle({ok: false, reason: 'timeout'});
		}, options.timeoutMs);
		signal?.addEventListener('abort', onAbort, {once: true});
		socket.once('connect', () => {
			socket.removeAllListeners('error');
			settle({ok: true, connection: new NodeTcpConnection(socket)});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			socket.destroy();
			settle({ok: false, reason: failure(error.code)});
		});
	});

/** The host's own TCP (node:net). */
export const nodeTcp: Tcp = {listen: listenNodeTcp, connect: connectNodeTcp};

/**
 * Destroy `connection` once `ms` pass on `clock` without data from the peer: node's
 * socket.setTimeout for the listeners, on a clock a simulated network can drive.
 */
export const closeWhenIdle = (connection: TcpConnection, clock: Clock, ms: number): void => {
	let timer = clock.setTimeout(() => connection.destroy(), ms);
	connection.onData(() => {
		clock.clearTimeout(timer);
		timer = clock.setTimeout(() => connection.destroy(), ms);
	});
	connection.onClose(() => {
		clock.clearTimeout(timer);
	});
};
