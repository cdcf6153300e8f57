import {formatRange} from '../ports/ranges.js';
import {combinedFate, portBoundaries, type Cause, type PacketFate} from './evaluate.js';
import type {Decision, InboundPacket, OutboundPacket, Ruleset} from './model.js';
import {fatesByRun} from './segments.js';

/** One run of checked ports that this host's firewall treats alike. */
export interface HostFirewallRange {
	protocol: 'udp' | 'tcp';
	/** As `--ports` writes them: "9500-9599", "5060". */
	ports: string;
	/** Set on a range decided for packets leaving from these ports (Test 1 failed); inbound has none. */
	direction?: 'out';
	decision: Decision;
	/** The rule or policy that blocks, or the rule that could not be evaluated; null when allowed. */
	rule: string | null;
	/** Addresses an accept rule lets in although an arbitrary one is blocked: ["203.0.113.0/24"]. */
	sources: readonly string[];
	/** For `unknown`: what the evaluation does not follow ("limit rate 10/second"). */
	construct?: string;
	/** Where the deciding rule stands, for the command that would allow the range. */
	cause?: Cause & {backend: Ruleset['backend']};
}

/**
 * How a rule reads in a report, as its own tool prints it: "inet filter input: udp dport
 * 9500-9599 drop (handle 8)" for nftables, "iptables: -A INPUT -p udp … -j REJECT (rule 3)".
 */
export const causeText = (cause: Cause, backend: Ruleset['backend']): string => {
	if (backend === 'nftables') {
		return `${cause.table} ${cause.chain}: ${cause.text}${cause.handle === null ? '' : ` (handle ${cause.handle})`}`;
	}

	const table = cause.table === 'filter' ? '' : `-t ${cause.table} `;
	const rule = cause.handle === null ? `-P ${cause.chain} DROP` : `-A ${cause.chain} ${cause.text} (rule ${cause.handle})`;
	return `${backend}: ${table}${rule}`;
};

const keyOf = (fate: PacketFate): string =>
	[
		fate.decision,
		fate.cause ? `${fate.cause.table}\u0000${fate.cause.chain}\u0000${fate.cause.handle ?? ''}\u0000${fate.cause.text}` : '',
		fate.construct ?? '',
		fate.sources.join(','),
	].join('\u0001');

/**
 * Decide, for each run of the checked ports, whether a packet from an arbitrary internet address
 * reaches it through this host's rulesets; or, for an outbound packet, whether Test 1's request
 * from it leaves them (the ports then vary the source port). Ports between two port numbers that some rule names
 * fare alike, so each such segment is evaluated once: a 65535-port check costs as much as the
 * ruleset has port boundaries, not 65535 walks.
 */
export const decideRanges = (
	rulesets: readonly Ruleset[],
	ports: readonly number[],
	packet: Omit<InboundPacket, 'port'> | Omit<OutboundPacket, 'port'>,
): HostFirewallRange[] => {
	const outbound = 'direction' in packet;
	const bounds = portBoundaries(rulesets, outbound ? 'sport' : 'dport');
	const runs = fatesByRun(ports, bounds, port => combinedFate(rulesets, {...packet, port}), keyOf);
	return runs.map(({run, fate}) => ({
		protocol: packet.protocol,
		ports: formatRange(run),
		...(outbound ? {direction: 'out' as const} : {}),
		decision: fate.decision,
		rule: fate.cause && fate.backend ? causeText(fate.cause, fate.backend) : null,
		sources: fate.sources,
		...(fate.construct ? {construct: fate.construct} : {}),
		...(fate.cause && fate.backend ? {cause: {...fate.cause, backend: fate.backend}} : {}),
	}));
};
