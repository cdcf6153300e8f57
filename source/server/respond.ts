import {
	type AttributeInput,
	AttributeType,
	Method,
	type StunMessage,
	type TransportAddress,
	decodeRawMessage,
	encodeMessage,
} from '../stun/index.js';
import {FWCHECK_SERVICES, hasQuery} from '../wire/index.js';
import {type Endpoint, type EndpointLayout, otherEndpoint, replyEndpoint, toTransportAddress} from './endpoints.js';
import {type RankedPart, type ReplyPart, fitToBudget, replyBudget} from './reply-budget.js';
import {
	type ChangeKind,
	BAD_VALUE,
	PADDING_TYPE,
	changeKindOf,
	paddingLengthOf,
	responsePortOf,
	unknownTypes,
} from './request-attributes.js';

export {type ChangeKind, PADDING_TYPE} from './request-attributes.js';

/**
 * PADDING in a reply is at most this long, whatever the request's: enough for RFC 5780 §7.6's
 * fragmentation test at a 1500-byte MTU, as coturn caps it, and no 64 KB datagram in answer to one.
 */
export const PADDING_ECHO_LIMIT = 1500;

export type RequestStyle = 'rfc8489' | 'rfc3489';
export type DropReason = 'malformed' | 'not-request' | 'other-method';
export type ReplyOutcome = 'success' | 'unknown-attribute' | 'bad-request';

export type ServerDecision =
	| {action: 'drop'; reason: DropReason}
	| {
			action: 'reply';
			outcome: ReplyOutcome;
			style: RequestStyle;
			change: ChangeKind;
			/** The socket to send from. */
			from: Endpoint;
			to: TransportAddress;
			datagram: Buffer;
	  };

export interface IncomingDatagram {
	data: Uint8Array;
	source: TransportAddress;
	/** The socket it arrived on. */
	receivedOn: Endpoint;
}

export interface ResponderSettings {
	layout: EndpointLayout;
	/** SOFTWARE text; empty for none. */
	software: string;
	/** FWCHECK-SERVICES value for requests that carry FWCHECK-QUERY; undefined: none is sent. */
	services?: Buffer | undefined;
}

/**
 * Decide what to do with one datagram: drop it, or the exact bytes to send, from which socket,
 * to where. Pure, so every rule below is tested without sockets.
 */
export const respond = (incoming: IncomingDatagram, settings: ResponderSettings): ServerDecision => {
	// Port 0 is a legal source on the wire but no destination: nothing could be sent back.
	if (incoming.source.port === 0) {
		return {action: 'drop', reason: 'malformed'};
	}

	// Lenient: only the framing and FINGERPRINT can make a datagram unanswerable; values are judged below.
	const decoded = decodeRawMessage(incoming.data);
	if (!decoded.ok) {
		return {action: 'drop', reason: 'malformed'};
	}

	const request = decoded.message;
	// Answering a response or an indication could start a loop between two servers, or be abused.
	if (request.messageClass !== 'request') {
		return {action: 'drop', reason: 'not-request'};
	}

	// TURN and other methods: a STUN-only server stays silent instead of explaining itself.
	if (request.method !== Method.binding) {
		return {action: 'drop', reason: 'other-method'};
	}

	const reply = new ReplyWriter(incoming, settings, request);
	const {attributes} = request;
	const unknown = unknownTypes(attributes);
	if (unknown.length > 0) {
		return reply.error(420, 'Unknown Attribute', unknown);
	}

	const change = changeKindOf(attributes);
	if (change === BAD_VALUE) {
		return reply.error(400, 'Bad Request');
	}

	if (change !== 'none' && settings.layout.mode === 'single-address') {
		// RFC 5780 §6.1: a server without an alternate address and port answers CHANGE-REQUEST with 420.
		return reply.error(420, 'No alternate address', [AttributeType.changeRequest]);
	}

	const padding = paddingLengthOf(attributes);
	const responsePort = responsePortOf(attributes);
	let to = incoming.source;
	if (responsePort !== undefined) {
		// RFC 5780 §6.1 forbids PADDING with RESPONSE-PORT: the padded reply would go where the request did not come from.
		if (padding !== undefined || responsePort === BAD_VALUE) {
			return reply.error(400, 'Bad Request');
		}

		// Same IP, other port: nothing a sender could not do by sending from that port itself.
		to = {...incoming.source, port: responsePort};
	}

	const from = replyEndpoint(settings.layout, incoming.receivedOn, {
		changeIp: change === 'ip' || change === 'both',
		changePort: change === 'port' || change === 'both',
	});
	if (!from) {
		// Unreachable: a two-address layout has all four sockets.
		return reply.error(420, 'No alternate address', [AttributeType.changeRequest]);
	}

	return reply.success(from, to, change, padding);
};

/** Builds replies to one request in its own style, within the reflection budget. */
class ReplyWriter {
	readonly #incoming: IncomingDatagram;
	readonly #settings: ResponderSettings;
	readonly #request: StunMessage;
	readonly #style: RequestStyle;

