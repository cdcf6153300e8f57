// The SIP service check: does an OPTIONS from the internet (sent by the server from its second
// IP, to our public IP and the SIP port) reach a SIP service? When the PBX holds the port here,
// its answer says so (and a private Contact says its external address is wrong); when the port is
// free, fwcheck listens on it itself and answers, and the server's nonce proves which host it hit.
import {randomBytes} from 'node:crypto';
import {addressKind} from '../router/address-kind.js';
import {type TcpListener, closeWhenIdle} from '../net/tcp.js';
import type {UdpSocket} from '../net/udp.js';
import {
	NONCE_HEADER,
	SERVER_TEXT,
	buildSipResponse,
	copiedHeaders,
	findMessageEnd,
	headerValue,
	headerValues,
	parseSipMessage,
} from '../wire/index.js';
import type {SipMessage} from '../wire/index.js';
import type {EngineEnvironment} from '../check/environment.js';
import type {PortOwner} from '../system/port-owner.js';
import type {SipServiceCheck, SipServiceOutcome} from '../check/types.js';
import {verdictMessage} from '../check/verdicts.js';
import type {ControlClient} from './control-client.js';

/** UDP: up to 3 sends over 3 s; TCP: connect ≤ 3 s, read ≤ 3 s. The reply follows. */
const OPTIONS_REPLY_TIMEOUT_MS = 9000;
const MAX_TCP_MESSAGE = 8192;
/** A connection to our own SIP listener that sends nothing this long is dropped. */
const IDLE_MS = 5000;

export const skippedSipOutcome = (
	message: string,
	code: SipServiceOutcome['code'] = 'services-unavailable',
): SipServiceOutcome => ({
	status: 'skipped',
	code,
	message,
	statusLine: null,
	privateAddress: null,
	reachedThisHost: null,
});

/** Addresses in Via and Contact that cannot be reached from the internet: RFC 1918, 100.64/10, link-local. */
export const privateAddressIn = (response: SipMessage): string | null => {
	const values = [...headerValues(response, 'via'), ...headerValues(response, 'contact')];
	for (const value of values) {
		for (const [candidate] of value.matchAll(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g)) {
			const kind = addressKind(candidate);
			if (kind === 'private' || kind === 'shared' || kind === 'link-local') {
				return candidate;
			}
		}

		const v6 = /\[(f[cd][\da-f]{2}:[^\]]*|fe80:[^\]]*)\]/i.exec(value);
		if (v6) {
			return v6[1]!;
		}
	}

	return null;
};

/** What answering OPTIONS on the SIP port ourselves saw: the nonces that arrived. */
interface OwnListener {
	nonces: Set<string>;
	close(): Promise<void>;
}

const answerOptions = (request: SipMessage, nonces: Set<string>): Buffer | undefined => {
	if (request.start.kind !== 'request' || request.start.method === 'ACK') {
		return undefined;
	}

	const nonce = headerValue(request, NONCE_HEADER);
	if (nonce) {
		nonces.add(nonce);
	}

	return buildSipResponse({
		status: 200,
		reason: 'OK',
		headers: [...copiedHeaders(request, randomBytes(4).toString('hex')), ['Server', SERVER_TEXT]],
	});
};

const udpListener = (socket: UdpSocket): OwnListener => {
	const nonces = new Set<string>();
	socket.onMessage((data, from) => {
		const parsed = parseSipMessage(data);
		const answer = parsed.ok ? answerOptions(parsed.message, nonces) : undefined;
		if (answer) {
			socket.send(answer, from, () => undefined);
		}
	});
	return {nonces, close: async () => socket.close()};
};

const tcpListener = async (
	environment: Pick<EngineEnvironment, 'tcp' | 'clock'>,
	port: number,
	family: 4 | 6,
	address?: string,
): Promise<{held: boolean; listener?: OwnListener; detail?: string}> => {
	const nonces = new Set<string>();
	const result = await environment.tcp.listen({port, family, address}, socket => {
		let buffer = Buffer.alloc(0);
		closeWhenIdle(socket, environment.clock, IDLE_MS);
		socket.onData(chunk => {
			buffer = Buffer.concat([buffer, chunk]);
			const frame = findMessageEnd(buffer, MAX_TCP_MESSAGE);
			if (frame.state === 'invalid') {
				socket.destroy();
			} else if (frame.state === 'complete') {
				const parsed = parseSipMessage(buffer.subarray(0, frame.length));
				buffer = buffer.subarray(frame.length);
				const answer = parsed.ok ? answerOptions(parsed.message, nonces) : undefined;
				if (answer) {
					socket.write(answer);
				}
			}
		});
	});
	if (result.ok) {
		const listener: TcpListener = result.listener;
		return {held: false, listener: {nonces, close: async () => listener.close()}};
	}

	return result.code === 'in-use' ? {held: true} : {held: false, detail: result.detail};
};

