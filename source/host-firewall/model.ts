/**
 * One model of a Linux host's packet filter, whichever tool wrote it: `nft -j list ruleset` and
 * `iptables-save` both decode into it (nft-json.ts, iptables-save.ts), and evaluate.ts walks it.
 * It keeps only what decides the fate of an inbound packet to a port of this host, or of an
 * outbound one from it to the STUN server; anything else a rule tests is kept by name, so the
 * evaluation can say "unknown because of X" instead of guessing.
 */

/** An inclusive span of port numbers. */
export interface PortSpan {
	from: number;
	to: number;
}

/** One test a rule makes of a packet. `negate` inverts it (`!=`, iptables' `!`). */
export type Condition =
	| {kind: 'protocol'; protocols: readonly string[]; negate: boolean}
	/** Destination port, for the given protocols (udp, tcp; both for nft's `th dport`). */
	| {kind: 'dport'; protocols: readonly string[]; spans: readonly PortSpan[]; negate: boolean}
	/** Source address: prefixes like "203.0.113.0/24" (a bare address is /32 or /128). */
	| {kind: 'source'; prefixes: readonly string[]; negate: boolean}
	/** Input interface names; a trailing `+` or `*` matches any suffix. */
	| {kind: 'input-interface'; names: readonly string[]; negate: boolean}
	/**
	 * The tests only an outbound packet is judged by: source port, destination address, output
	 * interface. `construct` is the test as written: what the inbound walk, which does not evaluate
	 * them, names as unknown.
	 */
	| {kind: 'sport'; protocols: readonly string[]; spans: readonly PortSpan[]; negate: boolean; construct: string}
	| {kind: 'destination'; prefixes: readonly string[]; negate: boolean; construct: string}
	| {kind: 'output-interface'; names: readonly string[]; negate: boolean; construct: string}
	/** Connection-tracking state: new, established, related, invalid, untracked. */
	| {kind: 'ct-state'; states: readonly string[]; negate: boolean}
	/** The packet's address family: ipv4 or ipv6. */
	| {kind: 'family'; families: readonly string[]; negate: boolean}
	/**
	 * A test whose answer is the same for every new unicast packet from the internet to this host
	 * (a broadcast-only match, `ct status dnat`, a counter): `holds` says which. `outbound` is the
	 * answer for a new packet from this host to an internet address; absent when it is not known.
	 */
	| {kind: 'constant'; holds: boolean; outbound?: boolean; construct: string}
	/** A test this model does not evaluate: a rate limit, a mark, a match module. */
	| {kind: 'unknown'; construct: string};

/** What a rule does when every condition holds. */
export type Action =
	| {kind: 'accept'}
	| {kind: 'drop'}
	| {kind: 'reject'}
	| {kind: 'jump'; chain: string}
	| {kind: 'goto'; chain: string}
	| {kind: 'return'}
	/** Counts, logs or marks and lets the packet go on to the next rule. */
	| {kind: 'continue'}
	/** Rewrites where the packet goes (DNAT, REDIRECT) or hands it elsewhere (queue). */
	| {kind: 'unknown'; construct: string};

export interface Rule {
	conditions: readonly Condition[];
	action: Action;
	/** The rule as its tool would print it, for the admin to recognise. */
	text: string;
	/** nft's handle, or the rule's 1-based position in its iptables chain. */
	handle: number;
}

/** A hook the packet passes: prerouting then input on its way in, output then postrouting on its way out. */
export type Hook = 'prerouting' | 'input' | 'output' | 'postrouting';

export interface Chain {
	/** Where the chain lives: "inet filter" for nft, "filter" for iptables (its table). */
	table: string;
	name: string;
	rules: readonly Rule[];
	/** The packets it sees: ip tables and iptables see IPv4 only, ip6 ones IPv6, inet both. */
	families: ReadonlyArray<'ipv4' | 'ipv6'>;
	/** Set on a base chain: where the kernel calls it. Regular chains are only jumped to. */
	base?: {hook: Hook; priority: number; policy: 'accept' | 'drop'; type: 'filter' | 'nat' | 'other'};
}

/** Which program wrote the rules, so the admin is told the command of the tool in use. */
export type FirewallTool = 'nftables' | 'iptables' | 'iptables-legacy' | 'ufw' | 'firewalld' | 'freepbx' | 'windows-firewall';

export interface Ruleset {
	/** The tool that reads and writes these rules: nft, or iptables (legacy or on nftables). */
	backend: 'nftables' | 'iptables' | 'iptables-legacy';
	chains: readonly Chain[];
}

/** A packet the check stands for: from an arbitrary internet address to one port of this host. */
export interface InboundPacket {
	protocol: 'udp' | 'tcp';
	port: number;
	family: 'ipv4' | 'ipv6';
	/** The interface traffic from the internet arrives on, when known. */
	inputInterface: string | null;
}

/**
 * A packet the outbound check stands for: Test 1's request, new UDP from a checked port of this
 * host to the STUN server. Whatever is not known (null) makes a test of it unknown, never a match.
 */
export interface OutboundPacket {
	direction: 'out';
	protocol: 'udp' | 'tcp';
	/** The checked port it leaves from. */
	port: number;
	family: 'ipv4' | 'ipv6';
	/** The STUN server's address and port. */
	destination: string | null;
	destinationPort: number | null;
	/** This host's address toward the server (the report's local address). */
	source: string | null;
	/** The interface toward the server (the local address's), when known. */
	outputInterface: string | null;
}

/** Which way a packet goes: the inbound packet has no `direction`, as it had before outbound existed. */
export type Packet = InboundPacket | OutboundPacket;

export const isOutbound = (packet: Packet): packet is OutboundPacket => 'direction' in packet && packet.direction === 'out';

export type Decision = 'allowed' | 'blocked' | 'unknown';
