import {randomBytes} from 'node:crypto';
import type dgram from 'node:dgram';
import type net from 'node:net';
import {type TransportAddress} from '../stun/index.js';
import {echoResponse, findMessageEnd} from '../wire/index.js';
import {ConnectionLimits} from './connection-limits.js';
import {SourceRateLimiter} from './rate-limiter.js';
import type {ServiceLimits} from './service-options.js';
import type {ServiceStats} from './service-stats.js';
import {systemClock} from '../net/clock.js';
import {bindUdp, closeTcp, closeUdp, idleDeadline, listenTcp} from './sockets.js';
import {StunServerError} from './errors.js';

export interface SipEchoService {
	/** The port both sockets are bound to (the OS's pick when 0 was asked). */
	port: number;
	close(): Promise<void>;
}

const toTag = (): string => randomBytes(6).toString('hex');

/**
 * The SIP echo on UDP and TCP at one address and port. Each answer costs one token of a limiter
 * (per source and in total); garbage is dropped before the limiter sees it. UDP and TCP have a
 * limiter each: spoofed UDP sources can drain the UDP total, and must not silence TCP, whose
 * sources a handshake proves (a lost INVITE while an OPTIONS got through reads as an ALG).
 */
export const startSipEcho = async (
	at: TransportAddress,
	limits: ServiceLimits,
	stats: ServiceStats,
	maxSources: number,
): Promise<SipEchoService> => {
	const udpLimiter = new SourceRateLimiter(limits.sipRate, maxSources);
	const tcpLimiter = new SourceRateLimiter(limits.sipRate, maxSources);

	/** The bytes to send back for one request, or undefined; counts either way. */
	const answer =
		(limiter: SourceRateLimiter) =>
		(data: Buffer, source: {address: string; port: number}): Buffer | undefined => {
			const decision = echoResponse(data, source, toTag());
			if (decision.action === 'drop') {
				stats.sipDropped++;
				return undefined;
			}

			if (!limiter.allow(source.address)) {
				stats.sipRateLimited++;
				return undefined;
			}

			stats.sipAnswered++;
			if (decision.status === 513) {
				stats.sipTooLarge++;
			}

			return decision.response;
		};

	const answerUdp = answer(udpLimiter);
	const answerTcp = answer(tcpLimiter);
	const onUdp = (udp: dgram.Socket) => (data: Buffer, remote: dgram.RemoteInfo) => {
		if (data.length > limits.sipUdpMaxBytes || remote.port === 0) {
			stats.sipDropped++;
			return;
		}

		const response = answerUdp(data, remote);
		if (response) {
			udp.send(response, remote.port, remote.address);
		}
	};

	const connections = new ConnectionLimits<net.Socket>(limits.sipConnectionsPerSource, limits.connectionsTotal);
	const onTcp = (socket: net.Socket) => {
		socket.on('error', () => undefined);
		if (!connections.admit(socket, socket.remoteAddress, listener => socket.once('close', listener))) {
			stats.connectionsRefused++;
			socket.destroy();
			return;
		}

		serveTcpConnection(socket, limits, answerTcp, stats);
	};

	const {udp, tcp} = await bindBoth(at, onTcp);
	udp.on('message', onUdp(udp));
	udp.on('error', () => undefined);
	return {
		port: udp.address().port,
		async close() {
			await Promise.all([closeUdp(udp), closeTcp(tcp, connections.open)]);
		},
	};
};

/** One TCP connection: frame by Content-Length, answer each message, close after the last one allowed. */
const serveTcpConnection = (
	socket: net.Socket,
	limits: ServiceLimits,
	answer: (data: Buffer, source: {address: string; port: number}) => Buffer | undefined,
	stats: ServiceStats,
): void => {
	const source = {address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0};
	let pending = Buffer.alloc(0);
	let messages = 0;
	// Each whole message restarts the idle clock; bytes trickled in do not.
	const progress = idleDeadline(() => socket.destroy(), limits.sipTcpIdleMs, systemClock);
	socket.once('close', progress.stop);
	socket.on('data', chunk => {
		pending = Buffer.concat([pending, chunk]);
		for (;;) {
			const frame = findMessageEnd(pending, limits.sipTcpMaxBytes);
			if (frame.state === 'incomplete') {
				return;
			}

			if (frame.state === 'invalid') {
				// Garbage or an oversized message: never answered, the connection ends.
				stats.sipDropped++;
				socket.destroy();
				return;
			}

			const message = pending.subarray(0, frame.length);
			pending = pending.subarray(frame.length);
			messages++;
			progress.restart();
			const response = answer(message, source);
			if (response) {
				socket.write(response);
			}

			if (messages >= limits.sipTcpMaxMessages) {
				socket.end();
				socket.removeAllListeners('data');
				return;
			}
		}
	});
};

/** UDP and TCP on the same port. With port 0, the UDP pick may be taken on TCP: try a few. */
const bindBoth = async (
	at: TransportAddress,
	onTcp: (socket: net.Socket) => void,
): Promise<{udp: dgram.Socket; tcp: net.Server}> => {
	for (let attempt = 0; ; attempt++) {
		const udp = await bindUdp(at);
		try {
			const tcp = await listenTcp({...at, port: udp.address().port}, onTcp);
			return {udp, tcp};
		} catch (error) {
			await closeUdp(udp);
			const retry = at.port === 0 && attempt < 10 && error instanceof StunServerError && error.code === 'port-in-use';
			if (!retry) {
				throw error;
			}
		}
	}
};