/** One transport's verdict from the server's sip-options reply. */
export const classifySipService = (
	reply: {answered: true; sent: Buffer; response: Buffer} | {answered: false; sent: Buffer; reason: string},
	own: OwnListener | undefined,
): SipServiceOutcome => {
	const sentNonce = (() => {
		const parsed = parseSipMessage(reply.sent);
		return parsed.ok ? headerValue(parsed.message, NONCE_HEADER) : undefined;
	})();
	const reached = own ? sentNonce !== undefined && own.nonces.has(sentNonce) : null;
	const parsed = reply.answered ? parseSipMessage(reply.response) : undefined;
	const statusLine = parsed?.ok
		? parsed.message.startLine
		: reply.answered
			? reply.response.toString('latin1').split(/\r?\n/)[0]!
			: null;
	const privateAddress = parsed?.ok ? privateAddressIn(parsed.message) : null;
	const base = {statusLine, privateAddress, reachedThisHost: reached};
	if (own) {
		if (reached) {
			return {...base, status: 'pass', code: 'sip-reached-fwcheck', message: verdictMessage('sip-reached-fwcheck')};
		}

		return reply.answered
			? {...base, status: 'fail', code: 'sip-elsewhere', message: verdictMessage('sip-elsewhere')}
			: {
					...base,
					status: 'fail',
					code: 'sip-service-silent',
					message: `${verdictMessage('sip-service-silent')} (${reply.reason})`,
				};
	}

	if (!reply.answered) {
		return {
			...base,
			status: 'fail',
			code: 'sip-service-silent',
			message: `${verdictMessage('sip-service-silent')} (${reply.reason})`,
		};
	}

	return privateAddress
		? {
				...base,
				status: 'fail',
				code: 'sip-private-contact',
				message: `${verdictMessage('sip-private-contact')} (${privateAddress})`,
			}
		: {...base, status: 'pass', code: 'sip-service-ok', message: `${verdictMessage('sip-service-ok')} (${statusLine})`};
};

/** Run the check over UDP, then TCP. Never throws. */
export const checkSipService = async (options: {
	port: number;
	control: ControlClient;
	environment: EngineEnvironment;
	family: 4 | 6;
	bindAddress?: string;
	findTcpOwners: (ports: number[]) => Promise<Map<number, PortOwner | null>>;
}): Promise<SipServiceCheck> => {
	const {port, control, environment, family, bindAddress} = options;
	const udpBind = await environment.udp({port, family, address: bindAddress});
	const udpOwn = udpBind.ok ? udpListener(udpBind.socket) : undefined;
	const udpHeld = !udpBind.ok && udpBind.code === 'in-use';
	const tcp = await tcpListener(environment, port, family, bindAddress);
	try {
		let owner: PortOwner | null = null;
		if (udpHeld) {
			owner = (await environment.findPortOwners([port])).get(port)?.owner ?? null;
		}

		if (tcp.held && !owner) {
			owner = (await options.findTcpOwners([port])).get(port) ?? null;
		}

		const ask = async (
			transport: 'udp' | 'tcp',
			own: OwnListener | undefined,
			held: boolean,
			cannot: string | undefined,
		): Promise<SipServiceOutcome> => {
			if (!own && !held) {
				return skippedSipOutcome(`Could not listen on ${transport.toUpperCase()} ${port}: ${cannot ?? 'unknown error'}.`, null);
			}

			const answer = await control.request({op: 'sip-options', port, transport}, OPTIONS_REPLY_TIMEOUT_MS);
			if (!answer.ok) {
				return skippedSipOutcome(`The server did not send the OPTIONS (${answer.detail}).`, null);
			}

			const {reply} = answer;
			if (!reply.ok || reply.op !== 'sip-options') {
				return skippedSipOutcome(
					`The server did not send the OPTIONS (${reply.ok ? 'unexpected reply' : `${reply.error}: ${reply.detail}`}).`,
					null,
				);
			}

			const sent = Buffer.from(reply.sent, 'base64');
			return classifySipService(
				reply.answered
					? {answered: true, sent, response: Buffer.from(reply.response, 'base64')}
					: {answered: false, sent, reason: reply.reason},
				own,
			);
		};

		const udpOutcome = await ask('udp', udpOwn, udpHeld, udpBind.ok ? undefined : udpBind.detail);
		const tcpOutcome = await ask('tcp', tcp.listener, tcp.held, tcp.detail);
		return {port, held: udpHeld || tcp.held, process: owner, udp: udpOutcome, tcp: tcpOutcome};
	} finally {
		await udpOwn?.close();
		await tcp.listener?.close();
	}
};
