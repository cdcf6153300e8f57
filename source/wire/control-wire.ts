// The control connection's messages: newline-delimited JSON, one object per line. Requests ask
// the server to do something toward the connection's own remote IP (proven by the TCP
// handshake); no message carries an address. Decoders never throw.

export const CONTROL_VERSION = 1;
/** A line (without its newline) longer than this ends the connection. */
export const MAX_LINE_BYTES = 1024;
/** Ports one connect request may name unless the server advertises another maxports. */
export const DEFAULT_MAX_PORTS = 16;
/** The nonce the server writes back on each connection: hex, at most this long. */
export const MAX_NONCE_LENGTH = 32;
/** Cap on the bytes of the first SIP response a sip-options reply carries. */
export const MAX_OPTIONS_RESPONSE_BYTES = 4096;
const MAX_ID = 1_000_000_000;

export type SipTransport = 'udp' | 'tcp';
export type ConnectOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable';
export type ControlErrorCode = 'bad-request' | 'too-many-ports' | 'rate-limited' | 'disabled' | 'busy';

export type ControlRequest =
	| {v: 1; id: number; op: 'sip-options'; port: number; transport: SipTransport}
	| {v: 1; id: number; op: 'connect'; ports: number[]; nonce: string};

export interface ConnectResult {
	port: number;
	outcome: ConnectOutcome;
	/** Milliseconds until the outcome was known. */
	ms: number;
}

export type SipOptionsReply =
	| {
			id: number;
			ok: true;
			op: 'sip-options';
			transport: SipTransport;
			/** Base64 of the OPTIONS request the server sent. */
			sent: string;
			answered: true;
			/** "ip:port" the response came from. */
			from: string;
			/** Base64 of the first response, at most MAX_OPTIONS_RESPONSE_BYTES. */
			response: string;
	  }
	| {
			id: number;
			ok: true;
			op: 'sip-options';
			transport: SipTransport;
			sent: string;
			answered: false;
			reason: 'timeout' | 'refused' | 'unreachable';
	  };

export interface ConnectReply {
	id: number;
	ok: true;
	op: 'connect';
	results: ConnectResult[];
}

/** `id` is null when the line was too broken to read one. */
export interface ControlErrorReply {
	id: number | null;
	ok: false;
	error: ControlErrorCode;
	detail: string;
}

export type ControlReply = SipOptionsReply | ConnectReply | ControlErrorReply;

/** One line, newline included, ready to write. */
/** What the server writes on a connect-back connection: the listener knows its own nonce when it sees it. */
export const connectBackLine = (nonce: string): string => `FWCHECK ${nonce}\r\n`;

export const encodeControlLine = (message: ControlRequest | ControlReply): string => `${JSON.stringify(message)}\n`;

export type RequestDecodeResult = {ok: true; request: ControlRequest} | {ok: false; reply: ControlErrorReply};

type JsonObject = Record<string, unknown>;

const parseObject = (line: string): JsonObject | undefined => {
	try {
		const value: unknown = JSON.parse(line);
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
	} catch {
		return undefined;
	}
};

const isId = (value: unknown): value is number =>
	typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_ID;
const isPort = (value: unknown): value is number =>
	typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65_535;
const isTransport = (value: unknown): value is SipTransport => value === 'udp' || value === 'tcp';
const isNonce = (value: unknown): value is string =>
	typeof value === 'string' && value.length <= MAX_NONCE_LENGTH && /^[\da-f]+$/i.test(value);

/**
 * Read one request line (without its newline). A bad line yields the error reply to send.
 * Ports are deduplicated before they are counted against `maxPorts`.
 */
export const decodeControlRequest = (line: string, maxPorts = DEFAULT_MAX_PORTS): RequestDecodeResult => {
	const object = parseObject(line);
	const id = isId(object?.id) ? object.id : null;
	const bad = (error: ControlErrorCode, detail: string): RequestDecodeResult => ({
		ok: false,
		reply: {id, ok: false, error, detail},
	});
	if (!object) {
		return bad('bad-request', 'a line must be one JSON object');
	}

	if (object.v !== CONTROL_VERSION) {
		return bad('bad-request', `"v" must be ${CONTROL_VERSION}`);
	}

	if (id === null) {
		return bad('bad-request', `"id" must be a whole number from 0 to ${MAX_ID}`);
	}

	if (object.op === 'sip-options') {
		if (!isPort(object.port) || !isTransport(object.transport)) {
			return bad('bad-request', 'sip-options needs "port" (1-65535) and "transport" ("udp" or "tcp")');
		}

		return {ok: true, request: {v: 1, id, op: 'sip-options', port: object.port, transport: object.transport}};
	}

	if (object.op === 'connect') {
		if (!Array.isArray(object.ports) || object.ports.length === 0 || !object.ports.every(port => isPort(port))) {
			return bad('bad-request', 'connect needs "ports": a list of ports from 1 to 65535');
		}

		const ports = [...new Set(object.ports)];
		if (ports.length > maxPorts) {
			return bad('too-many-ports', `at most ${maxPorts} ports per request, this one names ${ports.length}`);
		}

		if (!isNonce(object.nonce)) {
			return bad('bad-request', `connect needs "nonce": hex, 1 to ${MAX_NONCE_LENGTH} characters`);
		}

		return {ok: true, request: {v: 1, id, op: 'connect', ports, nonce: object.nonce}};
	}

	return bad('bad-request', '"op" must be "sip-options" or "connect"');
};

