import dgram from 'node:dgram';
import dns from 'node:dns';
import {isIP} from 'node:net';
import type {TransportAddress} from '../stun/address.js';

/** One bound UDP socket, as much of it as the engine uses. */
export interface UdpSocket {
	/** The address and port it is bound to. */
	local(): TransportAddress;
	/** Send one datagram; `onError` hears a failure that happens on the way out. */
	send(data: Uint8Array, to: TransportAddress, onError: (error: Error) => void): void;
	/** The one listener for datagrams that arrive. */
	onMessage(listener: (data: Buffer, from: TransportAddress) => void): void;
	close(): Promise<void>;
}

export type BindErrorCode = 'in-use' | 'not-permitted' | 'no-such-address' | 'other';

export type BindResult = {ok: true; socket: UdpSocket} | {ok: false; code: BindErrorCode; detail: string};

/** Bind a UDP socket; port 0 lets the system pick one, no address means all of them. */
export type UdpOpener = (options: {port: number; address?: string; family: 4 | 6}) => Promise<BindResult>;

const bindErrorCode = (code: string | undefined): BindErrorCode =>
	code === 'EADDRINUSE' ? 'in-use' : code === 'EACCES' ? 'not-permitted' : code === 'EADDRNOTAVAIL' ? 'no-such-address' : 'other';

const ignore = (): void => undefined;

/**
 * A node:dgram socket as a UdpSocket: methods on the prototype, not closures per socket (a closed
 * range keeps thousands open while Test 3 is rechecked).
 */
class NodeUdpSocket implements UdpSocket {
	readonly #socket: dgram.Socket;

	constructor(socket: dgram.Socket) {
		this.#socket = socket;
		// An ICMP error on a later send surfaces here; the transaction timers decide, not this.
		socket.on('error', ignore);
	}

	local(): TransportAddress {
		const {address, family, port} = this.#socket.address();
		return {family: family === 'IPv6' ? 6 : 4, address, port};
	}

	send(data: Uint8Array, to: TransportAddress, onError: (error: Error) => void): void {
		this.#socket.send(data, to.port, to.address, error => {
			if (error) {
				onError(error);
			}
		});
	}

	onMessage(listener: (data: Buffer, from: TransportAddress) => void): void {
		this.#socket.on('message', (data, remote) => {
			listener(data, {family: remote.family === 'IPv6' ? 6 : 4, address: remote.address, port: remote.port});
		});
	}

	async close(): Promise<void> {
		await new Promise<void>(resolve => {
			this.#socket.close(() => {
				resolve();
			});
		});
	}
}

/**
 * Every address the engine sends to is already an IP literal (names are resolved once, at server
 * selection). Node's default lookup defers each send by a tick to "resolve" it; this answers at once.
 */
const literalLookup: dgram.SocketOptions['lookup'] = (address, family, callback) => {
	const literal = isIP(address);
	if (literal === 0) {
		dns.lookup(address, family, callback);
		return;
	}

	callback(null, address, literal);
};

/** The host's own UDP sockets (node:dgram), bound exclusively so a busy port is seen as busy. */
export const openNodeUdp: UdpOpener = async options => {
	const socket = dgram.createSocket({type: options.family === 6 ? 'udp6' : 'udp4', reuseAddr: false, lookup: literalLookup});
	return new Promise(resolve => {
		const onError = (error: NodeJS.ErrnoException) => {
			socket.close();
			resolve({ok: false, code: bindErrorCode(error.code), detail: error.message});
		};

		socket.once('error', onError);
		socket.bind(
			{port: options.port, address: options.address ?? (options.family === 6 ? '::' : '0.0.0.0'), exclusive: true},
			() => {
				socket.off('error', onError);
				resolve({ok: true, socket: new NodeUdpSocket(socket)});
			},
		);
	});
};

/** This host's address toward `to` (the route's source address), from a connected socket: no packet is sent. */
export const nodeLocalAddressToward = async (to: TransportAddress): Promise<string | null> => {
	const socket = dgram.createSocket(to.family === 6 ? 'udp6' : 'udp4');
	try {
		await new Promise<void>((ok, fail) => {
			socket.once('error', fail);
			socket.connect(to.port, to.address, () => {
				ok();
			});
		});
		return socket.address().address;
	} catch {
		return null;
	} finally {
		socket.close();
	}
};