	constructor(incoming: IncomingDatagram, settings: ResponderSettings, request: StunMessage) {
		this.#incoming = incoming;
		this.#settings = settings;
		this.#request = request;
		this.#style = request.hasMagicCookie ? 'rfc8489' : 'rfc3489';
	}

	success(from: Endpoint, to: TransportAddress, change: ChangeKind, paddingLength: number | undefined): ServerDecision {
		const mapped = this.#incoming.source;
		const origin = toTransportAddress(from);
		const other = otherEndpoint(this.#settings.layout, this.#incoming.receivedOn);
		const parts: RankedPart[] = [];
		const add = (rank: number, part: ReplyPart | undefined) => {
			if (part) {
				parts.push({rank, part});
			}
		};

		// Ranks say what survives a tight budget (an IPv6 reply to a bare header): the address the
		// client asked for, then what fwcheck needs for Test 2, then the nice-to-haves.
		if (this.#style === 'rfc8489') {
			add(0, {kind: 'xor-mapped-address', address: mapped});
			add(3, {kind: 'mapped-address', address: mapped});
			add(2, {kind: 'response-origin', address: origin});
			add(1, other && {kind: 'other-address', address: toTransportAddress(other)});
			add(1.5, this.#services());
			add(6, this.#software());
			add(5, paddingReply(paddingLength));
			add(4, {kind: 'fingerprint'});
		} else {
			// What RFC 3489 servers such as stund send, and what clients of that era read.
			add(0, {kind: 'mapped-address', address: mapped});
			add(1, {kind: 'source-address', address: origin});
			add(2, other && {kind: 'changed-address', address: toTransportAddress(other)});
			add(2.5, this.#services());
			add(4, this.#software());
			add(3, paddingReply(paddingLength));
		}

		return {action: 'reply', outcome: 'success', style: this.#style, change, from, to, datagram: this.#encode('success', parts)};
	}

	error(code: 400 | 420, reason: string, unknown: number[] = []): ServerDecision {
		const classic = this.#style === 'rfc3489';
		// RFC 3489 §11.2.9 and §11.2.10 want both values a multiple of 4 bytes long: pad the
		// reason with spaces and repeat a type, as that RFC says, instead of zero padding.
		const types = classic && unknown.length % 2 === 1 ? [...unknown, unknown.at(-1)!] : unknown;
		const parts: RankedPart[] = [{rank: 0, part: {kind: 'error-code', code, reason: classic ? padText(reason) : reason}}];
		if (types.length > 0) {
			parts.push({rank: 1, part: {kind: 'unknown-attributes', types}});
		}

		if (!classic) {
			const software = this.#software();
			if (software) {
				parts.push({rank: 3, part: software});
			}

			parts.push({rank: 2, part: {kind: 'fingerprint'}});
		}

		const outcome = code === 420 ? 'unknown-attribute' : 'bad-request';
		return {
			action: 'reply',
			outcome,
			style: this.#style,
			change: 'none',
			// Errors go back the way the request came: from its socket, to its source.
			from: this.#incoming.receivedOn,
			to: this.#incoming.source,
			datagram: this.#encode('error', parts),
		};
	}

	#software(): AttributeInput | undefined {
		const text = this.#settings.software;
		if (text === '') {
			return undefined;
		}

		// RFC 3489 clients (Debian's `stun`) reject a SERVER string whose length is not a multiple of 4.
		return {kind: 'software', text: this.#style === 'rfc3489' ? padText(text) : text};
	}

	/** Discovery: only a request that asks gets it, within the same reflection budget as the rest. */
	#services(): AttributeInput | undefined {
		const {services} = this.#settings;
		return services && hasQuery(this.#request) ? {kind: 'other', type: FWCHECK_SERVICES, value: services} : undefined;
	}

	#encode(messageClass: 'success' | 'error', parts: readonly RankedPart[]): Buffer {
		const chosen = fitToBudget(parts, replyBudget(this.#incoming.data.byteLength));
		const data = this.#incoming.data;
		return encodeMessage({
			method: Method.binding,
			messageClass,
			transactionId: this.#request.transactionId,
			attributes: chosen.filter((part): part is AttributeInput => part.kind !== 'fingerprint'),
			fingerprint: chosen.some(part => part.kind === 'fingerprint'),
			// Echo header bytes 4 to 8 whatever they hold: the cookie, or the start of an RFC 3489 ID.
			cookie: Buffer.from(data.buffer, data.byteOffset + 4, 4),
		});
	}
}

/**
 * RFC 5780 asks for PADDING in the reply. Its length copies the request's, so the request pays
 * for it, up to PADDING_ECHO_LIMIT.
 */
const paddingReply = (length: number | undefined): AttributeInput | undefined =>
	length === undefined
		? undefined
		: {kind: 'other', type: PADDING_TYPE, value: Buffer.alloc(Math.min(length, PADDING_ECHO_LIMIT))};

/** Pad with spaces to a multiple of 4 bytes, as RFC 3489 text attributes must be. */
const padText = (text: string): string => {
	const length = Buffer.byteLength(text, 'utf8');
	return text + ' '.repeat((4 - (length % 4)) % 4);
};
