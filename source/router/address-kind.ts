import {isIPv4} from 'node:net';

/** What an IPv4 address says about where it sits: the path verdict reads hops and WAN addresses by it. */
export type AddressKind = 'private' | 'shared' | 'loopback' | 'link-local' | 'public' | 'other';

const toInt = (ip: string): number => ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);

const within = (ip: number, base: string, bits: number): boolean => {
	const size = 2 ** (32 - bits);
	return Math.floor(ip / size) === Math.floor(toInt(base) / size);
};

/**
 * private: RFC 1918 (a LAN, or an ISP modem's LAN side); shared: 100.64.0.0/10 (RFC 6598, the
 * carrier-grade NAT range); other: not IPv4, or reserved space that is neither a LAN nor public.
 */
export function addressKind(ip: string): AddressKind {
	if (!isIPv4(ip)) return 'other';
	const n = toInt(ip);
	if (within(n, '10.0.0.0', 8) || within(n, '172.16.0.0', 12) || within(n, '192.168.0.0', 16)) return 'private';
	if (within(n, '100.64.0.0', 10)) return 'shared';
	if (within(n, '127.0.0.0', 8)) return 'loopback';
	if (within(n, '169.254.0.0', 16)) return 'link-local';
	if (within(n, '0.0.0.0', 8) || within(n, '224.0.0.0', 3)) return 'other';
	return 'public';
}
