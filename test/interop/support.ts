// Shared by the server's loopback, interop and load tests, and by bench/serve-bench.ts.
// Everything here talks to 127.0.0.0/8 only, and every wait is bounded.
import {closeUdp} from '../../source/server/sockets.js';
import dgram from 'node:dgram';
import {accessSync, constants} from 'node:fs';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {type ResultPromise, execa} from 'execa';
import {
	type AttributeInput,
	Method,
	type StunMessage,
	type TransportAddress,
	decodeMessage,
	encodeMessage,
	newTransactionId,
} from '../../source/stun/index.js';
import {type StunServer, type StunServerOptions, StunServerError, startStunServer} from '../../source/server/index.js';

export const PRIMARY = '127.0.0.1';
export const ALTERNATE = '127.0.0.2';

/** An even port in 20000–59998, so port and port + 1 are both in range. */
const randomPortBase = (): number => 20_000 + 2 * Math.floor(Math.random() * 20_000);

/**
 * Start our server on a random port pair. A fixed four-socket layout cannot use port 0, so pick
 * at random and try again, a bounded number of times, when something already holds a port.
 */
export const startOnFreePorts = async (
	options: Omit<StunServerOptions, 'port' | 'altPort'>,
	attempts = 10,
): Promise<StunServer> => {
	let lastError: unknown;
	for (let attempt = 0; attempt < attempts; attempt++) {
		const port = randomPortBase();
		try {
			return await startStunServer({...options, port, altPort: port + 1});
		} catch (error) {
			if (!(error instanceof StunServerError && error.code === 'port-in-use')) {
				throw error;
			}

			lastError = error;
		}
	}

	throw lastError;
};

/** A port pair free on every given address right now (checked by binding, then released). */
export const findFreePortPair = async (addresses: readonly string[], attempts = 20): Promise<number> => {
	for (let attempt = 0; attempt < attempts; attempt++) {
		const port = randomPortBase();
		const sockets: dgram.Socket[] = [];
		let free = true;
		for (const address of addresses) {
			for (const candidate of [port, port + 1]) {
				try {
					sockets.push(await bindSocket(address, candidate));
				} catch {
					free = false;
				}
			}
		}

		await Promise.all(sockets.map(async socket => closeSocket(socket)));
		if (free) {
			return port;
		}
	}

	throw new Error('no free port pair found');
};

export const bindSocket = async (address = PRIMARY, port = 0): Promise<dgram.Socket> => {
	const socket = dgram.createSocket({type: address.includes(':') ? 'udp6' : 'udp4', ipv6Only: address.includes(':')});
	return new Promise((resolve, reject) => {
		socket.once('error', error => {
			socket.close();
			reject(error);
		});
		socket.bind(port, address, () => {
			socket.removeAllListeners('error');
			socket.on('error', () => undefined);
			resolve(socket);
		});
	});
};

/** The server's own closer: closing twice or after an error is fine. */
export const closeSocket = closeUdp;

export const bindingRequest = (attributes: AttributeInput[] = [], classic = false): Buffer =>
	encodeMessage({
		method: Method.binding,
		messageClass: 'request',
		transactionId: newTransactionId(),
		attributes,
		// An RFC 3489 request: bytes 4 to 8 are part of its 128-bit ID, not the cookie.
		cookie: classic ? Buffer.from([0x5a, 0x17, 0x3c, 0x99]) : undefined,
	});

export interface Reply {
	message: StunMessage;
	from: TransportAddress;
	bytes: number;
}

/**
 * Send `datagram` and wait for a reply with the same header bytes 4 to 20. Retransmits every
 * `waitMs`, `tries` times; undefined when nothing came.
 */
export const exchange = async (
	socket: dgram.Socket,
	to: {address: string; port: number},
	datagram: Buffer,
	{waitMs = 300, tries = 3} = {},
): Promise<Reply | undefined> => {
	const key = datagram.subarray(4, 20).toString('hex');
	let onMessage: ((data: Buffer, remote: dgram.RemoteInfo) => void) | undefined;
	const answered = new Promise<Reply>(resolve => {
		onMessage = (data, remote) => {
			const decoded = decodeMessage(data);
			if (decoded.ok && decoded.message.transactionKey === key) {
				resolve({
					message: decoded.message,
					from: {family: remote.family === 'IPv6' ? 6 : 4, address: remote.address, port: remote.port},
					bytes: data.length,
				});
			}
		};

		socket.on('message', onMessage);
	});
	try {
		for (let attempt = 0; attempt < tries; attempt++) {
			socket.send(datagram, to.port, to.address);
			const reply = await Promise.race([answered, delay(waitMs).then(() => undefined)]);
			if (reply) {
				return reply;
			}
		}

		return undefined;
	} finally {
		if (onMessage) {
			socket.off('message', onMessage);
		}
	}
};

/** Wait until something answers STUN at address:port (a reference server starting up). */
export const waitForStun = async (address: string, port: number, timeoutMs = 5000): Promise<boolean> => {
	const socket = await bindSocket(address.includes(':') ? '::1' : PRIMARY);
	try {
		const reply = await exchange(socket, {address, port}, bindingRequest(), {waitMs: 100, tries: Math.ceil(timeoutMs / 100)});
		return reply !== undefined;
	} finally {
		await closeSocket(socket);
	}
};

/** A background process with a bounded stop: SIGTERM, then SIGKILL after `graceMs`. */
export interface Background {
	readonly name: string;
	readonly process: ResultPromise;
	output(): string;
	stop(graceMs?: number): Promise<void>;
}

export const startBackground = (name: string, file: string, args: string[]): Background => {
	const child = execa(file, args, {reject: false, all: true, buffer: false, stdin: 'ignore'});
	let output = '';
	child.all?.on('data', (chunk: Buffer) => {
		// Keep only the tail: a chatty server must not fill the test's memory.
		output = (output + chunk.toString('utf8')).slice(-20_000);
	});
	let stopped: Promise<void> | undefined;
	return {
		name,
		process: child,
		output: () => output,
		async stop(graceMs = 1000) {
			stopped ??= (async () => {
				if (child.exitCode === null && child.signalCode === null) {
					child.kill('SIGTERM');
					const exited = await Promise.race([child.then(() => true), delay(graceMs).then(() => false)]);
					if (!exited) {
						child.kill('SIGKILL');
						await Promise.race([child, delay(graceMs)]);
					}
				}
			})();
			return stopped;
		},
	};
};

/**
 * Where an executable lives: PATH first, then the sbin folders a non-root PATH often lacks
 * (Debian puts stund in /usr/sbin). Undefined when it is not installed.
 */
export const findCommand = (name: string): string | undefined => {
	const folders = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
	for (const folder of folders.filter(Boolean)) {
		const candidate = path.join(folder, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not here.
		}
	}

	return undefined;
};

/** Run a client to completion, killed after `timeoutMs` at the latest. */
export const runClient = async (
	file: string,
	args: string[],
	timeoutMs = 20_000,
	cwd?: string,
): Promise<{output: string; exitCode: number | undefined; timedOut: boolean}> => {
	const result = await execa(file, args, {
		reject: false,
		all: true,
		timeout: timeoutMs,
		forceKillAfterDelay: 1000,
		stdin: 'ignore',
		cwd,
	});
	return {output: result.all ?? '', exitCode: result.exitCode, timedOut: result.timedOut};
};
