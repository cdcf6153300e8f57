import type {HostFirewallRange} from './decide-ranges.js';
import type {FirewallTool} from './model.js';

/**
 * The commands that would let a blocked range in, for the tool that manages this host's rules:
 * a front-end's own command where there is one (ufw, firewalld), since a rule added beneath it
 * is lost the next time it reloads; otherwise a rule placed just before the one that blocks.
 */
export const allowCommands = (tool: FirewallTool, range: HostFirewallRange, family: 'ipv4' | 'ipv6' = 'ipv4'): string[] => {
	if (range.direction === 'out') {
		return allowOutboundCommands(tool, range, family);
	}

	const {protocol, ports} = range;
	const colon = ports.replace('-', ':');
	switch (tool) {
		case 'ufw': {
			return [`ufw allow ${colon}/${protocol}`];
		}

		case 'firewalld': {
			return [`firewall-cmd --permanent --add-port=${ports}/${protocol}`, 'firewall-cmd --reload'];
		}

		default: {
			break;
		}
	}

	return ruleBeforeCause(range, family, 'dport', 'input');
};

/**
 * The commands that would let packets leave from a blocked range (its ports are source ports).
 * firewalld's zones do not filter what leaves, so a rule that blocks it was added beside them: a
 * direct rule in OUTPUT goes before it.
 */
const allowOutboundCommands = (tool: FirewallTool, range: HostFirewallRange, family: 'ipv4' | 'ipv6'): string[] => {
	const {protocol, ports} = range;
	const colon = ports.replace('-', ':');
	const ipv = family === 'ipv6' ? 'ipv6' : 'ipv4';
	switch (tool) {
		case 'ufw': {
			return [`ufw allow out proto ${protocol} from any port ${colon}`];
		}

		case 'firewalld': {
			return [
				`firewall-cmd --permanent --direct --add-rule ${ipv} filter OUTPUT 0 -p ${protocol} --sport ${colon} -j ACCEPT`,
				'firewall-cmd --reload',
			];
		}

		default: {
			break;
		}
	}

	return ruleBeforeCause(range, family, 'sport', 'output');
};

/**
 * An accept for the range's ports (`dport` coming in, `sport` going out), placed just before the
 * rule that blocks them, or added to the chain when a policy does: in nft's words or iptables'.
 */
const ruleBeforeCause = (
	range: HostFirewallRange,
	family: 'ipv4' | 'ipv6',
	port: 'dport' | 'sport',
	defaultChain: string,
): string[] => {
	const {protocol, ports, cause} = range;
	if (!cause || cause.backend === 'nftables') {
		const [nftFamily, nftTable] = (cause?.table ?? 'inet filter').split(' ');
		const chain = cause?.chain ?? defaultChain;
		const where = cause?.handle === null || cause?.handle === undefined ? 'add' : 'insert';
		const position = where === 'insert' ? ` position ${cause!.handle}` : '';
		return [`nft ${where} rule ${nftFamily} ${nftTable} ${chain}${position} ${protocol} ${port} ${ports} accept`];
	}

	const program = `${family === 'ipv6' ? 'ip6tables' : 'iptables'}${cause.backend === 'iptables-legacy' ? '-legacy' : ''}`;
	const table = cause.table === 'filter' ? '' : ` -t ${cause.table}`;
	const where = cause.handle === null ? `-A ${cause.chain}` : `-I ${cause.chain} ${cause.handle}`;
	return [`${program}${table} ${where} -p ${protocol} --${port} ${ports.replace('-', ':')} -j ACCEPT`];
};

/** Which program wrote the rules, from the names it gives its chains and tables. */
export const recogniseTool = (
	names: {tables: readonly string[]; chains: readonly string[]},
	backend: FirewallTool,
): FirewallTool => {
	if (names.chains.some(name => name.startsWith('ufw-') || name.startsWith('ufw6-'))) {
		return 'ufw';
	}

	if (names.tables.some(name => name.endsWith(' firewalld')) || names.chains.some(name => name.startsWith('IN_public'))) {
		return 'firewalld';
	}

	if (names.chains.some(name => name.startsWith('fpbx'))) {
		return 'freepbx';
	}

	return backend;
};
