import {createHmac} from 'node:crypto';
import {AttributeType, HEADER_LENGTH} from './constants.js';

/**
 * Check MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) with a short-term key.
 * fwcheck sends no credentials; this exists so the RFC 5769 vectors can be verified whole.
 */
export const verifyMessageIntegrity = (datagram: Buffer, key: Buffer | string): boolean => {
	let offset = HEADER_LENGTH;
	while (offset + 4 <= datagram.length) {
		const type = datagram.readUInt16BE(offset);
		const length = datagram.readUInt16BE(offset + 2);
		if (type === AttributeType.messageIntegrity) {
			if (length !== 20 || offset + 24 > datagram.length) {
				return false;
			}

			// The HMAC covers the header, with the length set as if MESSAGE-INTEGRITY ended the message.
			const covered = Buffer.from(datagram.subarray(0, offset));
			covered.writeUInt16BE(offset + 24 - HEADER_LENGTH, 2);
			const expected = createHmac('sha1', key).update(covered).digest();
			return expected.equals(datagram.subarray(offset + 4, offset + 24));
		}

		offset += 4 + length + ((4 - (length % 4)) % 4);
	}

	return false;
};