const isOutcome = (value: unknown): value is ConnectOutcome =>
	value === 'connected' || value === 'refused' || value === 'timeout' || value === 'unreachable';
const isErrorCode = (value: unknown): value is ControlErrorCode =>
	value === 'bad-request' || value === 'too-many-ports' || value === 'rate-limited' || value === 'disabled' || value === 'busy';
const isText = (value: unknown, max = 65_536): value is string => typeof value === 'string' && value.length <= max;

const decodeResult = (value: unknown): ConnectResult | undefined => {
	if (typeof value !== 'object' || value === null) {
		return undefined;
	}

	const {port, outcome, ms} = value as JsonObject;
	return isPort(port) && isOutcome(outcome) && typeof ms === 'number' && Number.isFinite(ms) && ms >= 0
		? {port, outcome, ms}
		: undefined;
};

const decodeOptionsReply = (object: JsonObject, id: number): SipOptionsReply | undefined => {
	const {transport, sent} = object;
	if (!isTransport(transport) || !isText(sent)) {
		return undefined;
	}

	if (object.answered === true) {
		return isText(object.from, 64) && isText(object.response)
			? {id, ok: true, op: 'sip-options', transport, sent, answered: true, from: object.from, response: object.response}
			: undefined;
	}

	const {reason} = object;
	return object.answered === false && (reason === 'timeout' || reason === 'refused' || reason === 'unreachable')
		? {id, ok: true, op: 'sip-options', transport, sent, answered: false, reason}
		: undefined;
};

/** Read one reply line (for the client); undefined for anything that is not a well-formed reply. */
export const decodeControlReply = (line: string): ControlReply | undefined => {
	const object = parseObject(line);
	if (!object) {
		return undefined;
	}

	if (object.ok === false) {
		const id = object.id === null ? null : isId(object.id) ? object.id : undefined;
		return id !== undefined && isErrorCode(object.error) && isText(object.detail, 1024)
			? {id, ok: false, error: object.error, detail: object.detail}
			: undefined;
	}

	if (object.ok !== true || !isId(object.id)) {
		return undefined;
	}

	if (object.op === 'sip-options') {
		return decodeOptionsReply(object, object.id);
	}

	if (object.op === 'connect' && Array.isArray(object.results)) {
		const results = object.results.map(result => decodeResult(result));
		return results.every(result => result !== undefined) ? {id: object.id, ok: true, op: 'connect', results} : undefined;
	}

	return undefined;
};

/**
 * Splits a byte stream into lines. `push` returns the complete lines so far, or `overflow` once
 * a line grows past `maxLineBytes` (the caller answers with an error and closes). A trailing
 * "\r" is dropped, so CRLF works too.
 */
export class LineSplitter {
	readonly #maxLineBytes: number;
	#pending: Buffer = Buffer.alloc(0);
	#overflowed = false;

	constructor(maxLineBytes = MAX_LINE_BYTES) {
		this.#maxLineBytes = maxLineBytes;
	}

	push(chunk: Uint8Array): {lines: string[]; overflow: boolean} {
		if (this.#overflowed) {
			return {lines: [], overflow: true};
		}

		let data = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
		const lines: string[] = [];
		for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a)) {
			const end = newline > 0 && data[newline - 1] === 0x0d ? newline - 1 : newline;
			if (end > this.#maxLineBytes) {
				this.#overflowed = true;
				return {lines, overflow: true};
			}

			lines.push(data.subarray(0, end).toString('utf8'));
			data = data.subarray(newline + 1);
		}

		// +1: a CR that may be the start of CRLF.
		if (data.length > this.#maxLineBytes + 1) {
			this.#overflowed = true;
			return {lines, overflow: true};
		}

		this.#pending = Buffer.from(data);
		return {lines, overflow: false};
	}
}
