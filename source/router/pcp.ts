// PCP (RFC 6887): ANNOUNCE (does a PCP server answer?) and MAP (the one mapping --router-probe-map
// may make). Decoders never throw; anything that is not a well-formed PCP response is undefined.
import {isIPv4} from 'node:net';

export const PCP_VERSION = 2;
export const PCP_OPCODE = {announce: 0, map: 1} as const;
const HEADER = 24;
const MAP_BODY = 36;

export const pcpResultText: Record<number, string> = {
	0: 'SUCCESS',
	1: 'UNSUPP_VERSION',
	2: 'NOT_AUTHORIZED',
	3: 'MALFORMED_REQUEST',
	4: 'UNSUPP_OPCODE',
	5: 'UNSUPP_OPTION',
	6: 'MALFORMED_OPTION',
	7: 'NETWORK_FAILURE',
	8: 'NO_RESOURCES',
	9: 'UNSUPP_PROTOCOL',
	10: 'USER_EX_QUOTA',
	11: 'CANNOT_PROVIDE_EXTERNAL',
	12: 'ADDRESS_MISMATCH',
	13: 'EXCESSIVE_REMOTE_PEERS',
};

/** An IPv4 address as PCP carries it: IPv4-mapped IPv6 (::ffff:a.b.c.d). */
function mappedV4(ip: string): Buffer {
	const out = Buffer.alloc(16);
	if (!isIPv4(ip)) return out; // all zeros: "no address", which a server treats as a wildcard
	out.writeUInt16BE(0xffff, 10);
	ip.split('.').forEach((part, i) => out.writeUInt8(Number(part), 12 + i));
	return out;
}

/** The text form of a 16-byte PCP address: dotted IPv4 when it is IPv4-mapped, else undefined. */
function readV4(bytes: Buffer): string | undefined {
	const mapped = bytes.subarray(0, 10).every(b => b === 0) && bytes.readUInt16BE(10) === 0xffff;
	const ip = [...bytes.subarray(12, 16)].join('.');
	return mapped && ip !== '0.0.0.0' ? ip : undefined;
}

function header(opcode: number, lifetime: number, clientAddress: string, bodyLength: number): Buffer {
	const packet = Buffer.alloc(HEADER + bodyLength);
	packet.writeUInt8(PCP_VERSION, 0);
	packet.writeUInt8(opcode, 1); // R bit 0: a request
	packet.writeUInt32BE(lifetime, 4);
	mappedV4(clientAddress).copy(packet, 8);
	return packet;
}

/** ANNOUNCE: the cheapest way to learn whether a PCP server listens. Changes nothing. */
export const encodeAnnounce = (clientAddress: string): Buffer => header(PCP_OPCODE.announce, 0, clientAddress, 0);

export interface MapRequest {
	/** 12 random bytes; the delete must repeat them. */
	nonce: Buffer;
	/** IANA protocol number: 17 UDP, 6 TCP. */
	protocol: number;
	internalPort: number;
	suggestedExternalPort: number;
	suggestedExternalAddress?: string;
	/** Seconds; 0 deletes the mapping. */
	lifetime: number;
	clientAddress: string;
}

export function encodeMap(request: MapRequest): Buffer {
	const packet = header(PCP_OPCODE.map, request.lifetime, request.clientAddress, MAP_BODY);
	request.nonce.subarray(0, 12).copy(packet, HEADER);
	packet.writeUInt8(request.protocol, HEADER + 12);
	packet.writeUInt16BE(request.internalPort, HEADER + 16);
	packet.writeUInt16BE(request.suggestedExternalPort, HEADER + 18);
	mappedV4(request.suggestedExternalAddress ?? '0.0.0.0').copy(packet, HEADER + 20);
	return packet;
}

export interface PcpResponse {
	version: number;
	opcode: number;
	resultCode: number;
	lifetime: number;
	epoch: number;
	map?: {nonce: Buffer; protocol: number; internalPort: number; externalPort: number; externalAddress: string | undefined};
}

export function decodePcpResponse(packet: Buffer): PcpResponse | undefined {
	if (packet.length < HEADER || packet.length > 1100 || packet.length % 4 !== 0) return undefined;
	const version = packet.readUInt8(0);
	const opcodeByte = packet.readUInt8(1);
	if (version !== PCP_VERSION || (opcodeByte & 0x80) === 0) return undefined;
	const response: PcpResponse = {
		version,
		opcode: opcodeByte & 0x7f,
		resultCode: packet.readUInt8(3),
		lifetime: packet.readUInt32BE(4),
		epoch: packet.readUInt32BE(8),
	};
	if (response.opcode === PCP_OPCODE.map && packet.length >= HEADER + MAP_BODY) {
		response.map = {
			nonce: Buffer.from(packet.subarray(HEADER, HEADER + 12)),
			protocol: packet.readUInt8(HEADER + 12),
			internalPort: packet.readUInt16BE(HEADER + 16),
			externalPort: packet.readUInt16BE(HEADER + 18),
			externalAddress: readV4(packet.subarray(HEADER + 20, HEADER + 36)),
		};
	}

	return response;
}

/** A request as the router reads it (a simulated gateway answers it); undefined for anything else. */
export interface PcpRequest {
	opcode: number;
	lifetime: number;
	clientAddress: string | undefined;
	map?: {nonce: Buffer; protocol: number; internalPort: number; suggestedExternalPort: number};
}

export function decodePcpRequest(packet: Buffer): PcpRequest | undefined {
	if (packet.length < HEADER || packet.length > 1100 || packet.length % 4 !== 0) return undefined;
	if (packet.readUInt8(0) !== PCP_VERSION || (packet.readUInt8(1) & 0x80) !== 0) return undefined;
	const request: PcpRequest = {
		opcode: packet.readUInt8(1),
		lifetime: packet.readUInt32BE(4),
		clientAddress: readV4(packet.subarray(8, 24)),
	};
	if (request.opcode === PCP_OPCODE.map && packet.length >= HEADER + MAP_BODY) {
		request.map = {
			nonce: Buffer.from(packet.subarray(HEADER, HEADER + 12)),
			protocol: packet.readUInt8(HEADER + 12),
			internalPort: packet.readUInt16BE(HEADER + 16),
			suggestedExternalPort: packet.readUInt16BE(HEADER + 18),
		};
	}

	return request;
}

/** A response as decodePcpResponse reads it: the header, and the MAP body when there is one. */
export function encodePcpResponse(response: Omit<PcpResponse, 'version'>): Buffer {
	const packet = Buffer.alloc(HEADER + (response.map ? MAP_BODY : 0));
	packet.writeUInt8(PCP_VERSION, 0);
	packet.writeUInt8(0x80 | response.opcode, 1);
	packet.writeUInt8(response.resultCode, 3);
	packet.writeUInt32BE(response.lifetime, 4);
	packet.writeUInt32BE(response.epoch, 8);
	if (response.map) {
		response.map.nonce.subarray(0, 12).copy(packet, HEADER);
		packet.writeUInt8(response.map.protocol, HEADER + 12);
		packet.writeUInt16BE(response.map.internalPort, HEADER + 16);
		packet.writeUInt16BE(response.map.externalPort, HEADER + 18);
		mappedV4(response.map.externalAddress ?? '0.0.0.0').copy(packet, HEADER + 20);
	}

	return packet;
}
