// The services only `fwcheck serve` offers (SIP echo, control connection with TCP connect-back
// and SIP OPTIONS), on a virtual host. The control service is the real one (server/
// control-service.ts: its limits, connect-back and OPTIONS over TCP) on the virtual TCP and
// clock. The SIP echo is the real decision (echoResponse) on virtual sockets, without the
// server's rate limits; OPTIONS over UDP is redone here: the server's needs a connected
// node:dgram socket, to hear ICMP.
import {randomBytes} from 'node:crypto';
import type {Clock} from '../net/clock.js';
import type {Tcp, TcpConnection} from '../net/tcp.js';
import {startControl} from '../server/control-service.js';
import {DEFAULT_MAX_SOURCES} from '../server/options.js';
import {emptyServiceStats} from '../server/service-stats.js';
import {resolveServices} from '../server/service-options.js';
import {type OptionsOutcome, type OptionsTarget, optionsRequest, sendOptions} from '../server/sip-options-client.js';
import {formatHostPort} from '../stun/index.js';
import {
	type ControlRequest,
	LineSplitter,
	MAX_OPTIONS_RESPONSE_BYTES,
	type OfferedServices,
	decodeControlRequest,
	echoResponse,
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
	/** Control requests as they arrived, in order (whether or not the service then acted on them). */
	requests: ControlRequest[];
	close(): Promise<void>;
}

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
const optionsOverUdp = async (host: VirtualHost, clock: Clock, options: OptionsTarget): Promise<OptionsOutcome> => {
	const {localAddress: from, host: to, port} = options;
	const bound = await host.bind({port: 0, address: from, family: 4});
	if (!bound.ok) {
		return {sent: Buffer.alloc(0), answered: false, reason: 'unreachable'};
	}

	const {socket} = bound;
	const target = {family: 4 as const, address: to, port};
	const sent = optionsRequest(options, socket.local().port);
	return new Promise<OptionsOutcome>(resolve => {
		// The control service's close() ends it, as it ends the server's own socket.
		const end = (): void => {
			settle({sent, answered: false, reason: 'unreachable'});
		};

		options.open.add(end);
		const timers = [
			...options.resendAtMs.map(at => clock.setTimeout(send, at)),
			clock.setTimeout(() => {
				settle({sent, answered: false, reason: 'timeout'});
			}, options.timeoutMs),
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

				options.open.delete(end);
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

/** `tcp` with every control request that arrives on an accepted connection heard first, as a sniffer would. */
const tappedTcp = (tcp: Tcp, maxPorts: number, hear: (request: ControlRequest) => void): Tcp => ({
	connect: async (to, connectOptions) => tcp.connect(to, connectOptions),
	listen: async (listenOptions, onConnection) =>
		tcp.listen(listenOptions, connection => {
			const splitter = new LineSplitter();
			connection.onData(chunk => {
				for (const line of splitter.push(chunk).lines) {
					const decoded = decodeControlRequest(line, maxPorts);
					if (decoded.ok) {
						hear(decoded.request);
					}
				}
			});
			onConnection(connection);
		}),
});

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

	if (!echo.ok) {
		throw new Error(echo.detail);
	}

	// The real control service, on this host's TCP and clock; OPTIONS over UDP go out on virtual sockets.
	const control = await startControl(
		{family: 4, address: primary, port: controlPort},
		alternate,
		resolveServices({sipPort, controlPort, maxPorts}, true),
		emptyServiceStats(),
		DEFAULT_MAX_SOURCES,
		{
			tcp: tappedTcp(tcp, maxPorts, request => {
				requests.push(request);
				options.onRequest?.(request);
			}),
			clock,
			sendOptions: async (target, outgoing) =>
				target.transport === 'udp' ? optionsOverUdp(host, clock, target) : sendOptions(target, outgoing),
		},
	);

	return {
		offer: {sipPort, controlPort, options: true, connect: true, maxPorts},
		requests,
		async close() {
			await Promise.all([udp.socket.close(), echo.listener.close(), control.close()]);
		},
	};
};
