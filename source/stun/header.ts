// The 20-byte header and its type field (RFC 8489 §5, §6): what every reading of a datagram checks
// before it looks at attributes, the client's strict decoder and the server's lenient one alike.
import {HEADER_LENGTH, type MessageClass} from './constants.js';

export type DecodeErrorCode =
	| 'too-short'
	| 'too-large'
	| 'not-stun'
	| 'bad-length'
	| 'truncated-attribute'
	| 'bad-attribute'
	| 'bad-fingerprint'
	| 'attribute-after-fingerprint';

export interface DecodeError {
	error: DecodeErrorCode;
	detail: string;
}

const classBits: Record<MessageClass, number> = {request: 0b00, indication: 0b01, success: 0b10, error: 0b11};
const classNames: MessageClass[] = ['request', 'indication', 'success', 'error'];

/** Interleave method and class bits into the 14-bit message type (RFC 8489 §5). */
export const messageType = (method: number, messageClass: MessageClass): number => {
	const c = classBits[messageClass];
	return (method & 0x00_0f) | ((method & 0x00_70) << 1) | ((method & 0x0f_80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
};

/** The method and class a 14-bit message type carries. */
export const splitMessageType = (type: number): {method: number; messageClass: MessageClass} => ({
	method: (type & 0x00_0f) | ((type & 0x00_e0) >> 1) | ((type & 0x3e_00) >> 2),
	messageClass: classNames[((type >> 4) & 1) | ((type >> 7) & 2)]!,
});

/**
 * Why `data` cannot be a STUN message of at most `maxLength` bytes, judged by its header alone:
 * too short or long, the first two bits set, or a body length that is not the datagram's.
 * Undefined when the header holds.
 */
export const headerError = (data: Buffer, maxLength: number): DecodeError | undefined => {
	if (data.length < HEADER_LENGTH) {
		return {error: 'too-short', detail: `${data.length} bytes, a STUN header needs 20`};
	}

	if (data.length > maxLength) {
		return {error: 'too-large', detail: `${data.length} bytes`};
	}

	if ((data.readUInt16BE(0) & 0xc0_00) !== 0) {
		return {error: 'not-stun', detail: 'the first two bits are not zero'};
	}

	const length = data.readUInt16BE(2);
	if (length % 4 !== 0) {
		return {error: 'bad-length', detail: `body length ${length} is not a multiple of 4`};
	}

	if (HEADER_LENGTH + length !== data.length) {
		return {error: 'bad-length', detail: `header says ${length} body bytes, datagram has ${data.length - HEADER_LENGTH}`};
	}

	return undefined;
};
