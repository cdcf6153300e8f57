import {AttributeType, ChangeFlag} from './constants.js';
import {type TransportAddress, bytesToIp, ipToBytes} from './address.js';

/** The attribute kinds that carry a transport address. */
export type AddressKind =
	'mapped-address' | 'xor-mapped-address' | 'source-address' | 'changed-address' | 'response-origin' | 'other-address';

export type Attribute =
	| {kind: AddressKind; type: number; address: TransportAddress}
	| {kind: 'change-request'; type: number; changeIp: boolean; changePort: boolean}
	| {kind: 'error-code'; type: number; code: number; reason: string}
	| {kind: 'unknown-attributes'; type: number; types: number[]}
	| {kind: 'software'; type: number; text: string}
	| {kind: 'fingerprint'; type: number; value: number}
	| {kind: 'message-integrity'; type: number; value: Buffer}
	| {kind: 'other'; type: number; value: Buffer};

const addressKinds = new Map<number, AddressKind>([
	[AttributeType.mappedAddress, 'mapped-address'],
	[AttributeType.xorMappedAddress, 'xor-mapped-address'],
	[AttributeType.xorMappedAddressLegacy, 'xor-mapped-address'],
	[AttributeType.sourceAddress, 'source-address'],
	[AttributeType.changedAddress, 'changed-address'],
	[AttributeType.responseOrigin, 'response-origin'],
	[AttributeType.otherAddress, 'other-address'],
]);

const defaultTypes: Record<AddressKind, number> = {
	'mapped-address': AttributeType.mappedAddress,
	'xor-mapped-address': AttributeType.xorMappedAddress,
	'source-address': AttributeType.sourceAddress,
	'changed-address': AttributeType.changedAddress,
	'response-origin': AttributeType.responseOrigin,
	'other-address': AttributeType.otherAddress,
};

const isXor = (kind: AddressKind): boolean => kind === 'xor-mapped-address';

/** Why one attribute could not be read; the message decoder turns it into a typed error. */
export class AttributeError {
	constructor(readonly detail: string) {}
}

/**
 * Read one attribute value. `header` is the message's first 20 bytes (or the whole message): the
 * XOR attributes are masked with the cookie and transaction ID found there.
 */
export const decodeAttribute = (type: number, value: Buffer, header: Buffer): Attribute | AttributeError =>
	decodeAttributeAt(type, value, 0, value.length, header);

/**
 * decodeAttribute of the value at `data[start, end)`. The attributes every answer carries
 * (addresses, SOFTWARE, FINGERPRINT) are read in place: a sweep decodes a dozen per port, and a
 * Buffer view for each was the largest share of what it allocated.
 */
export const decodeAttributeAt = (
	type: number,
	data: Buffer,
	start: number,
	end: number,
	header: Buffer,
): Attribute | AttributeError => {
	const addressKind = addressKinds.get(type);
	if (addressKind) {
		const address = decodeAddress(data, start, end, isXor(addressKind) ? header : undefined);
		return address instanceof AttributeError ? address : {kind: addressKind, type, address};
	}

	switch (type) {
		case AttributeType.software: {
			return {kind: 'software', type, text: data.toString('utf8', start, end)};
		}

		case AttributeType.fingerprint: {
			if (end - start !== 4) {
				return new AttributeError(`FINGERPRINT of ${end - start} bytes`);
			}

			return {kind: 'fingerprint', type, value: data.readUInt32BE(start)};
		}

		default: {
			return decodeRare(type, data.subarray(start, end));
		}
	}
};

const decodeRare = (type: number, value: Buffer): Attribute | AttributeError => {
	switch (type) {
		case AttributeType.changeRequest: {
			if (value.length !== 4) {
				return new AttributeError(`CHANGE-REQUEST of ${value.length} bytes`);
			}

			const flags = value.readUInt32BE(0);
			return {kind: 'change-request', type, changeIp: (flags & ChangeFlag.ip) !== 0, changePort: (flags & ChangeFlag.port) !== 0};
		}

		case AttributeType.errorCode: {
			if (value.length < 4) {
				return new AttributeError('ERROR-CODE shorter than 4 bytes');
			}

			const code = (value[2]! & 0x07) * 100 + value[3]!;
			return {kind: 'error-code', type, code, reason: value.subarray(4).toString('utf8')};
		}

		case AttributeType.unknownAttributes: {
			if (value.length % 2 !== 0) {
				return new AttributeError('UNKNOWN-ATTRIBUTES of odd length');
			}

			const types: number[] = [];
			for (let offset = 0; offset < value.length; offset += 2) {
				types.push(value.readUInt16BE(offset));
			}

			return {kind: 'unknown-attributes', type, types};
		}

		case AttributeType.messageIntegrity: {
			if (value.length !== 20) {
				return new AttributeError(`MESSAGE-INTEGRITY of ${value.length} bytes`);
			}

			return {kind: 'message-integrity', type, value: Buffer.from(value)};
		}

		default: {
			return {kind: 'other', type, value: Buffer.from(value)};
		}
	}
};

