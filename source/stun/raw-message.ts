// A reading of a datagram that checks the framing and leaves every value as bytes: a server
// acts on a few attributes it understands and must not refuse a request over the value of one
// it ignores (RFC 8489 §6.3.1), which the client's strict decodeMessage would do.
import {AttributeType, HEADER_LENGTH, MAGIC_COOKIE} from './constants.js';
import {fingerprintOf} from './fingerprint.js';
import {type DecodeError, headerError, splitMessageType} from './header.js';
import type {StunMessage} from './message.js';

/** A message whose attributes are `other` (raw bytes), except a verified `fingerprint`. */
export type RawDecodeResult = {ok: true; message: StunMessage} | {ok: false; error: DecodeError};

/** The 16-bit length field bounds a message: 20 header bytes and at most 65532 body bytes. */
const LARGEST_MESSAGE = HEADER_LENGTH + 0xff_fc;

const fail = (error: DecodeError['error'], detail: string): RawDecodeResult => ({ok: false, error: {error, detail}});

/**
 * Read one datagram of any size the header can describe: header, attribute boundaries and
 * FINGERPRINT (its length, its CRC, last place) are checked; other values are views into
 * `datagram`, valid while it is. Total: never throws, whatever the bytes.
 */
export const decodeRawMessage = (datagram: Uint8Array): RawDecodeResult => {
	try {
		return decodeRawUnchecked(
			Buffer.isBuffer(datagram) ? datagram : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength),
		);
	} catch (error) {
		// Unreachable by design; kept so a bug becomes a dropped packet, not a crash.
		return fail('bad-attribute', `decoder fault: ${String(error)}`);
	}
};

const decodeRawUnchecked = (data: Buffer): RawDecodeResult => {
	const invalid = headerError(data, LARGEST_MESSAGE);
	if (invalid) {
		return {ok: false, error: invalid};
	}

	const attributes: StunMessage['attributes'] = [];
	let offset = HEADER_LENGTH;
	while (offset < data.length) {
		if (offset + 4 > data.length) {
			return fail('truncated-attribute', `attribute header at byte ${offset} runs past the end`);
		}

		const type = data.readUInt16BE(offset);
		const length = data.readUInt16BE(offset + 2);
		const end = offset + 4 + length;
		if (end > data.length) {
			return fail('truncated-attribute', `attribute 0x${type.toString(16)} claims ${length} bytes`);
		}

		const next = end + ((4 - (length % 4)) % 4);
		if (type === AttributeType.fingerprint) {
			// RFC 8489 §7.3: a message whose FINGERPRINT fails is discarded, not answered.
			if (length !== 4 || fingerprintOf(data.subarray(0, offset)) !== data.readUInt32BE(offset + 4)) {
				return fail('bad-fingerprint', 'FINGERPRINT does not match the message');
			}

			if (next !== data.length) {
				return fail('attribute-after-fingerprint', 'FINGERPRINT must be the last attribute');
			}

			attributes.push({kind: 'fingerprint', type, value: data.readUInt32BE(offset + 4)});
		} else {
			attributes.push({kind: 'other', type, value: data.subarray(offset + 4, end)});
		}

		offset = next;
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
