// The SIP echo: a SIP response whose body is the request exactly as the server received it, so
// a client can see what a router's SIP ALG rewrote on the way. Pure; the server wires it up.
import {formatHostPort} from '../stun/index.js';
import {type SipMessage, buildSipResponse, canonicalHeaderName, headerValue, parseSipMessage} from './sip-message.js';

export const ECHO_CONTENT_TYPE = 'application/x-fwcheck-echo';
/** The source address and port the server saw the request come from. */
export const SOURCE_HEADER = 'X-Fwcheck-Source';
/** Carried by the server's OPTIONS so a listening fwcheck can prove it was the one reached. */
export const NONCE_HEADER = 'X-Fwcheck-Nonce';
export const SERVER_TEXT = 'fwcheck/1';
/** Reflection bound: a response is at most this many times the request's size. */
export const ECHO_SIZE_FACTOR = 3;
/** A request must carry these (RFC 3261 §8.1.1) for a response a client can match. */
const REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

export type EchoDrop = 'malformed' | 'not-request' | 'missing-header' | 'ack' | 'too-large';
export type EchoDecision = {action: 'drop'; reason: EchoDrop} | {action: 'reply'; status: number; response: Buffer};

const hasTag = (value: string): boolean => /;\s*tag\s*=/i.test(value);

/**
 * The headers a response copies from its request (RFC 3261 §8.2.6.2): every Via in order, From,
 * To (with `toTag` added when it has none), Call-ID, CSeq. Also what a listening client answers
 * an OPTIONS with.
 */
export const copiedHeaders = (request: SipMessage, toTag: string): Array<[string, string]> => {
	const headers: Array<[string, string]> = [];
	for (const {name, value} of request.headers) {
		if (canonicalHeaderName(name) === 'via') {
			headers.push(['Via', value]);
		}
	}

	const to = headerValue(request, 'to') ?? '';
	headers.push(
		['From', headerValue(request, 'from') ?? ''],
		['To', hasTag(to) ? to : `${to};tag=${toTag}`],
		['Call-ID', headerValue(request, 'call-id') ?? ''],
		['CSeq', headerValue(request, 'cseq') ?? ''],
	);
	return headers;
};

/** INVITE gets 488: a final answer that creates no dialog and needs no ACK from a real client. */
const statusFor = (method: string): [number, string] => (method === 'INVITE' ? [488, 'Not Acceptable Here'] : [200, 'OK']);

/**
 * Decide the answer to one SIP request as received (`data`) from `source`. Responses, garbage,
 * requests without the headers a response needs, and ACK (which never gets a response) are
 * dropped. The response is at most ECHO_SIZE_FACTOR x the request; if the echo would be larger,
 * a bodyless 513 is sent instead, and if even that is larger, nothing.
 */
export const echoResponse = (data: Uint8Array, source: {address: string; port: number}, toTag: string): EchoDecision => {
	const parsed = parseSipMessage(data);
	if (!parsed.ok) {
		return {action: 'drop', reason: 'malformed'};
	}

	const request = parsed.message;
	if (request.start.kind !== 'request') {
		return {action: 'drop', reason: 'not-request'};
	}

	if (REQUIRED.some(name => headerValue(request, name) === undefined)) {
		return {action: 'drop', reason: 'missing-header'};
	}

	if (request.start.method === 'ACK') {
		return {action: 'drop', reason: 'ack'};
	}

	const budget = ECHO_SIZE_FACTOR * data.byteLength;
	const common: Array<[string, string]> = [
		...copiedHeaders(request, toTag),
		['Server', SERVER_TEXT],
		[SOURCE_HEADER, formatHostPort(source.address, source.port)],
	];
	const [status, reason] = statusFor(request.start.method);
	const body = Buffer.from(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'), 'latin1');
	const echo = buildSipResponse({status, reason, headers: [...common, ['Content-Type', ECHO_CONTENT_TYPE]], body});
	if (echo.length <= budget) {
		return {action: 'reply', status, response: echo};
	}

	const tooLarge = buildSipResponse({status: 513, reason: 'Message Too Large', headers: common});
	return tooLarge.length <= budget ? {action: 'reply', status: 513, response: tooLarge} : {action: 'drop', reason: 'too-large'};
};

export interface DecodedEcho {
	/** What X-Fwcheck-Source says, "ip:port". */
	source: string | undefined;
	/** The request bytes as the server received them; undefined without an echo body. */
	received: Buffer | undefined;
}

/** Read an echo response (for the client). Never throws. */
export const decodeEcho = (response: SipMessage): DecodedEcho => {
	const source = headerValue(response, SOURCE_HEADER);
	const type = headerValue(response, 'content-type')?.toLowerCase();
	const text = response.body.toString('latin1').trim();
	const received =
		type === ECHO_CONTENT_TYPE && /^[A-Za-z\d+/]*={0,2}$/.test(text) && text.length % 4 === 0
			? Buffer.from(text, 'base64')
			: undefined;
	return {source, received};
};
