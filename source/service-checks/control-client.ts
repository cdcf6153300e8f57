// The client end of the control connection: newline-delimited JSON over TCP to the server's
// primary IP. The handshake itself is what lets the server act toward us, so there is nothing to
// authenticate; requests carry no address.
import type {Clock} from '../net/clock.js';
import type {Tcp, TcpConnection} from '../net/tcp.js';
import {LineSplitter, decodeControlReply, encodeControlLine} from '../wire/index.js';
import type {ControlReply, ControlRequest} from '../wire/index.js';
import type {TransportAddress} from '../stun/address.js';

/** Replies carry base64 of whole SIP messages: far longer than the server's own request limit. */
const MAX_REPLY_LINE_BYTES = 64 * 1024;
const CONNECT_TIMEOUT_MS = 3000;

type RequestBody = ControlRequest extends infer R ? (R extends ControlRequest ? Omit<R, 'v' | 'id'> : never) : never;

export type ControlAnswer = {ok: true; reply: ControlReply} | {ok: false; detail: string};

export class ControlClient {
	static async open(to: TransportAddress, host: {tcp: Tcp; clock: Clock}): Promise<ControlClient | {error: string}> {
		const connected = await host.tcp.connect(to, {timeoutMs: CONNECT_TIMEOUT_MS});
		return connected.ok ? new ControlClient(connected.connection, host.clock) : {error: `control service: ${connected.reason}`};
	}

	readonly #socket: TcpConnection;
	readonly #clock: Clock;
	readonly #waiting = new Map<number, (answer: ControlAnswer) => void>();
	#nextId = 1;
	#closed: string | undefined;

	private constructor(socket: TcpConnection, clock: Clock) {
		this.#socket = socket;
		this.#clock = clock;
		const lines = new LineSplitter(MAX_REPLY_LINE_BYTES);
		socket.onData(chunk => {
			const {lines: complete, overflow} = lines.push(chunk);
			for (const line of complete) {
				const reply = decodeControlReply(line);
				if (reply?.id !== undefined && reply.id !== null) {
					this.#settle(reply.id, {ok: true, reply});
				} else if (reply && !reply.ok) {
					// An error without an id answers whatever is waiting: the server could not read our line.
					this.#failAll(`control service: ${reply.error}: ${reply.detail}`);
				}
			}

			if (overflow) {
				this.#failAll('control service: reply line too long');
				socket.destroy();
			}
		});
		socket.onClose(() => {
			this.#failAll('control service closed the connection');
		});
	}

	/** Send one request and wait for its reply, at most `timeoutMs`. Never throws. */
	async request(body: RequestBody, timeoutMs: number): Promise<ControlAnswer> {
		if (this.#closed) {
			return {ok: false, detail: this.#closed};
		}

		const id = this.#nextId++;
		return new Promise<ControlAnswer>(resolve => {
			const timer = this.#clock.setTimeout(() => {
				this.#settle(id, {ok: false, detail: `control service: no reply within ${timeoutMs} ms`});
			}, timeoutMs);
			this.#waiting.set(id, answer => {
				this.#clock.clearTimeout(timer);
				resolve(answer);
			});
			this.#socket.write(encodeControlLine({v: 1, id, ...body}));
		});
	}

	close(): void {
		this.#socket.destroy();
	}

	#settle(id: number, answer: ControlAnswer): void {
		const waiter = this.#waiting.get(id);
		this.#waiting.delete(id);
		waiter?.(answer);
	}

	#failAll(detail: string): void {
		this.#closed ??= detail;
		for (const id of [...this.#waiting.keys()]) {
			this.#settle(id, {ok: false, detail});
		}
	}
}
