// NAT-PMP (RFC 6886), only the one request fwcheck needs: the public address. Decoders never throw.

export const NAT_PMP_PORT = 5351;

/** Version 0, opcode 0: "what is your external address?" */
export const encodeExternalAddressRequest = (): Buffer => Buffer.from([0, 0]);

export const natPmpResultText: Record<number, string> = {
	0: 'success',
	1: 'unsupported version',
	2: 'not authorized or refused',
	3: 'network failure',
	4: 'out of resources',
	5: 'unsupported opcode',
};

export interface NatPmpAddressReply {
	resultCode: number;
	epoch: number;
	/** Present only with result 0 and a full 12-byte reply. */
	address: string | undefined;
}

/** A reply to encodeExternalAddressRequest, or undefined for anything else. */
export function decodeExternalAddressReply(packet: Buffer): NatPmpAddressReply | undefined {
	if (packet.length < 8 || packet.length > 1100) return undefined;
	if (packet[0] !== 0 || packet[1] !== 128) return undefined;
	const resultCode = packet.readUInt16BE(2);
	const epoch = packet.readUInt32BE(4);
	const address = resultCode === 0 && packet.length >= 12 ? [...packet.subarray(8, 12)].join('.') : undefined;
	return {resultCode, epoch, address};
}

/** Whether a packet is encodeExternalAddressRequest's question: the router's side of the exchange. */
export const isExternalAddressRequest = (packet: Buffer): boolean => packet.length === 2 && packet[0] === 0 && packet[1] === 0;

/** The router's answer (a simulated gateway sends it): 12 bytes, as decodeExternalAddressReply reads them. */
export function encodeExternalAddressReply(reply: {resultCode: number; epoch: number; address: string}): Buffer {
	const packet = Buffer.alloc(12);
	packet.writeUInt8(128, 1);
	packet.writeUInt16BE(reply.resultCode, 2);
	packet.writeUInt32BE(reply.epoch, 4);
	reply.address.split('.').forEach((part, i) => packet.writeUInt8(Number(part) & 0xff, 8 + i));
	return packet;
}

/** "Unsupported version" (result 1), what a NAT-PMP-only router answers to anything but version 0. */
export const encodeUnsupportedVersion = (epoch: number): Buffer => {
	const packet = Buffer.alloc(8);
	packet.writeUInt8(128, 1);
	packet.writeUInt16BE(1, 2);
	packet.writeUInt32BE(epoch, 4);
	return packet;
};