/** IPv4 addresses as text, one string per address: a sweep reads the same few (server, public IP) thousands of times. */
const ipv4Texts = new Map<number, string>();
const ipv4TextLimit = 1024;

const ipv4Text = (a: number, b: number, c: number, d: number): string => {
	const key = a * 0x1_00_00_00 + b * 0x1_00_00 + c * 0x1_00 + d;
	let text = ipv4Texts.get(key);
	if (text === undefined) {
		if (ipv4Texts.size >= ipv4TextLimit) {
			ipv4Texts.clear();
		}

		text = `${a}.${b}.${c}.${d}`;
		ipv4Texts.set(key, text);
	}

	return text;
};

const decodeAddress = (
	data: Buffer,
	start: number,
	end: number,
	xorHeader: Buffer | undefined,
): TransportAddress | AttributeError => {
	const length = end - start;
	if (length < 4) {
		return new AttributeError('address attribute shorter than 4 bytes');
	}

	const familyCode = data[start + 1];
	const expected = familyCode === 0x01 ? 8 : familyCode === 0x02 ? 20 : 0;
	if (expected === 0) {
		return new AttributeError(`unknown address family 0x${(familyCode ?? 0).toString(16)}`);
	}

	if (length !== expected) {
		return new AttributeError(`address attribute of ${length} bytes for family ${familyCode}`);
	}

	let port = data.readUInt16BE(start + 2);
	if (familyCode === 0x01) {
		// IPv4, the common case, straight to text: no Buffer per address.
		const at = start + 4;
		const text = xorHeader
			? ipv4Text(
					data[at]! ^ xorHeader[4]!,
					data[at + 1]! ^ xorHeader[5]!,
					data[at + 2]! ^ xorHeader[6]!,
					data[at + 3]! ^ xorHeader[7]!,
				)
			: ipv4Text(data[at]!, data[at + 1]!, data[at + 2]!, data[at + 3]!);
		return {family: 4, address: text, port: xorHeader ? port ^ xorHeader.readUInt16BE(4) : port};
	}

	const ip = Buffer.from(data.subarray(start + 4, end));
	if (xorHeader) {
		port ^= xorHeader.readUInt16BE(4);
		// The mask is the cookie, then (IPv6 only) the transaction ID: header bytes 4 to 20.
		for (let index = 0; index < ip.length; index++) {
			ip[index]! ^= xorHeader[4 + index]!;
		}
	}

	return {family: 6, address: bytesToIp(ip), port};
};

/** Attributes a caller asks to encode; `type` may be left out to use the standard number. */
export type AttributeInput =
	| {kind: AddressKind; type?: number; address: TransportAddress}
	| {kind: 'change-request'; changeIp: boolean; changePort: boolean}
	| {kind: 'error-code'; code: number; reason: string}
	| {kind: 'unknown-attributes'; types: number[]}
	| {kind: 'software'; text: string}
	| {kind: 'other'; type: number; value: Buffer};

/** Encode one attribute's type and value (no padding); `header` provides the XOR mask. */
export const encodeAttribute = (attribute: AttributeInput, header: Buffer): {type: number; value: Buffer} => {
	switch (attribute.kind) {
		case 'change-request': {
			const value = Buffer.alloc(4);
			value.writeUInt32BE((attribute.changeIp ? ChangeFlag.ip : 0) | (attribute.changePort ? ChangeFlag.port : 0));
			return {type: AttributeType.changeRequest, value};
		}

		case 'error-code': {
			const reason = Buffer.from(attribute.reason, 'utf8');
			const value = Buffer.alloc(4 + reason.length);
			value[2] = Math.floor(attribute.code / 100);
			value[3] = attribute.code % 100;
			reason.copy(value, 4);
			return {type: AttributeType.errorCode, value};
		}

		case 'unknown-attributes': {
			const value = Buffer.alloc(attribute.types.length * 2);
			for (const [index, type] of attribute.types.entries()) {
				value.writeUInt16BE(type, index * 2);
			}

			return {type: AttributeType.unknownAttributes, value};
		}

		case 'software': {
			return {type: AttributeType.software, value: Buffer.from(attribute.text, 'utf8')};
		}

		case 'other': {
			return {type: attribute.type, value: attribute.value};
		}

		default: {
			const {family, address, port} = attribute.address;
			const ip = ipToBytes(family, address);
			const value = Buffer.alloc(4 + ip.length);
			value[1] = family === 4 ? 0x01 : 0x02;
			value.writeUInt16BE(port, 2);
			ip.copy(value, 4);
			if (isXor(attribute.kind)) {
				value.writeUInt16BE(port ^ header.readUInt16BE(4), 2);
				for (let index = 0; index < ip.length; index++) {
					value[4 + index]! ^= header[4 + index]!;
				}
			}

			return {type: attribute.type ?? defaultTypes[attribute.kind], value};
		}
	}
};

/** RFC 5780 §7.5 RESPONSE-PORT: the port the answer should go to, then two bytes of padding. */
export const responsePortAttribute = (port: number): AttributeInput => {
	const value = Buffer.alloc(4);
	value.writeUInt16BE(port, 0);
	return {kind: 'other', type: AttributeType.responsePort, value};
};
