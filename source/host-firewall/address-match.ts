import {BlockList, isIP} from 'node:net';

/**
 * Whether `address` lies in `prefix` as a rule writes it: "203.0.113.0/24", "2001:db8::/32", a
 * bare address, or nft's range "10.0.0.1-10.0.0.9". Undefined when the prefix cannot be read, so
 * the caller says unknown rather than guessing; an address of the other family lies in none.
 */
export const inPrefix = (prefix: string, address: string): boolean | undefined => {
	const family = isIP(address);
	if (family === 0) return undefined;
	const type = family === 4 ? 'ipv4' : 'ipv6';
	const list = new BlockList();
	try {
		const slash = /^([^/]+)\/(\d{1,3})$/.exec(prefix);
		const range = /^([^-]+)-([^-]+)$/.exec(prefix);
		if (slash) {
			const net = slash[1]!;
			if (isIP(net) === 0) return undefined;
			if (isIP(net) !== family) return false;
			list.addSubnet(net, Number(slash[2]), type);
		} else if (range) {
			const [, from = '', to = ''] = range;
			if (isIP(from) === 0 || isIP(from) !== isIP(to)) return undefined;
			if (isIP(from) !== family) return false;
			list.addRange(from, to, type);
		} else {
			if (isIP(prefix) === 0) return undefined;
			if (isIP(prefix) !== family) return false;
			list.addAddress(prefix, type);
		}

		return list.check(address, type);
	} catch {
		// A prefix length past the family's width, a range written backwards.
		return undefined;
	}
};
