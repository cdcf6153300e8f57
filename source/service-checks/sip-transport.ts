// Request/response over UDP (with retransmissions) and over TCP (one connection, Content-Length
// framing), for the SIP ALG test. A response matches by Call-ID and CSeq, as a UA matches it.
import type {Clock} from '../net/clock.js';
import type {Tcp, TcpConnection} from '../net/tcp.js';
import type {UdpSocket} from '../net/udp.js';
import {findMessageEnd, headerValue, isSipResponse, parseSipMessage} from '../wire/index.js';
import type {SipMessage} from '../wire/index.js';
import type {TransportAddress} from '../stun/address.js';

/** Waits after each UDP send (RFC 3261's T1 doubling, capped): 3 sends over 3 s. */
export const UDP_WAITS_MS = [500, 1000, 1500] as const;
/** TCP: connect within this, then each answer within this. */
export const TCP_TIMEOUT_MS = 3000;
/** A TCP answer longer than this is not an echo of ours: stop reading. */
const MAX_TCP_BYTES = 16_384;

export interface SipReply {
	sends: number;
	response: SipMessage | null;
	/** The response's bytes as received. */
	raw: Buffer | null;
}

const matches = (request: SipMessage, response: SipMessage): boolean =>
	isSipResponse(response) &&
	headerValue(response, 'call-id') === headerValue(request, 'call-id') &&
	headerValue(response, 'cseq') === headerValue(request, 'cseq');

/** A promise settled by `settle` or after `ms` on `clock`, whichever first; aborts end it too. */
const deadline = async (clock: Clock, ms: number, signal: AbortSignal, wait: (wake: () => void) => void): Promise<void> =>
	new Promise<void>(resolve => {
		const done = (): void => {
			clock.clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};

		const timer = clock.setTimeout(done, ms);
		signal.addEventListener('abort', done, {once: true});
		wait(done);
	});

/** Send `data` on a UDP socket and retransmit until a matching response or UDP_WAITS_MS run out. */
export const sipRequestOverUdp = async (
	socket: UdpSocket,
	to: TransportAddress,
	data: Buffer,
	options: {clock: Clock; signal: AbortSignal},
): Promise<SipReply> => {
	const parsed = parseSipMessage(data);
	let reply: {response: SipMessage; raw: Buffer} | undefined;
	let wake: (() => void) | undefined;
	socket.onMessage(raw => {
		const message = parseSipMessage(raw);
		if (!reply && parsed.ok && message.ok && matches(parsed.message, message.message)) {
			reply = {response: message.message, raw};
			wake?.();
		}
	});
	let sends = 0;
	for (const waitMs of UDP_WAITS_MS) {
		if (reply || options.signal.aborted) {
			break;
		}

		sends++;
		socket.send(data, to, () => undefined);
		await deadline(options.clock, waitMs, options.signal, done => {
			wake = done;
		});
	}

	return {sends, response: reply?.response ?? null, raw: reply?.raw ?? null};
};

/**
 * One TCP connection to `to` carrying the requests `build` makes (it learns the connection's
 * local port first, for Via and Contact) in turn; each gets its answer or null.
 */
export const tcpExchanges = async (
	to: TransportAddress,
	build: (localPort: number) => Buffer[],
	options: {tcp: Tcp; clock: Clock; signal: AbortSignal; localAddress?: string},
): Promise<{requests: Buffer[]; replies: SipReply[]; connect: 'connected' | 'refused' | 'timeout' | 'unreachable'}> => {
	const connected = await options.tcp.connect(to, {timeoutMs: TCP_TIMEOUT_MS, localAddress: options.localAddress});
	if (!connected.ok) {
		const requests = build(0);
		return {requests, replies: requests.map(() => ({sends: 0, response: null, raw: null})), connect: connected.reason};
	}

	const socket = connected.connection;
	const requests = build(socket.localPort);
	const replies: SipReply[] = [];
	try {
		const reader = streamReader(socket);
		for (const request of requests) {
			const parsed = parseSipMessage(request);
			socket.write(request);
			let reply: SipReply = {sends: 1, response: null, raw: null};
			await deadline(options.clock, TCP_TIMEOUT_MS, options.signal, done => {
				reader.onMessage(raw => {
					const message = parseSipMessage(raw);
					if (parsed.ok && message.ok && matches(parsed.message, message.message)) {
						reply = {sends: 1, response: message.message, raw};
						done();
					}
				});
				reader.onEnd(done);
			});
			replies.push(reply);
			if (reply.response === null) {
				// Lost on a stream means the connection is no good: the rest get no answer either.
				replies.push(...requests.slice(replies.length).map(() => ({sends: 0, response: null, raw: null})));
				break;
			}
		}

		return {requests, replies, connect: 'connected'};
	} finally {
		socket.destroy();
	}
};

/** Whole SIP messages out of a TCP stream (Content-Length framing), to one listener at a time. */
const streamReader = (socket: TcpConnection) => {
	let buffer = Buffer.alloc(0);
	let onMessage: ((raw: Buffer) => void) | undefined;
	let onEnd: (() => void) | undefined;
	socket.onData(chunk => {
		buffer = Buffer.concat([buffer, chunk]);
		for (;;) {
			const frame = findMessageEnd(buffer, MAX_TCP_BYTES);
			if (frame.state === 'invalid') {
				socket.destroy();
				onEnd?.();
				return;
			}

			if (frame.state === 'incomplete') {
				return;
			}

			const raw = buffer.subarray(0, frame.length);
			buffer = buffer.subarray(frame.length);
			onMessage?.(raw);
		}
	});
	socket.onClose(() => onEnd?.());
	return {
		onMessage(listener: (raw: Buffer) => void) {
			onMessage = listener;
		},
		onEnd(listener: () => void) {
			onEnd = listener;
		},
	};
};
