// The services only `fwcheck serve` offers (SIP echo, control connection with TCP connect-back
// and SIP OPTIONS), on a virtual host. The bytes are the real server's: the echo decision, the
// control wire, the OPTIONS request and the connect-back line come from source/wire/ and
// source/server/; only the sockets are virtual. The server's rate limits and connection caps are
// left out: the unit tests of source/server/ cover them.
import {randomBytes} from 'node:crypto';
import type {Clock} from '../net/clock.js';
import type {Tcp, TcpConnection} from '../net/tcp.js';
import {DEFAULT_SERVICE_LIMITS} from '../server/service-options.js';
import {optionsRequest} from '../server/sip-options-client.js';
import {formatHostPort} from '../stun/index.js';
import {
	type ConnectResult,
	type ControlReply,
	type ControlRequest,
	LineSplitter,
	MAX_OPTIONS_RESPONSE_BYTES,
	type OfferedServices,
	type SipTransport,
	connectBackLine,
	decodeControlRequest,
	echoResponse,
	encodeControlLine,
	findMessageEnd,
} from '../wire/index.js';
import type {VirtualHost} from './virtual-network.js';
import {tcpOf} from './virtual-tcp.js';

export interface VirtualServicesOptions {
	/** The address the echo and the control service listen on. */
	primary: string;
	/** The second address: connect-back and OPTIONS leave from it. */
	alternate: string;
	sipPort?: number;
	controlPort?: number;
	maxPorts?: number;
	/** Hears each control request as it arrives, before it is acted on (a test may cancel there). */
	onRequest?: (request: ControlRequest) => void;
}

export interface VirtualServices {
	/** What discovery answers: give it to the VirtualStunServer of the same host. */
	offer: OfferedServices;
	/** Requests the control service acted on, in order. */
	requests: ControlRequest[];
	close(): Promise<void>;
}

const limits = DEFAULT_SERVICE_LIMITS;
const MAX_SIP_TCP_BYTES = 8192;
const toTag = (): string => randomBytes(6).toString('hex');

/** Content-Length framing over a stream; `onMessage` gets each whole message, garbage ends the connection. */
const sipFrames = (connection: TcpConnection, onMessage: (message: Buffer) => void): void => {
	let pending = Buffer.alloc(0);
	connection.onData(chunk => {
		pending = Buffer.concat([pending, chunk]);
		for (;;) {
			const frame = findMessageEnd(pending, MAX_SIP_TCP_BYTES);
			if (frame.state === 'incomplete') {
				return;
			}

			if (frame.state === 'invalid') {
				connection.destroy();
				return;
			}

			onMessage(pending.subarray(0, frame.length));
			pending = pending.subarray(frame.length);
		}
	});
};

/** One connect-back: connect from the second address, write the nonce line, close after the linger. */
const connectBack = async (
	tcp: Tcp,
	clock: Clock,
	from: string,
	to: string,
	port: number,
	nonce: string,
): Promise<ConnectResult> => {
	const started = clock.now();
	const connected = await tcp.connect({family: 4, address: to, port}, {timeoutMs: limits.connectTimeoutMs, localAddress: from});
	const ms = Math.round(clock.now() - started);
	if (!connected.ok) {
		return {port, outcome: connected.reason, ms};
	}

	connected.connection.end(connectBackLine(nonce));
	clock.setTimeout(() => {
		connected.connection.destroy();
	}, limits.connectLingerMs);
	return {port, outcome: 'connected', ms};
};

type OptionsOutcome = {sent: Buffer} & (
	{answered: true; from: string; response: Buffer} | {answered: false; reason: 'timeout' | 'refused' | 'unreachable'}
);

/** One OPTIONS over UDP from the second address: resent on the server's schedule, the first answer wins. */
const optionsOverUdp = async (
	host: VirtualHost,
	clock: Clock,
	from: string,
	to: string,
	port: number,
): Promise<OptionsOutcome> => {
	const bound = await host.bind({port: 0, address: from, family: 4});
	if (!bound.ok) {
		return {sent: Buffer.alloc(0), answered: false, reason: 'unreachable'};
	}

	const {socket} = bound;
	const target = {family: 4 as const, address: to, port};
	const sent = optionsRequest(
		{localAddress: from, host: to, port, transport: 'udp', resendAtMs: [], timeoutMs: 0, open: new Set()},
		socket.local().port,
	);
	return new Promise<OptionsOutcome>(resolve => {
		const timers = [
			...limits.optionsResendAtMs.map(at => clock.setTimeout(send, at)),
			clock.setTimeout(() => {
				settle({sent, answered: false, reason: 'timeout'});
			}, limits.optionsTimeoutMs),
		];
		let settled = false;
		function send(): void {
			if (!settled) {
				socket.send(sent, target, () => undefined);
			}
		}

		function settle(outcome: OptionsOutcome): void {
			if (!settled) {
				settled = true;
				for (const timer of timers) {
					clock.clearTimeout(timer);
				}

				void socket.close();
				resolve(outcome);
			}
		}

		// As the server's connected socket: only the target's datagrams count.
		socket.onMessage((data, source) => {
			if (source.address === to && source.port === port) {
				settle({sent, answered: true, from: formatHostPort(to, port), response: data.subarray(0, MAX_OPTIONS_RESPONSE_BYTES)});
			}
		});
		send();
	});
};

