// The services only `fwcheck serve` offers (SIP echo, control connection with TCP connect-back
// and SIP OPTIONS), on a virtual host. What acts toward the client over TCP is the real server's
// code (server/connect-back.ts, sendOptions over TCP) on the virtual TCP and clock; the echo and
// the control service are the real decisions (echoResponse, the control wire) on virtual
// sockets. OPTIONS over UDP is redone here: the server's needs a connected node:dgram socket, to
// hear ICMP. The server's rate limits and connection caps are left out: source/server/'s own
// tests cover them.
import {randomBytes} from 'node:crypto';
import type {Clock} from '../net/clock.js';
import type {TcpConnection} from '../net/tcp.js';
import {DEFAULT_SERVICE_LIMITS} from '../server/service-options.js';
import {connectBack} from '../server/connect-back.js';
import {type OptionsOutcome, optionsRequest, sendOptions} from '../server/sip-options-client.js';
import {formatHostPort} from '../stun/index.js';
import {
	type ControlReply,
	type ControlRequest,
	LineSplitter,
	MAX_OPTIONS_RESPONSE_BYTES,
	type OfferedServices,
	type SipTransport,
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
	const outgoing = {tcp, clock};
	const requests: ControlRequest[] = [];
	// Connect-backs and OPTIONS still open, ended on close as the server ends them.
	const open = new Set<() => void>();

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
				request.ports.map(async port =>
					connectBack(
						{
							localAddress: alternate,
							host: remoteIp,
							port,
							nonce: request.nonce,
							timeoutMs: limits.connectTimeoutMs,
							lingerMs: limits.connectLingerMs,
							open,
						},
						outgoing,
					),
				),
			);
			return {id: request.id, ok: true, op: 'connect', results};
		}

		const outcome =
			request.transport === 'udp'
				? await optionsOverUdp(host, clock, alternate, remoteIp, request.port)
				: await sendOptions(
						{
							localAddress: alternate,
							host: remoteIp,
							port: request.port,
							transport: 'tcp',
							resendAtMs: limits.optionsResendAtMs,
							timeoutMs: limits.optionsTimeoutMs,
							open,
						},
						outgoing,
					);
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
			for (const end of open) {
				end();
			}

			await Promise.all([udp.socket.close(), echo.listener.close(), control.listener.close()]);
		},
	};
};
