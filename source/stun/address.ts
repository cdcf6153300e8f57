import {isIPv4, isIPv6} from 'node:net';

/** An IP address and port, as STUN address attributes carry them. */
export interface TransportAddress {
	family: 4 | 6;
	address: string;
	port: number;
}

/** "host:port", an IPv6 literal in brackets: the one way an address is printed. */
export const formatHostPort = (host: string, port: number): string =>
	host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

export const formatAddress = ({address, port}: TransportAddress): string => formatHostPort(address, port);

/**
 * The inverse of formatAddress, for addresses that are already text in a report: "ip:port" or
 * "[v6]:port". Undefined for anything else.
 */
export const splitAddressText = (text: string): {ip: string; port: number} | undefined => {
	const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
	const port = Number(match?.[3]);
	const ip = match?.[1] ?? match?.[2];
	return ip !== undefined && port <= 65_535 ? {ip, port} : undefined;
};

export const sameAddress = (a: TransportAddress, b: TransportAddress): boolean =>
	a.family === b.family && a.port === b.port && normalizeIp(a.address) === normalizeIp(b.address);

/** Compare IPs in one canonical spelling (IPv4-mapped IPv6 folds to IPv4, IPv6 is expanded). */
export const normalizeIp = (ip: string): string => {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	if (mapped) {
		return mapped[1]!;
	}

	if (isIPv6(ip)) {
		return ipv6ToBytes(ip).toString('hex');
	}

	return ip;
};

export const ipToBytes = (family: 4 | 6, ip: string): Buffer => {
	if (family === 4) {
		if (!isIPv4(ip)) {
			throw new TypeError(`Not an IPv4 address: ${ip}`);
		}

		return Buffer.from(ip.split('.').map(Number));
	}

	return ipv6ToBytes(ip);
};

const ipv6ToBytes = (ip: string): Buffer => {
	if (!isIPv6(ip)) {
		throw new TypeError(`Not an IPv6 address: ${ip}`);
	}

	let text = ip.replace(/%.*$/, '');
	// A trailing dotted quad stands for the last 32 bits.
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
		text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}

	const [head = '', tail] = text.split('::') as [string, string | undefined];
	const headGroups = head === '' ? [] : head.split(':');
	const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
	const missing = 8 - headGroups.length - tailGroups.length;
	const groups = tail === undefined ? headGroups : [...headGroups, ...Array.from({length: missing}, () => '0'), ...tailGroups];
	const bytes = Buffer.alloc(16);
	for (const [index, group] of groups.entries()) {
		bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
	}

	return bytes;
};

export const bytesToIp = (bytes: Buffer): string => {
	if (bytes.length === 4) {
		return [...bytes].join('.');
	}

	const groups: string[] = [];
	for (let index = 0; index < 16; index += 2) {
		groups.push(bytes.readUInt16BE(index).toString(16));
	}

	// Compress the longest run of zero groups, as RFC 5952 asks.
	let bestStart = -1;
	let bestLength = 0;
	for (let start = 0; start < 8; start++) {
		let length = 0;
		while (start + length < 8 && groups[start + length] === '0') {
			length++;
		}

		if (length > bestLength && length > 1) {
			bestStart = start;
			bestLength = length;
		}
	}

	if (bestStart === -1) {
		return groups.join(':');
	}

	return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
};
