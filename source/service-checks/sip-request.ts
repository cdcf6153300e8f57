// The SIP requests the ALG test sends: what a desk phone or PBX behind the router would send,
// so an ALG treats them as it treats real calls. Every address in them is this host's LAN
// address and every port the socket's real one: an ALG rewrites only what matches the packet's
// own source (the Linux helper does; measured in the lab).
import {randomBytes} from 'node:crypto';
import {isIPv6} from 'node:net';
import {buildSipRequest} from '../wire/index.js';
import {formatHostPort} from '../stun/address.js';

export interface SipProbeInput {
	method: 'OPTIONS' | 'INVITE';
	transport: 'udp' | 'tcp';
	/** This host's LAN address (the local address toward the server). */
	lan: string;
	/** The sending socket's own port. */
	port: number;
	/** The echo service, "ip" and port. */
	target: {address: string; port: number};
	/** The audio port the SDP offers: a new one per attempt, so no ALG sees an offer twice. */
	mediaPort: number;
	/** One per check: OPTIONS and INVITE share it, as one UA's requests do. */
	callId: string;
	cseq: number;
	fromTag: string;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

export const newCallId = (lan: string): string => `${hex(8)}@${isIPv6(lan) ? `[${lan}]` : lan}`;
export const newTag = (): string => hex(4);

/** An SDP offer for one audio stream at the LAN address: the lines an ALG rewrites (o=, c=, m=). */
export const sdpOffer = (lan: string, mediaPort: number, sessionId: string): string => {
	const family = isIPv6(lan) ? 'IP6' : 'IP4';
	return [
		'v=0',
		`o=fwcheck ${sessionId} ${sessionId} IN ${family} ${lan}`,
		's=fwcheck',
		`c=IN ${family} ${lan}`,
		't=0 0',
		`m=audio ${mediaPort} RTP/AVP 0 8 101`,
		'a=rtpmap:0 PCMU/8000',
		'a=rtpmap:8 PCMA/8000',
		'a=rtpmap:101 telephone-event/8000',
		'a=sendrecv',
		'',
	].join('\r\n');
};

/** One request; a new Via branch each call (each is a new transaction, retransmissions reuse the bytes). */
export const buildProbeRequest = (input: SipProbeInput): Buffer => {
	const local = formatHostPort(input.lan, input.port);
	const target = formatHostPort(input.target.address, input.target.port);
	const transport = input.transport.toUpperCase();
	const sessionId = String(1000 + (randomBytes(2).readUInt16BE(0) % 9000));
	return buildSipRequest({
		method: input.method,
		uri: `sip:echo@${target}`,
		headers: [
			['Via', `SIP/2.0/${transport} ${local};branch=z9hG4bK${hex(8)};rport`],
			['Max-Forwards', '70'],
			['From', `"fwcheck" <sip:fwcheck@${local}>;tag=${input.fromTag}`],
			['To', `<sip:echo@${target}>`],
			['Call-ID', input.callId],
			['CSeq', `${input.cseq} ${input.method}`],
			['Contact', `<sip:fwcheck@${local};transport=${input.transport}>`],
			['User-Agent', 'fwcheck/1'],
			['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'],
			['Content-Type', 'application/sdp'],
		],
		body: Buffer.from(sdpOffer(input.lan, input.mediaPort, sessionId)),
	});
};
