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
};

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
	);

export type ScenarioKind = RouterScenario['kind'];

export type RuleSet = {nat: string[][]; filter: string[][]};

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

export function routerRules(scenario: RouterScenario): RuleSet {
	const nat: string[][] = [];
	const filter = optionRules(scenario);
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
	return {nat, filter};
}

/** iptables-restore input replacing the nat and filter tables (policies ACCEPT). */
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
		'',
	].join('\n');
}
