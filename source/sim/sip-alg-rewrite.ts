// What a router's SIP ALG does to a SIP message leaving the LAN, as Linux's nf_nat_sip does it:
// the LAN address becomes the public one in the request line, Via, Contact, From, To and the SDP
// body (o=, c=), never in Call-ID; Content-Length follows the body. The simulated router applies
// it to UDP and TCP on port 5060.

/** The port the Linux helper watches by default. */
export const SIP_ALG_PORT = 5060;

/** The headers nf_nat_sip maps, long and compact forms. */
const MAPPED_HEADER = /^(via|v|contact|m|from|f|to|t)[ \t]*:/i;

const escaped = (ip: string): string => ip.replaceAll('.', String.raw`\.`);

/** `data` with every whole occurrence of `lanIp` written as `publicIp`; bytes without it come back as they were. */
export const rewriteSipAddresses = (data: Buffer, lanIp: string, publicIp: string): Buffer => {
	const text = data.toString('latin1');
	const pattern = new RegExp(String.raw`(?<![\d.])${escaped(lanIp)}(?![\d])`, 'g');
	if (!pattern.test(text)) {
		return data;
	}

	const split = text.indexOf('\r\n\r\n');
	const head = split < 0 ? text : text.slice(0, split + 4);
	const body = split < 0 ? '' : text.slice(split + 4);
	const newBody = body.replace(pattern, publicIp);
	const newHead = head
		.split('\r\n')
		.map((line, index) => (index === 0 || MAPPED_HEADER.test(line) ? line.replace(pattern, publicIp) : line))
		.join('\r\n')
		.replace(
			/^(content-length|l)([ \t]*:[ \t]*)\d+/im,
			(_match, name: string, colon: string) => `${name}${colon}${newBody.length}`,
		);
	return Buffer.from(newHead + newBody, 'latin1');
};
