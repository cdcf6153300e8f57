import {inPrefix} from './address-match.js';
import {formatRange} from '../ports/ranges.js';
import {
	type Chain,
	type Condition,
	type Decision,
	type Hook,
	type InboundPacket,
	type OutboundPacket,
	type Packet,
	type Rule,
	type Ruleset,
	isOutbound,
} from './model.js';

/** Why a packet met its fate: the rule (or policy) that decided, and where it stands. */
export interface Cause {
	table: string;
	chain: string;
	/** The rule's text, or "policy drop" when the chain's policy decided. */
	text: string;
	/** nft handle or iptables position; null for a policy. */
	handle: number | null;
}

export interface PacketFate {
	decision: Decision;
	/** What blocked it, or what could not be evaluated; null when nothing stood in the way. */
	cause: Cause | null;
	/** For `unknown`: the construct not evaluated ("limit rate 10/second"). */
	construct?: string;
	/** Sources an accept rule let in while an arbitrary address was not: "only from 203.0.113.0/24". */
	sources: readonly string[];
	/** The backend whose rules decided (the command to fix it depends on it). */
	backend?: Ruleset['backend'];
}

type Truth = {value: 'yes' | 'no'} | {value: 'maybe'; construct: string};

/** Deep enough for any real ruleset (ufw nests four chains); a loop is reported, never followed. */
const maxDepth = 32;

const yes: Truth = {value: 'yes'};
const no: Truth = {value: 'no'};

const interfaceMatches = (pattern: string, name: string): boolean =>
	/[+*]$/.test(pattern) ? name.startsWith(pattern.slice(0, -1)) : pattern === name;

const isEverywhere = (prefix: string): boolean => prefix === '0.0.0.0/0' || prefix === '::/0';

/** Whether one condition holds for an inbound packet; `maybe` when it depends on what is not known. */
const testInbound = (condition: Condition, packet: InboundPacket): Truth => {
	const flip = (truth: boolean): Truth => (truth !== ('negate' in condition && condition.negate) ? yes : no);
	switch (condition.kind) {
		case 'protocol': {
			return flip(condition.protocols.includes(packet.protocol));
		}

		case 'dport': {
			if (!condition.protocols.includes(packet.protocol)) {
				// `udp dport != 5060` does not match a TCP packet either: the protocol is implied.
				return no;
			}

			return flip(condition.spans.some(span => span.from <= packet.port && packet.port <= span.to));
		}

		case 'source': {
			// An arbitrary internet address lies in no prefix narrower than everything.
			return flip(condition.prefixes.some(prefix => isEverywhere(prefix)));
		}

		case 'input-interface': {
			if (packet.inputInterface === null) {
				// Traffic from the internet never arrives on loopback, whatever the other interfaces are.
				if (condition.names.every(name => name === 'lo')) {
					return flip(false);
				}

				return {value: 'maybe', construct: `input interface ${condition.names.join(', ')}`};
			}

			return flip(condition.names.some(name => interfaceMatches(name, packet.inputInterface!)));
		}

		case 'sport':
		case 'destination':
		case 'output-interface': {
			// The remote party's port and the rest are not known for a packet from anywhere.
			return {value: 'maybe', construct: condition.construct};
		}

		case 'ct-state': {
			// The packet a remote party sends first is new to connection tracking.
			return flip(condition.states.includes('new'));
		}

		case 'family': {
			return flip(condition.families.includes(packet.family));
		}

		case 'constant': {
			return condition.holds ? yes : no;
		}

		case 'unknown': {
			return {value: 'maybe', construct: condition.construct};
		}
	}
};

/** Whether an address test holds; `maybe` when the address or a prefix is not known. */
const addressTest = (prefixes: readonly string[], address: string | null, negate: boolean, construct: string): Truth => {
	if (address === null) {
		return {value: 'maybe', construct};
	}

	const answers = prefixes.map(prefix => inPrefix(prefix, address));
	if (answers.includes(true)) {
		return negate ? no : yes;
	}

	return answers.includes(undefined) ? {value: 'maybe', construct} : negate ? yes : no;
};

/**
 * Whether one condition holds for Test 1's request leaving this host: new, from the checked port
 * and this host's address, to the STUN server, through the interface toward it.
 */
