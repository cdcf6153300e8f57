// Numbers from RFC 8489 (STUN), RFC 3489 (classic STUN) and RFC 5780 (NAT behaviour discovery).

export const MAGIC_COOKIE = 0x21_12_a4_42;
export const HEADER_LENGTH = 20;
export const FINGERPRINT_XOR = 0x53_54_55_4e;

export const Method = {
	binding: 0x001,
} as const;

export type MessageClass = 'request' | 'indication' | 'success' | 'error';

export const AttributeType = {
	mappedAddress: 0x0001,
	changeRequest: 0x0003,
	sourceAddress: 0x0004,
	changedAddress: 0x0005,
	username: 0x0006,
	messageIntegrity: 0x0008,
	errorCode: 0x0009,
	unknownAttributes: 0x000a,
	realm: 0x0014,
	nonce: 0x0015,
	xorMappedAddress: 0x0020,
	responsePort: 0x0027,
	// Pre-standard servers (rfc3489bis drafts) sent XOR-MAPPED-ADDRESS with this number.
	xorMappedAddressLegacy: 0x8020,
	software: 0x8022,
	fingerprint: 0x8028,
	responseOrigin: 0x802b,
	otherAddress: 0x802c,
} as const;

export const ChangeFlag = {
	ip: 0x04,
	port: 0x02,
} as const;

/** Attributes below 0x8000 must be understood by the receiver (RFC 8489 §14). */
export const isComprehensionRequired = (type: number): boolean => type < 0x80_00;

/**
 * Largest datagram the client's strict decoder looks at: replies to Binding requests are far
 * smaller. The server reads requests of any size with decodeRawMessage.
 */
export const MAX_MESSAGE_LENGTH = 4096;
