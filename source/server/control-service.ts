import {
	type ControlReply,
	type ControlRequest,
	LineSplitter,
	MAX_LINE_BYTES,
	decodeControlRequest,
	encodeControlLine,
} from '../wire/index.js';
import type {TransportAddress} from '../stun/index.js';
import {connectBack} from './connect-back.js';
import {ConnectionLimits} from './connection-limits.js';
import {SourceRateLimiter} from './rate-limiter.js';
import type {ResolvedServices} from './service-options.js';
import type {ServiceStats} from './service-stats.js';
import {sendOptions} from './sip-options-client.js';
import {idleDeadline, listenOn} from './sockets.js';
import {type OutgoingHost, nodeHost} from './outgoing-host.js';
import type {Clock} from '../net/clock.js';
import type {TcpConnection} from '../net/tcp.js';

/** What the control service runs on: TCP, the clock, and how an OPTIONS is sent (UDP needs the host's own sockets). */
export interface ControlHost extends OutgoingHost {
	sendOptions: typeof sendOptions;
}

const nodeControlHost: ControlHost = {...nodeHost, sendOptions};

export interface ControlService {
	port: number;
	close(): Promise<void>;
}

/** Replies a peer may leave unread before the connection is dropped. */
const MAX_UNREAD_REPLY_BYTES = 64 * 1024;

/** Token buckets for the two actions: per source per minute, and in total per second. */
const budgets = (services: ResolvedServices, maxSources: number, clock: Clock) => {
	const {limits} = services;
	const now = (): number => clock.now();
	return {
		connect: new SourceRateLimiter(
			{
				perSourceBurst: limits.connectPerSourcePerMinute,
				perSourcePerSecond: limits.connectPerSourcePerMinute / 60,
				totalBurst: limits.connectTotalBurst,
				totalPerSecond: limits.connectTotalPerSecond,
			},
			maxSources,
			now,
		),
		options: new SourceRateLimiter(
			{
				perSourceBurst: limits.optionsPerSourcePerMinute,
				perSourcePerSecond: limits.optionsPerSourcePerMinute / 60,
				totalBurst: limits.optionsTotalBurst,
				totalPerSecond: limits.optionsTotalPerSecond,
			},
			maxSources,
			now,
		),
	};
};

/**
 * The TCP control service. The handshake proves the client's IP, so every action targets the
 * connection's remote IP and leaves from the second IP (`alternate`); no message names an address.
 */
