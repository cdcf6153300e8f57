import {AttributeType, HEADER_LENGTH, MAGIC_COOKIE, MAX_MESSAGE_LENGTH, type MessageClass} from './constants.js';
import {type DecodeError, type DecodeErrorCode, headerError, messageType, splitMessageType} from './header.js';
import {
	type AddressKind,
	type Attribute,
	type AttributeInput,
	AttributeError,
	decodeAttributeAt,
	encodeAttribute,
} from './attributes.js';
import {fingerprintOf} from './fingerprint.js';

export interface StunMessage {
	method: number;
	messageClass: MessageClass;
	/** The 96-bit transaction ID (header bytes 8 to 20). */
	transactionId: Buffer;
	/** False for RFC 3489 messages, whose header has no magic cookie. */
	hasMagicCookie: boolean;
	/** Header bytes 4 to 20: the cookie (or the start of an RFC 3489 ID) and the ID; replies echo it whole. */
	transactionKey: string;
	attributes: Attribute[];
}

export type {DecodeError, DecodeErrorCode} from './header.js';
export {messageType} from './header.js';

export type DecodeResult = {ok: true; message: StunMessage} | {ok: false; error: DecodeError};

const fail = (error: DecodeErrorCode, detail: string): DecodeResult => ({ok: false, error: {error, detail}});

/**
 * Decode one datagram. Total: every input gives a message or a typed error, never an exception,
 * because the bytes come from anyone on the internet.
 */
export const decodeMessage = (datagram: Uint8Array): DecodeResult => {
	try {
		// dgram gives a Buffer already: no second view of it.
		return decodeUnchecked(
			Buffer.isBuffer(datagram) ? datagram : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength),
		);
	} catch (error) {
		// Unreachable by design; kept so a decoder bug becomes a dropped packet, not a crash.
		return fail('bad-attribute', `decoder fault: ${String(error)}`);
	}
};

const decodeUnchecked = (data: Buffer): DecodeResult => {
	const invalid = headerError(data, MAX_MESSAGE_LENGTH);
	if (invalid) {
		return {ok: false, error: invalid};
	}

	const attributes: Attribute[] = [];
	let offset = HEADER_LENGTH;
	let sawFingerprint = false;
	while (offset < data.length) {
		if (sawFingerprint) {
			return fail('attribute-after-fingerprint', 'FINGERPRINT must be the last attribute');
		}

		if (offset + 4 > data.length) {
			return fail('truncated-attribute', `attribute header at byte ${offset} runs past the end`);
		}

		const attributeType = data.readUInt16BE(offset);
		const valueLength = data.readUInt16BE(offset + 2);
		const valueEnd = offset + 4 + valueLength;
		if (valueEnd > data.length) {
			return fail('truncated-attribute', `attribute 0x${attributeType.toString(16)} claims ${valueLength} bytes`);
		}

		// The whole message stands in for its header: the XOR masks are its bytes 4 to 20.
		const attribute = decodeAttributeAt(attributeType, data, offset + 4, valueEnd, data);
		if (attribute instanceof AttributeError) {
			return fail('bad-attribute', attribute.detail);
		}

		if (attribute.kind === 'fingerprint') {
			const covered = data.subarray(0, offset);
			if (fingerprintOf(covered) !== attribute.value) {
				return fail('bad-fingerprint', 'FINGERPRINT does not match the message');
			}

			sawFingerprint = true;
		}

		attributes.push(attribute);
		offset = valueEnd + ((4 - (valueLength % 4)) % 4);
	}

	if (offset !== data.length) {
		return fail('truncated-attribute', 'padding runs past the end');
	}

	const {method, messageClass} = splitMessageType(data.readUInt16BE(0));
	return {
		ok: true,
		message: {
			method,
			messageClass,
			transactionId: Buffer.from(data.subarray(8, HEADER_LENGTH)),
			hasMagicCookie: data.readUInt32BE(4) === MAGIC_COOKIE,
			transactionKey: data.toString('hex', 4, HEADER_LENGTH),
			attributes,
		},
	};
};

export interface EncodeOptions {
	method: number;
	messageClass: MessageClass;
	transactionId: Buffer;
	attributes?: AttributeInput[];
	/** Append FINGERPRINT (RFC 8489 §14.7). */
	fingerprint?: boolean;
	/**
	 * Bytes 4 to 8 of the header. Default: the magic cookie. A server echoes an RFC 3489
	 * client's 128-bit ID by passing its first four bytes here.
	 */
	cookie?: Buffer;
}

/** The transaction key of a message about to be sent, to match replies against. */
export const transactionKeyOf = (cookie: Buffer | undefined, transactionId: Buffer): string =>
	Buffer.concat([cookie ?? cookieBytes, transactionId]).toString('hex');

const cookieBytes = Buffer.from([0x21, 0x12, 0xa4, 0x42]);

export const encodeMessage = (options: EncodeOptions): Buffer => {
	if (options.transactionId.length !== 12) {
		throw new RangeError('a transaction ID is 12 bytes');
	}

	const header = Buffer.alloc(HEADER_LENGTH);
	header.writeUInt16BE(messageType(options.method, options.messageClass), 0);
	(options.cookie ?? cookieBytes).copy(header, 4, 0, 4);
	options.transactionId.copy(header, 8);

	const parts: Buffer[] = [header];
	for (const attribute of options.attributes ?? []) {
		const {type, value} = encodeAttribute(attribute, header);
		const tlv = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4));
		tlv.writeUInt16BE(type, 0);
		tlv.writeUInt16BE(value.length, 2);
		value.copy(tlv, 4);
		parts.push(tlv);
	}

	let message = Buffer.concat(parts);
	message.writeUInt16BE(message.length - HEADER_LENGTH + (options.fingerprint ? 8 : 0), 2);
	if (options.fingerprint) {
		const tlv = Buffer.alloc(8);
		tlv.writeUInt16BE(AttributeType.fingerprint, 0);
		tlv.writeUInt16BE(4, 2);
		tlv.writeUInt32BE(fingerprintOf(message), 4);
		message = Buffer.concat([message, tlv]);
	}

	return message;
};

/** The attribute type for one kind (address kinds share one shape). */
export type AttributeOfKind<K extends Attribute['kind']> = K extends AddressKind
	? Extract<Attribute, {kind: AddressKind}> & {kind: K}
	: Extract<Attribute, {kind: K}>;

/** First attribute of a kind, typed by that kind. */
export const findAttribute = <K extends Attribute['kind']>(message: StunMessage, kind: K): AttributeOfKind<K> | undefined =>
	message.attributes.find((attribute): attribute is AttributeOfKind<K> => attribute.kind === kind);
