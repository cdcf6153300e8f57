// Router behaviours, as iptables rules for the rtr namespace. Pure: builds an iptables-restore
// document (so a scenario switch is one atomic replace of both tables); lab.setRouter applies it
// and flushes conntrack so mappings from the previous scenario cannot leak into the next.
import {ADDR, IF} from './addresses.js';

export type PortRange = readonly [from: number, to: number];

export type ScenarioOptions = {
	/** Drop this fraction (0..1) of forwarded UDP, each packet and direction independently. */
	loss?: number;
	/** Drop forwarded UDP above this many packets/s, counted separately per direction. */
	ratelimit?: number;
	/** Packets allowed at once before `ratelimit` applies (iptables hashlimit burst). Default 5. */
	ratelimitBurst?: number;
	/**
	 * The kernel's SIP helper (nf_conntrack_sip + nf_nat_sip, a "SIP ALG") on UDP and TCP 5060: a CT
	 * rule in the raw table, so masqueraded SIP has its Via, Contact and SDP rewritten to the WAN IP.
	 */
	sipHelper?: boolean;
	/** TCP forwards from the public IP, each to the PBX unless `to` names another host. */
	tcpForwards?: ReadonlyArray<TcpForward>;
};

export type TcpForward = {port: number; to?: string};

export type RouterScenario = ScenarioOptions &
	(
		| {
				/** Static 1:1 forward of `ports` (DNAT in, SNAT out keeping the port); rest masqueraded. */
				kind: 'forward-all' | 'forward-part';
				ports: PortRange;
				/** Internal host the forward points at (default the PBX): a wrong one drops inbound. */
				to?: string;
		  }
		/** MASQUERADE only: Linux keeps the source port when free, filtering is per address:port. */
		| {kind: 'masquerade'}
		/** MASQUERADE --random-fully: every new flow gets a random port (symmetric NAT). */
		| {kind: 'masquerade-random'}
		/** Drop every forwarded UDP packet from LAN to WAN. */
		| {kind: 'drop-outbound'}
		/** Drop UDP from LAN to WAN for these source ports only; the rest is masqueraded. */
		| {kind: 'drop-outbound-ports'; ports: PortRange}
		/**
		 * Full-cone NAT with no forward: masquerade, and inbound UDP to a public port is DNATed to the
		 * PBX only while that port has sent out lately (an nftables set, refreshed by each outbound
		 * datagram, entries living `mappingTimeoutS`). Tests 1-2 pass; only Test 3 tells it apart.
		 */
		| {kind: 'full-cone'; mappingTimeoutS?: number}
	);

export type ScenarioKind = RouterScenario['kind'];

export type RuleSet = {nat: string[][]; filter: string[][]; raw: string[][]};

function checkRange([from, to]: PortRange): string {
	if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 65535 || from > to) {
		throw new RangeError(`bad port range ${from}-${to}`);
	}
	return `${from}:${to}`;
}

const masquerade = (random = false): string[] => [
	'-A',
	'POSTROUTING',
	'-o',
	IF.wan,
	'-j',
	'MASQUERADE',
	...(random ? ['--random-fully'] : []),
];

function optionRules(options: ScenarioOptions): string[][] {
	const rules: string[][] = [];
	if (options.ratelimit !== undefined) {
		if (!(options.ratelimit > 0)) throw new RangeError(`bad ratelimit ${options.ratelimit}`);
		const limit = [
			'-p',
			'udp',
			'-m',
			'hashlimit',
			'--hashlimit-above',
			`${Math.round(options.ratelimit)}/sec`,
			'--hashlimit-burst',
			String(options.ratelimitBurst ?? 5),
		];
		rules.push(['-A', 'FORWARD', '-i', IF.lan, '-o', IF.wan, ...limit, '--hashlimit-name', 'fwl-out', '-j', 'DROP']);
		rules.push(['-A', 'FORWARD', '-i', IF.wan, '-o', IF.lan, ...limit, '--hashlimit-name', 'fwl-in', '-j', 'DROP']);
	}
	if (options.loss !== undefined && options.loss > 0) {
		// This kernel has no netem: random loss is an iptables statistic match.
		if (options.loss > 1) throw new RangeError(`bad loss ${options.loss}`);
		rules.push([
			'-A',
			'FORWARD',
			'-p',
			'udp',
			'-m',
			'statistic',
			'--mode',
			'random',
			'--probability',
			String(options.loss),
			'-j',
			'DROP',
		]);
	}
	return rules;
}

/** Helper assignment in the raw table: conntrack then expects and NATs SIP on 5060. */
const sipHelperRules = (on: boolean | undefined): string[][] =>
	on
		? ['udp', 'tcp'].map(protocol => ['-A', 'PREROUTING', '-p', protocol, '--dport', '5060', '-j', 'CT', '--helper', 'sip'])
		: [];

