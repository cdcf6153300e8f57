// Peers for the service tests on loopback: a control-connection client, TCP listeners
// that record who connected, and a small SIP responder. Everything is closed by closeAll().
// Every wait is bounded by the server's own timeouts or an explicit one here.
import dgram from 'node:dgram';
import net from 'node:net';
import {once} from 'node:events';
import {type ControlReply, LineSplitter, decodeControlReply, findMessageEnd} from '../../source/wire/index.js';

const closers: Array<() => unknown> = [];
export const closeAll = async (): Promise<void> => {
	await Promise.all(closers.splice(0).map(async close => close()));
};

/** A control connection: send lines, await reply lines in order; `closed` resolves when the server ends it. */
export class ControlClient {
	readonly socket: net.Socket;
	readonly closed: Promise<void>;
	readonly #lines: string[] = [];
	#waiting: Array<(line: string | undefined) => void> = [];
	#ended = false;

	private constructor(socket: net.Socket) {
		this.socket = socket;
		const splitter = new LineSplitter(1 << 20);
		socket.on('data', chunk => {
			for (const line of splitter.push(chunk).lines) {
				const waiter = this.#waiting.shift();
				if (waiter) {
					waiter(line);
				} else {
					this.#lines.push(line);
				}
			}
		});
		this.closed = new Promise(resolve => {
			socket.once('close', () => {
				this.#ended = true;
				for (const waiter of this.#waiting.splice(0)) {
					waiter(undefined);
				}

				resolve();
			});
		});
		socket.on('error', () => undefined);
	}

	static async open(port: number, localAddress = '127.0.0.1', host = '127.0.0.1'): Promise<ControlClient> {
		const socket = net.connect({host, port, localAddress});
		closers.push(() => socket.destroy());
		await once(socket, 'connect');
		return new ControlClient(socket);
	}

	send(line: string | object): void {
		this.socket.write(typeof line === 'string' ? line : `${JSON.stringify(line)}\n`);
	}

	/** The next reply line, decoded; undefined when the connection closed first. */
	async reply(): Promise<ControlReply | undefined> {
		const line =
			this.#lines.shift() ??
			(this.#ended ? undefined : await new Promise<string | undefined>(resolve => this.#waiting.push(resolve)));
		if (line === undefined) {
			return undefined;
		}

		const reply = decodeControlReply(line);
		if (!reply) {
			throw new Error(`not a control reply: ${line}`);
		}

		return reply;
	}
}

/** A TCP listener that records each connection's source and first line. */
export const recordingListener = async (
	host: string,
	port = 0,
): Promise<{port: number; seen: Array<{from: string; line: Promise<string>}>}> => {
	const seen: Array<{from: string; line: Promise<string>}> = [];
	const server = net.createServer(socket => {
		socket.on('error', () => undefined);
		let text = '';
		const line = new Promise<string>(resolve => {
			socket.on('data', chunk => {
				text += chunk.toString('latin1');
			});
			socket.on('close', () => resolve(text));
		});
		seen.push({from: socket.remoteAddress ?? '', line});
	});
	closers.push(async () => new Promise(resolve => server.close(resolve)));
	server.listen({host, port});
	await once(server, 'listening');
	return {port: (server.address() as net.AddressInfo).port, seen};
};

/** A free TCP port on `host` right now (bound, then released). */
export const freeTcpPort = async (host = '127.0.0.1'): Promise<number> => {
	const server = net.createServer();
	server.listen({host, port: 0});
	await once(server, 'listening');
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
};

const answer = (request: string, status: string): Buffer => {
	const header = (name: string) => new RegExp(`^${name}:.*$`, 'im').exec(request)?.[0] ?? `${name}: x`;
	return Buffer.from(
		`SIP/2.0 ${status}\r\n${header('Via')}\r\n${header('From')}\r\n${header('To')};tag=pbx\r\n${header('Call-ID')}\r\n${header('CSeq')}\r\nContent-Length: 0\r\n\r\n`,
	);
};

/** A PBX stand-in: answers each SIP request with `status` over UDP and TCP; records what came from where. */
export const sipResponder = async (
	host: string,
	status: string,
): Promise<{udpPort: number; tcpPort: number; requests: Array<{from: string; transport: string; text: string}>}> => {
	const requests: Array<{from: string; transport: string; text: string}> = [];
	const udp = dgram.createSocket('udp4');
	closers.push(() => udp.close());
	udp.on('message', (data, remote) => {
		requests.push({from: remote.address, transport: 'udp', text: data.toString('latin1')});
		udp.send(answer(data.toString('latin1'), status), remote.port, remote.address);
	});
	udp.bind({address: host, port: 0});
	await once(udp, 'listening');
	const tcp = net.createServer(socket => {
		socket.on('error', () => undefined);
		let pending = Buffer.alloc(0);
		socket.on('data', chunk => {
			pending = Buffer.concat([pending, chunk]);
			const frame = findMessageEnd(pending, 8192);
			if (frame.state === 'complete') {
				const text = pending.subarray(0, frame.length).toString('latin1');
				requests.push({from: socket.remoteAddress ?? '', transport: 'tcp', text});
				socket.end(answer(text, status));
			}
		});
	});
	closers.push(async () => new Promise(resolve => tcp.close(resolve)));
	tcp.listen({host, port: 0});
	await once(tcp, 'listening');
	return {udpPort: udp.address().port, tcpPort: (tcp.address() as net.AddressInfo).port, requests};
};

/**
 * A UDP port on `host` that never answers (for "timeout" and the in-flight cap); with
 * `keep` false, released at once: a port nothing listens on, so the kernel answers ICMP.
 */
export const silentUdp = async (host: string, keep = true): Promise<number> => {
	const socket = dgram.createSocket('udp4');
	socket.bind({address: host, port: 0});
	await once(socket, 'listening');
	const {port} = socket.address();
	if (keep) {
		closers.push(() => socket.close());
	} else {
		socket.close();
	}

	return port;
};
