import {type AttributeInput, HEADER_LENGTH} from '../stun/index.js';

/**
 * Reflection bound: a reply is at most this many times the size of the request that caused it.
 * The smallest request (a bare 20-byte header) may get 100 bytes back, which an IPv4 reply with
 * every attribute fits (88 bytes). A request that carries PADDING pays for its padded reply.
 */
export const AMPLIFICATION_FACTOR = 5;

export const replyBudget = (requestLength: number): number => AMPLIFICATION_FACTOR * requestLength;

/** FINGERPRINT is a flag of the encoder, not an attribute input; it is ranked like one. */
export type ReplyPart = AttributeInput | {kind: 'fingerprint'};

export interface RankedPart {
	part: ReplyPart;
	/** Lower goes in first when bytes are short. */
	rank: number;
}

const padded = (length: number): number => length + ((4 - (length % 4)) % 4);

/** Bytes the part adds to the message: 4 of type and length, then the value padded to 4. */
export const encodedSize = (part: ReplyPart): number => {
	switch (part.kind) {
		case 'fingerprint':
		case 'change-request': {
			return 8;
		}

		case 'error-code': {
			return 4 + padded(4 + Buffer.byteLength(part.reason, 'utf8'));
		}

		case 'unknown-attributes': {
			return 4 + padded(2 * part.types.length);
		}

		case 'software': {
			return 4 + padded(Buffer.byteLength(part.text, 'utf8'));
		}

		case 'other': {
			return 4 + padded(part.value.length);
		}

		default: {
			return 4 + (part.address.family === 4 ? 8 : 20);
		}
	}
};

/**
 * Keep the parts that fit in `budget` bytes (header included), taking them by rank and
 * skipping any that would overflow. The result keeps the input order, which is wire order.
 */
export const fitToBudget = (parts: readonly RankedPart[], budget: number): ReplyPart[] => {
	let room = budget - HEADER_LENGTH;
	const kept = new Set<RankedPart>();
	for (const candidate of [...parts].sort((a, b) => a.rank - b.rank)) {
		const size = encodedSize(candidate.part);
		if (size <= room) {
			kept.add(candidate);
			room -= size;
		}
	}

	return parts.filter(candidate => kept.has(candidate)).map(candidate => candidate.part);
};