const testOutbound = (condition: Condition, packet: OutboundPacket): Truth => {
	const flip = (truth: boolean): Truth => (truth !== ('negate' in condition && condition.negate) ? yes : no);
	switch (condition.kind) {
		case 'protocol': {
			return flip(condition.protocols.includes(packet.protocol));
		}

		case 'sport': {
			if (!condition.protocols.includes(packet.protocol)) {
				return no;
			}

			return flip(condition.spans.some(span => span.from <= packet.port && packet.port <= span.to));
		}

		case 'dport': {
			if (!condition.protocols.includes(packet.protocol)) {
				return no;
			}

			if (packet.destinationPort === null) {
				return {value: 'maybe', construct: `destination port ${condition.spans.map(span => formatRange(span)).join(', ')}`};
			}

			const port = packet.destinationPort;
			return flip(condition.spans.some(span => span.from <= port && port <= span.to));
		}

		case 'source': {
			return addressTest(condition.prefixes, packet.source, condition.negate, `source address ${condition.prefixes.join(', ')}`);
		}

		case 'destination': {
			return addressTest(condition.prefixes, packet.destination, condition.negate, condition.construct);
		}

		case 'input-interface': {
			// A packet this host sends arrived on no interface: the kernel compares an empty name.
			return flip(condition.names.some(name => interfaceMatches(name, '')));
		}

		case 'output-interface': {
			if (packet.outputInterface === null) {
				// A packet to an internet address never leaves through loopback.
				if (condition.names.every(name => name === 'lo')) {
					return flip(false);
				}

				return {value: 'maybe', construct: condition.construct};
			}

			return flip(condition.names.some(name => interfaceMatches(name, packet.outputInterface!)));
		}

		case 'ct-state': {
			// Test 1's request is taken as the first of its flow, as the check stands for a new PBX call.
			return flip(condition.states.includes('new'));
		}

		case 'family': {
			return flip(condition.families.includes(packet.family));
		}

		case 'constant': {
			return condition.outbound === undefined ? {value: 'maybe', construct: condition.construct} : condition.outbound ? yes : no;
		}

		case 'unknown': {
			return {value: 'maybe', construct: condition.construct};
		}
	}
};

/** Whether one condition holds for the packet, in its direction. */
const test = (condition: Condition, packet: Packet): Truth =>
	isOutbound(packet) ? testOutbound(condition, packet) : testInbound(condition, packet);

/** All conditions of a rule: one `no` settles it; otherwise the first `maybe` is why it is unknown. */
const testAll = (rule: Rule, packet: Packet): Truth => {
	let maybe: Truth | undefined;
	for (const condition of rule.conditions) {
		const truth = test(condition, packet);
		if (truth.value === 'no') {
			return no;
		}

		if (truth.value === 'maybe' && !maybe) {
			maybe = truth;
		}
	}

	return maybe ?? yes;
};

/** A rule that would have matched but for its source addresses: the sources it lets in. */
const sourcesOnly = (rule: Rule, packet: Packet): readonly string[] => {
	// From this host the source is its own address: there is no "only from" to tell.
	if (isOutbound(packet)) {
		return [];
	}

	const others = rule.conditions.filter(condition => condition.kind !== 'source');
	const sources = rule.conditions.filter(condition => condition.kind === 'source' && !condition.negate);
	if (sources.length === 0 || others.some(condition => test(condition, packet).value !== 'yes')) {
		return [];
	}

	return sources.flatMap(condition => (condition.kind === 'source' ? condition.prefixes : []));
};

type ChainEnd =
	| {kind: 'accept'; cause: Cause}
	| {kind: 'drop'; cause: Cause}
	| {kind: 'unknown'; cause: Cause; construct: string}
	/** Fell off the end of the chain, or met `return`: the caller carries on. */
	| {kind: 'fall-through'};

const causeOf = (chain: Chain, rule: Rule): Cause => ({
	table: chain.table,
	chain: chain.name,
	text: rule.text,
	handle: rule.handle,
});

class Walker {
	readonly sources: string[] = [];
	readonly #chains: Map<string, Chain>;

	constructor(
		chains: readonly Chain[],
		private readonly packet: Packet,
	) {
		this.#chains = new Map(chains.map(chain => [`${chain.table}\u0000${chain.name}`, chain]));
	}

	walk(chain: Chain, depth: number): ChainEnd {
		for (const rule of chain.rules) {
			const truth = testAll(rule, this.packet);
			if (truth.value === 'no') {
				if (rule.action.kind === 'accept') {
					this.sources.push(...sourcesOnly(rule, this.packet));
				}

				continue;
			}

			const {action} = rule;
			if (action.kind === 'continue') {
				continue;
			}

			if (truth.value === 'maybe') {
				return {kind: 'unknown', cause: causeOf(chain, rule), construct: truth.construct};
			}

			switch (action.kind) {
				case 'accept': {
					return {kind: 'accept', cause: causeOf(chain, rule)};
				}

				case 'drop':
				case 'reject': {
					return {kind: 'drop', cause: causeOf(chain, rule)};
				}

				case 'return': {
					return {kind: 'fall-through'};
				}

				case 'unknown': {
					return {kind: 'unknown', cause: causeOf(chain, rule), construct: action.construct};
				}

				case 'jump':
				case 'goto': {
					const target = this.#chains.get(`${chain.table}\u0000${action.chain}`);
					if (!target || depth >= maxDepth) {
						return {kind: 'unknown', cause: causeOf(chain, rule), construct: `${action.kind} to ${action.chain}`};
					}

					const end = this.walk(target, depth + 1);
					if (end.kind !== 'fall-through') {
						return end;
					}

					if (action.kind === 'goto') {
						// A chain reached by goto returns to whoever called this chain, not to this rule.
						return end;
					}

					continue;
				}
			}
		}

		return {kind: 'fall-through'};
	}
}

