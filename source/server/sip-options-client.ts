import {randomBytes} from 'node:crypto';
import dgram from 'node:dgram';
import {isIPv6} from 'node:net';
import type {TcpConnection} from '../net/tcp.js';
import {formatHostPort} from '../stun/index.js';
import {
	MAX_OPTIONS_RESPONSE_BYTES,
	NONCE_HEADER,
	SERVER_TEXT,
	type SipTransport,
	buildSipRequest,
	findMessageEnd,
} from '../wire/index.js';
import {type OutgoingHost, nodeHost} from './outgoing-host.js';

export interface OptionsTarget {
	/** The server's second IP: the request leaves from it. */
	localAddress: string;
	/** The control connection's remote IP, never an address a message named. */
	host: string;
	port: number;
	transport: SipTransport;
	/** When to resend over UDP, from the first send. */
	resendAtMs: readonly number[];
	/** The whole wait (UDP), or each of connect and read (TCP). */
	timeoutMs: number;
	/** What is still open, each as a function that ends it, so closing the server can. */
	open: Set<() => void>;
}

export type OptionsOutcome = {sent: Buffer} & (
	{answered: true; from: string; response: Buffer} | {answered: false; reason: 'timeout' | 'refused' | 'unreachable'}
);

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** An OPTIONS as a plain UA sends it, plus a nonce a listening fwcheck can match. */
export const optionsRequest = (target: OptionsTarget, localPort: number): Buffer => {
	const local = formatHostPort(target.localAddress, localPort);
	const remote = formatHostPort(target.host, target.port);
	return buildSipRequest({
		method: 'OPTIONS',
		uri: `sip:${remote}${target.transport === 'tcp' ? ';transport=tcp' : ''}`,
		headers: [
			['Via', `SIP/2.0/${target.transport.toUpperCase()} ${local};branch=z9hG4bK${hex(8)};rport`],
			['Max-Forwards', '70'],
			['From', `<sip:fwcheck@${formatHostPort(target.localAddress, localPort)}>;tag=${hex(6)}`],
			['To', `<sip:${remote}>`],
			['Call-ID', `${hex(12)}@fwcheck`],
			['CSeq', '1 OPTIONS'],
			['Contact', `<sip:fwcheck@${local}${target.transport === 'tcp' ? ';transport=tcp' : ''}>`],
			['Accept', 'application/sdp'],
			['User-Agent', SERVER_TEXT],
			[NONCE_HEADER, hex(16)],
		],
	});
};

const failure = (error: NodeJS.ErrnoException): 'refused' | 'unreachable' | 'timeout' =>
	error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';

/**
 * Send one OPTIONS and wait for the first answer. Never rejects. TCP goes through `host` (the
 * simulated network hands in its own); UDP stays on node:dgram, whose connected socket hears
 * ICMP port unreachable as a refusal.
 */
export const sendOptions = async (target: OptionsTarget, host: OutgoingHost = nodeHost): Promise<OptionsOutcome> =>
	target.transport === 'udp' ? sendOverUdp(target) : sendOverTcp(target, host);

const sendOverUdp = async (target: OptionsTarget): Promise<OptionsOutcome> => {
	const socket = dgram.createSocket({type: target.localAddress.includes(':') ? 'udp6' : 'udp4'});
	const end = (): void => {
		try {
			socket.close();
		} catch {
			// Closed already.
		}
	};

	target.open.add(end);
	let sent: Buffer = Buffer.alloc(0);
	return new Promise(resolve => {
		const timers: NodeJS.Timeout[] = [];
		let settled = false;
		const settle = (outcome: OptionsOutcome) => {
			if (settled) {
				return;
			}

			settled = true;
			for (const timer of timers) {
				clearTimeout(timer);
			}

			target.open.delete(end);
			try {
				socket.close();
			} catch {
				// Closed already, by the server's close().
			}

			resolve(outcome);
		};

		// Connected: only the target's datagrams arrive, and an ICMP port unreachable becomes ECONNREFUSED.
		socket.on('error', (error: NodeJS.ErrnoException) => {
			settle({sent, answered: false, reason: failure(error)});
		});
		socket.once('close', () => {
			settle({sent, answered: false, reason: 'unreachable'});
		});
		socket.on('message', (data, remote) => {
			settle({
				sent,
				answered: true,
				from: formatHostPort(remote.address, remote.port),
				response: Buffer.from(data.subarray(0, MAX_OPTIONS_RESPONSE_BYTES)),
			});
		});
		socket.bind({address: target.localAddress, port: 0}, () => {
			socket.connect(target.port, target.host, () => {
				sent = optionsRequest(target, socket.address().port);
				const send = () => {
					if (!settled) {
						socket.send(sent);
					}
				};

				send();
				timers.push(
					...target.resendAtMs.map(at => setTimeout(send, at)),
					setTimeout(() => {
						settle({sent, answered: false, reason: 'timeout'});
					}, target.timeoutMs),
				);
			});
		});
	});
};

const sendOverTcp = async (target: OptionsTarget, host: OutgoingHost): Promise<OptionsOutcome> => {
	const {tcp, clock} = host;
	const closing = new AbortController();
	// Set once connected: then ending it is destroying the connection.
	const held: {connection?: TcpConnection} = {};
	const end = (): void => {
		closing.abort();
		held.connection?.destroy();
	};

	target.open.add(end);
	// Connect within the timeout, then read within a fresh one.
	const connected = await tcp.connect(
		{family: isIPv6(target.host) ? 6 : 4, address: target.host, port: target.port},
		{timeoutMs: target.timeoutMs, localAddress: target.localAddress, signal: closing.signal},
	);
	if (!connected.ok) {
		target.open.delete(end);
		// Nothing was sent.
		return {sent: Buffer.alloc(0), answered: false, reason: connected.reason};
	}

	const opened = connected.connection;
	held.connection = opened;
	const sent = optionsRequest(target, opened.localPort);
	let received: Buffer = Buffer.alloc(0);
	return new Promise(resolve => {
		let settled = false;
		const settle = (outcome: OptionsOutcome) => {
			if (!settled) {
				settled = true;
				clock.clearTimeout(timer);
				target.open.delete(end);
				opened.destroy();
				resolve(outcome);
			}
		};

		const answered = (): OptionsOutcome => ({
			sent,
			answered: true,
			from: formatHostPort(target.host, target.port),
			response: received,
		});
		const timer = clock.setTimeout(() => {
			// Part of a message is still an answer: something SIP-speaking (or not) is there.
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'timeout'});
		}, target.timeoutMs);
		opened.onData(chunk => {
			received = Buffer.concat([received, chunk]).subarray(0, MAX_OPTIONS_RESPONSE_BYTES);
			const frame = findMessageEnd(received, MAX_OPTIONS_RESPONSE_BYTES);
			if (frame.state === 'complete') {
				received = Buffer.from(received.subarray(0, frame.length));
				settle(answered());
			} else if (frame.state === 'invalid' || received.length >= MAX_OPTIONS_RESPONSE_BYTES) {
				settle(answered());
			}
		});
		opened.onEnd(() => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'refused'});
		});
		// Closed by the server's close() or a reset: settle now rather than when the timer fires.
		opened.onClose(() => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'unreachable'});
		});
		opened.write(sent);
	});
};