/** One OPTIONS over TCP from the second address: connect, then read one message, each within the timeout. */
const optionsOverTcp = async (tcp: Tcp, clock: Clock, from: string, to: string, port: number): Promise<OptionsOutcome> => {
	const connected = await tcp.connect({family: 4, address: to, port}, {timeoutMs: limits.optionsTimeoutMs, localAddress: from});
	const request: Parameters<typeof optionsRequest>[0] = {
		localAddress: from,
		host: to,
		port,
		transport: 'tcp',
		resendAtMs: [],
		timeoutMs: 0,
		open: new Set(),
	};
	if (!connected.ok) {
		return {sent: optionsRequest(request, 0), answered: false, reason: connected.reason};
	}

	const {connection} = connected;
	const sent = optionsRequest(request, connection.localPort);
	return new Promise<OptionsOutcome>(resolve => {
		let received = Buffer.alloc(0);
		const answered = (): OptionsOutcome => ({sent, answered: true, from: formatHostPort(to, port), response: received});
		let settled = false;
		const settle = (outcome: OptionsOutcome): void => {
			if (!settled) {
				settled = true;
				clock.clearTimeout(timer);
				connection.destroy();
				resolve(outcome);
			}
		};

		const timer = clock.setTimeout(() => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'timeout'});
		}, limits.optionsTimeoutMs);
		connection.onData(chunk => {
			received = Buffer.concat([received, chunk]).subarray(0, MAX_OPTIONS_RESPONSE_BYTES);
			const frame = findMessageEnd(received, MAX_OPTIONS_RESPONSE_BYTES);
			if (frame.state === 'complete') {
				received = Buffer.from(received.subarray(0, frame.length));
				settle(answered());
			} else if (frame.state === 'invalid') {
				settle(answered());
			}
		});
		connection.onClose(() => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'refused'});
		});
		connection.write(sent);
	});
};

const optionsReply = (id: number, transport: SipTransport, outcome: OptionsOutcome): ControlReply => {
	const common = {id, ok: true, op: 'sip-options', transport, sent: outcome.sent.toString('base64')} as const;
	return outcome.answered
		? {...common, answered: true, from: outcome.from, response: outcome.response.toString('base64')}
		: {...common, answered: false, reason: outcome.reason};
};

/** Start the SIP echo (UDP and TCP) and the control service on `host`. */
export const startVirtualServices = async (host: VirtualHost, options: VirtualServicesOptions): Promise<VirtualServices> => {
	const {primary, alternate, sipPort = 5060, controlPort = 3478, maxPorts = 16} = options;
	const {clock} = host.network;
	const tcp = tcpOf(host);
	const requests: ControlRequest[] = [];

	const udp = await host.bind({port: sipPort, address: primary, family: 4});
	if (!udp.ok) {
		throw new Error(udp.detail);
	}

	udp.socket.onMessage((data, source) => {
		const decision = echoResponse(data, source, toTag());
		if (decision.action === 'reply') {
			udp.socket.send(decision.response, source, () => undefined);
		}
	});
	const echo = await tcp.listen({port: sipPort, address: primary, family: 4}, connection => {
		sipFrames(connection, message => {
			const decision = echoResponse(message, connection.remote, toTag());
			if (decision.action === 'reply') {
				connection.write(decision.response);
			}
		});
	});

	const run = async (request: ControlRequest, remoteIp: string): Promise<ControlReply> => {
		requests.push(request);
		options.onRequest?.(request);
		if (request.op === 'connect') {
			const results = await Promise.all(
				request.ports.map(async port => connectBack(tcp, clock, alternate, remoteIp, port, request.nonce)),
			);
			return {id: request.id, ok: true, op: 'connect', results};
		}

		const outcome =
			request.transport === 'udp'
				? await optionsOverUdp(host, clock, alternate, remoteIp, request.port)
				: await optionsOverTcp(tcp, clock, alternate, remoteIp, request.port);
		return optionsReply(request.id, request.transport, outcome);
	};

	const control = await tcp.listen({port: controlPort, address: primary, family: 4}, connection => {
		const splitter = new LineSplitter();
		connection.onData(chunk => {
			for (const line of splitter.push(chunk).lines) {
				const decoded = decodeControlRequest(line, maxPorts);
				if (decoded.ok) {
					void run(decoded.request, connection.remote.address).then(reply => {
						connection.write(encodeControlLine(reply));
					});
				} else {
					connection.write(encodeControlLine(decoded.reply));
				}
			}
		});
	});
	if (!echo.ok || !control.ok) {
		throw new Error(echo.ok ? (control.ok ? '' : control.detail) : echo.detail);
	}

	return {
		offer: {sipPort, controlPort, options: true, connect: true, maxPorts},
		requests,
		async close() {
			await Promise.all([udp.socket.close(), echo.listener.close(), control.listener.close()]);
		},
	};
};
