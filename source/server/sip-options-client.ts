import {randomBytes} from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import {formatHostPort} from '../stun/index.js';
import {
	MAX_OPTIONS_RESPONSE_BYTES,
	NONCE_HEADER,
	SERVER_TEXT,
	type SipTransport,
	buildSipRequest,
	findMessageEnd,
} from '../wire/index.js';

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
	/** Sockets still open, so closing the server can end them. */
	open: Set<dgram.Socket | net.Socket>;
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

/** Send one OPTIONS and wait for the first answer. Never rejects. */
export const sendOptions = async (target: OptionsTarget): Promise<OptionsOutcome> =>
	target.transport === 'udp' ? sendOverUdp(target) : sendOverTcp(target);

const sendOverUdp = async (target: OptionsTarget): Promise<OptionsOutcome> => {
	const socket = dgram.createSocket({type: target.localAddress.includes(':') ? 'udp6' : 'udp4'});
	target.open.add(socket);
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

			target.open.delete(socket);
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

const sendOverTcp = async (target: OptionsTarget): Promise<OptionsOutcome> => {
	const socket = net.connect({host: target.host, port: target.port, localAddress: target.localAddress});
	target.open.add(socket);
	let sent: Buffer = Buffer.alloc(0);
	let received: Buffer = Buffer.alloc(0);
	return new Promise(resolve => {
		let settled = false;
		const settle = (outcome: OptionsOutcome) => {
			if (!settled) {
				settled = true;
				clearTimeout(timer);
				target.open.delete(socket);
				socket.destroy();
				resolve(outcome);
			}
		};

		const answered = (): OptionsOutcome => ({
			sent,
			answered: true,
			from: formatHostPort(target.host, target.port),
			response: received,
		});
		// Connect within the timeout, then read within a fresh one.
		let timer = setTimeout(() => {
			settle({sent, answered: false, reason: 'timeout'});
		}, target.timeoutMs);
		socket.on('error', (error: NodeJS.ErrnoException) => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: failure(error)});
		});
		socket.once('connect', () => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				// Part of a message is still an answer: something SIP-speaking (or not) is there.
				settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'timeout'});
			}, target.timeoutMs);
			sent = optionsRequest(target, socket.localPort ?? 0);
			socket.write(sent);
		});
		socket.on('data', chunk => {
			received = Buffer.concat([received, chunk]).subarray(0, MAX_OPTIONS_RESPONSE_BYTES);
			const frame = findMessageEnd(received, MAX_OPTIONS_RESPONSE_BYTES);
			if (frame.state === 'complete') {
				received = Buffer.from(received.subarray(0, frame.length));
				settle(answered());
			} else if (frame.state === 'invalid' || received.length >= MAX_OPTIONS_RESPONSE_BYTES) {
				settle(answered());
			}
		});
		socket.on('end', () => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'refused'});
		});
		// Closed by the server's close(): settle now rather than when the timer fires.
		socket.once('close', () => {
			settle(received.length > 0 ? answered() : {sent, answered: false, reason: 'unreachable'});
		});
	});
};