export const startControl = async (
	at: TransportAddress,
	alternate: string,
	services: ResolvedServices,
	stats: ServiceStats,
	maxSources: number,
	host: ControlHost = nodeControlHost,
): Promise<ControlService> => {
	const {limits} = services;
	const {clock} = host;
	const buckets = budgets(services, maxSources, clock);
	const connections = new ConnectionLimits<TcpConnection>(limits.controlConnectionsPerSource, limits.connectionsTotal);
	// Outgoing sockets (connect-back, OPTIONS) still open, ended on close.
	const outgoing = new Set<() => void>();

	const run = async (request: ControlRequest, remoteIp: string): Promise<ControlReply> => {
		const refuse = (error: 'disabled' | 'rate-limited', detail: string): ControlReply => ({
			id: request.id,
			ok: false,
			error,
			detail,
		});
		if (request.op === 'connect') {
			if (!services.connectBack) {
				return refuse('disabled', 'TCP connect-back is off on this server');
			}

			if (!buckets.connect.allow(remoteIp, request.ports.length)) {
				return refuse(
					'rate-limited',
					`at most ${limits.connectPerSourcePerMinute} connect-back ports a minute per address (and ${limits.connectTotalPerSecond}/s in total)`,
				);
			}

			stats.connectBackPorts += request.ports.length;
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
							open: outgoing,
						},
						host,
					),
				),
			);
			return {id: request.id, ok: true, op: 'connect', results};
		}

		if (!services.sipOptions) {
			return refuse('disabled', 'SIP OPTIONS is off on this server');
		}

		if (!buckets.options.allow(remoteIp)) {
			return refuse(
				'rate-limited',
				`at most ${limits.optionsPerSourcePerMinute} OPTIONS a minute per address (and ${limits.optionsTotalPerSecond}/s in total)`,
			);
		}

		stats.optionsSent++;
		const outcome = await host.sendOptions(
			{
				localAddress: alternate,
				host: remoteIp,
				port: request.port,
				transport: request.transport,
				resendAtMs: limits.optionsResendAtMs,
				timeoutMs: limits.optionsTimeoutMs,
				open: outgoing,
			},
			host,
		);
		const common = {
			id: request.id,
			ok: true,
			op: 'sip-options',
			transport: request.transport,
			sent: outcome.sent.toString('base64'),
		} as const;
		return outcome.answered
			? {...common, answered: true, from: outcome.from, response: outcome.response.toString('base64')}
			: {...common, answered: false, reason: outcome.reason};
	};

	const serve = (connection: TcpConnection) => {
		let progress = (): void => undefined;
		const send = (reply: ControlReply) => {
			stats.controlRequests++;
			if (!reply.ok) {
				stats.controlErrors++;
			}

			if (!connection.writable) {
				return;
			}

			// A peer that sends requests but never reads its replies would grow our buffer: cut it off.
			if (connection.unsentBytes > MAX_UNREAD_REPLY_BYTES) {
				stats.unreadCutOff++;
				connection.destroy();
				return;
			}

			connection.write(encodeControlLine(reply));
			progress();
		};

		// The listener is IPv4-only or IPv6-only (ipv6Only), so this is already the plain form to connect to.
		const remoteIp = connection.remote.address;
		if (!connections.admit(connection, remoteIp, listener => connection.onClose(listener))) {
			stats.connectionsRefused++;
			send({
				id: null,
				ok: false,
				error: 'busy',
				detail: `at most ${limits.controlConnectionsPerSource} control connections per address`,
			});
			// Gone once the line is out, whether or not the peer ever closes its side.
			connection.closeAfterWrite();
			return;
		}

		const splitter = new LineSplitter();
		let inFlight = 0;
		let reading = true;
		// Idle means no whole line and no reply: bytes trickled in do not keep the connection.
		const idle = idleDeadline(() => connection.destroy(), limits.controlIdleMs, clock);
		progress = idle.restart;
		const lifetime = clock.setTimeout(() => connection.destroy(), limits.controlLifetimeMs);
		connection.onClose(() => {
			idle.stop();
			clock.clearTimeout(lifetime);
		});
		connection.onData(chunk => {
			if (!reading) {
				return;
			}

			const {lines, overflow} = splitter.push(chunk);
			for (const line of lines) {
				// Cut off (unread replies, lifetime) mid-chunk: the rest of the chunk is not acted on.
				if (!connection.writable) {
					return;
				}

				progress();
				const decoded = decodeControlRequest(line, services.maxPorts);
				if (!decoded.ok) {
					send(decoded.reply);
				} else if (inFlight >= limits.controlInFlight) {
					send({id: decoded.request.id, ok: false, error: 'busy', detail: `at most ${limits.controlInFlight} requests at once`});
				} else {
					inFlight++;
					const {id} = decoded.request;
					void run(decoded.request, remoteIp)
						.catch((): ControlReply => ({id, ok: false, error: 'busy', detail: 'internal error'}))
						.then(reply => {
							inFlight--;
							send(reply);
						});
				}
			}

			if (overflow) {
				send({id: null, ok: false, error: 'bad-request', detail: `line longer than ${MAX_LINE_BYTES} bytes`});
				connection.end();
				reading = false;
			}
		});
	};

	const listener = await listenOn(host.tcp, at, serve);
	return {
		port: listener.port,
		async close() {
			for (const end of outgoing) {
				end();
			}

			// Ends every connection it accepted, refused ones too.
			await listener.close();
		},
	};
};