const hookOrder: Record<Hook, number> = {prerouting: 0, input: 1, output: 0, postrouting: 1};

const inbound: readonly Hook[] = ['prerouting', 'input'];
const outbound: readonly Hook[] = ['output', 'postrouting'];

/** The base chains a packet passes, in the kernel's order: hook, then priority. */
const chainsOnTheWay = (ruleset: Ruleset, family: Packet['family'], hooks: readonly Hook[]): Chain[] =>
	ruleset.chains
		.filter(
			chain => chain.base && hooks.includes(chain.base.hook) && chain.base.type !== 'other' && chain.families.includes(family),
		)
		.sort((a, b) => hookOrder[a.base!.hook] - hookOrder[b.base!.hook] || a.base!.priority - b.base!.priority);

/** The base chains an inbound packet passes, in the kernel's order: hook, then priority. */
export const inboundChains = (ruleset: Ruleset, family: InboundPacket['family']): Chain[] =>
	chainsOnTheWay(ruleset, family, inbound);

/** The base chains a packet this host sends passes: output, then postrouting. */
export const outboundChains = (ruleset: Ruleset, family: OutboundPacket['family']): Chain[] =>
	chainsOnTheWay(ruleset, family, outbound);

/**
 * The fate of one packet in one ruleset. Every base chain on its way must accept it (an accept
 * ends only its own chain); a drop or reject anywhere blocks it. A chain that cannot be evaluated
 * makes the fate unknown, unless a later chain blocks the packet in any case.
 */
export const packetFate = (ruleset: Ruleset, packet: Packet): PacketFate => {
	const walker = new Walker(ruleset.chains, packet);
	let unknown: PacketFate | undefined;
	const chains = isOutbound(packet) ? outboundChains(ruleset, packet.family) : inboundChains(ruleset, packet.family);
	for (const chain of chains) {
		const end = walker.walk(chain, 0);
		const policyDrop = end.kind === 'fall-through' && chain.base!.policy === 'drop';
		if (end.kind === 'drop' || policyDrop) {
			const cause = end.kind === 'drop' ? end.cause : {table: chain.table, chain: chain.name, text: 'policy drop', handle: null};
			return {decision: 'blocked', cause, sources: [...new Set(walker.sources)], backend: ruleset.backend};
		}

		if (end.kind === 'unknown' && !unknown) {
			unknown = {decision: 'unknown', cause: end.cause, construct: end.construct, sources: [], backend: ruleset.backend};
		}
	}

	return unknown ?? {decision: 'allowed', cause: null, sources: []};
};

/**
 * The port numbers at which some rule's answer can change: ports between two of them fare alike.
 * `kind` is the port the check varies: the destination port inbound, the source port outbound.
 */
export const portBoundaries = (rulesets: readonly Ruleset[], kind: 'dport' | 'sport' = 'dport'): number[] => {
	const bounds = new Set<number>([1, 65_536]);
	for (const ruleset of rulesets) {
		for (const chain of ruleset.chains) {
			for (const rule of chain.rules) {
				for (const condition of rule.conditions) {
					if (condition.kind === kind) {
						for (const {from, to} of condition.spans) {
							bounds.add(Math.max(1, from));
							bounds.add(Math.min(65_536, to + 1));
						}
					}
				}
			}
		}
	}

	return [...bounds].sort((a, b) => a - b);
};

/**
 * The fate of a packet through every ruleset the host has (nftables and iptables-legacy both see
 * each packet): blocked when any blocks it, unknown when any cannot tell, allowed otherwise.
 */
export const combinedFate = (rulesets: readonly Ruleset[], packet: Packet): PacketFate => {
	let unknown: PacketFate | undefined;
	const sources: string[] = [];
	for (const ruleset of rulesets) {
		const fate = packetFate(ruleset, packet);
		if (fate.decision === 'blocked') {
			return fate;
		}

		sources.push(...fate.sources);
		if (fate.decision === 'unknown' && !unknown) {
			unknown = fate;
		}
	}

	return unknown ?? {decision: 'allowed', cause: null, sources: [...new Set(sources)]};
};