/** DNAT only (TCP replies go back through conntrack); no hairpin, like the UDP forwards. */
const tcpForwardRules = (forwards: ReadonlyArray<TcpForward> | undefined): string[][] =>
	(forwards ?? []).map(({port, to}) => {
		const ports = checkRange([port, port]);
		return [
			'-A',
			'PREROUTING',
			'-i',
			IF.wan,
			'-d',
			ADDR.publicIp,
			'-p',
			'tcp',
			'--dport',
			ports,
			'-j',
			'DNAT',
			'--to-destination',
			to ?? ADDR.pbx,
		];
	});

export function routerRules(scenario: RouterScenario): RuleSet {
	const nat: string[][] = tcpForwardRules(scenario.tcpForwards);
	const filter = optionRules(scenario);
	const raw = sipHelperRules(scenario.sipHelper);
	switch (scenario.kind) {
		case 'forward-all':
		case 'forward-part': {
			const ports = checkRange(scenario.ports);
			const to = scenario.to ?? ADDR.pbx;
			// No port in --to-destination/--to-source: the kernel keeps it (1:1 port forward).
			// DNAT only from the WAN side: no hairpin NAT, like many home routers.
			nat.push([
				'-A',
				'PREROUTING',
				'-i',
				IF.wan,
				'-d',
				ADDR.publicIp,
				'-p',
				'udp',
				'--dport',
				ports,
				'-j',
				'DNAT',
				'--to-destination',
				to,
			]);
			nat.push([
				'-A',
				'POSTROUTING',
				'-o',
				IF.wan,
				'-s',
				to,
				'-p',
				'udp',
				'--sport',
				ports,
				'-j',
				'SNAT',
				'--to-source',
				ADDR.publicIp,
			]);
			nat.push(masquerade());
			break;
		}
		case 'masquerade':
		case 'full-cone':
			nat.push(masquerade());
			break;
		case 'masquerade-random':
			nat.push(masquerade(true));
			break;
		case 'drop-outbound':
			filter.push(['-A', 'FORWARD', '-i', IF.lan, '-o', IF.wan, '-p', 'udp', '-j', 'DROP']);
			nat.push(masquerade());
			break;
		case 'drop-outbound-ports':
			filter.push([
				'-A',
				'FORWARD',
				'-i',
				IF.lan,
				'-o',
				IF.wan,
				'-p',
				'udp',
				'--sport',
				checkRange(scenario.ports),
				'-j',
				'DROP',
			]);
			nat.push(masquerade());
			break;
	}
	return {nat, filter, raw};
}

/** iptables-restore input replacing the nat, filter and raw tables (policies ACCEPT). */
export function restoreDocument(rules: RuleSet): string {
	const table = (name: string, chains: string[], body: string[][]): string[] => [
		`*${name}`,
		...chains.map(chain => `:${chain} ACCEPT [0:0]`),
		...body.map(rule => rule.join(' ')),
		'COMMIT',
	];
	return [
		...table('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], rules.nat),
		...table('filter', ['INPUT', 'FORWARD', 'OUTPUT'], rules.filter),
		...table('raw', ['PREROUTING', 'OUTPUT'], rules.raw),
		'',
	].join('\n');
}

/** The nftables table that `full-cone` adds beside the iptables rules; flushed with them on every switch. */
export const FULL_CONE_TABLE = 'fwcheck_full_cone';

/** `nft -f` input for the scenario's nftables part, or undefined when it has none. */
export function nftDocument(scenario: RouterScenario): string | undefined {
	if (scenario.kind !== 'full-cone') return undefined;
	const timeout = scenario.mappingTimeoutS ?? 60;
	if (!Number.isInteger(timeout) || timeout < 1) throw new RangeError(`bad mapping timeout ${timeout}`);
	return [
		`table ip ${FULL_CONE_TABLE} {`,
		'\tset sent {',
		'\t\ttype inet_service',
		'\t\tflags dynamic,timeout',
		`\t\ttimeout ${timeout}s`,
		'\t}',
		'\tchain prerouting {',
		// Before iptables' nat chains: an unsolicited datagram to a port that sent out goes to the PBX.
		'\t\ttype nat hook prerouting priority dstnat - 10; policy accept;',
		`\t\tiifname "${IF.wan}" ip daddr ${ADDR.publicIp} udp dport @sent dnat to ${ADDR.pbx}`,
		'\t}',
		'\tchain forward {',
		'\t\ttype filter hook forward priority filter - 10; policy accept;',
		`\t\tiifname "${IF.lan}" oifname "${IF.wan}" ip saddr ${ADDR.pbx} update @sent { udp sport }`,
		'\t}',
		'}',
		'',
	].join('\n');
}
