import {TokenBucket} from '../net/token-bucket.js';
import type {Datagram} from './datagram.js';
import {SIP_ALG_PORT, rewriteSipAddresses} from './sip-alg-rewrite.js';

/** RFC 4787 §4.1: what makes a new outside port. "symmetric" also picks it at random. */
export type MappingPolicy = 'endpoint-independent' | 'address-dependent' | 'symmetric';
/** RFC 4787 §5: who may send in to a mapped port. */
export type FilteringPolicy = 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';

export interface PortForward {
	/** Public ports, inclusive, forwarded 1:1 (same number) to `to`. */
	from: number;
	to: number;
	host: string;
}

export interface RouterPolicy {
	mapping: MappingPolicy;
	filtering: FilteringPolicy;
	/** Static forwards: inbound from anyone, and outbound keeps the port (DNAT + SNAT). */
	forwards: PortForward[];
	/** Inside source ports whose outbound datagrams are dropped, inclusive ranges. */
	outboundBlocked: Array<[from: number, to: number]>;
	/** Inside source ports that always get another public port, inclusive ranges (per-port symmetric NAT). */
	translated: Array<[from: number, to: number]>;
	/** Chance that a datagram is lost, each way. */
	loss: {outbound: number; inbound: number};
	/** A token bucket per direction: datagrams above it are dropped. */
	rateLimit: {perSecond: number; burst: number} | undefined;
	/** Sees every datagram leaving the LAN, before translation (a sniffer on the LAN). */
	tap: ((datagram: Datagram) => void) | undefined;
	/** A mapping unused this long is forgotten; undefined keeps mappings for ever. */
	mappingLifetimeMs: number | undefined;
	/** Inside ports, inclusive ranges, whose mappings let anyone in whatever `filtering` says (full-cone). */
	fullCone: Array<[from: number, to: number]>;
	/** Whether a datagram from the LAN to the public IP loops back in (hairpin NAT); many routers drop it. */
	hairpin: boolean;
	/** TCP forwards (DNAT), apart from the UDP ones: a port may be forwarded for one protocol only. */
	tcpForwards: PortForward[];
	/**
	 * A TCP SYN to a public port nothing forwards reaches the router itself: its kernel answers
	 * with a reset ('refuse', Linux without an INPUT firewall), or a firewall drops it ('drop').
	 */
	unforwardedTcp: 'refuse' | 'drop';
	/** A SIP ALG on port 5060, UDP and TCP: outbound SIP has the LAN address rewritten to the public one. */
	sipAlg: boolean;
}

interface Mapping {
	insideIp: string;
	insidePort: number;
	externalPort: number;
	/** Who the inside endpoint has sent to through this port: what the filter lets back in. */
	contactedIps: Set<string>;
	contactedEndpoints: Set<string>;
	lastUsed: number;
	key: string;
}

export interface RouterCounters {
	lost: number;
	rateLimited: number;
	blocked: number;
	filtered: number;
	/** Sent from the LAN to the public IP and dropped: no hairpin NAT. */
	notHairpinned: number;
}

/**
 * A home router: one public IP, a LAN behind it, NAT with the chosen mapping and filtering,
 * static forwards, and optional loss and rate limit. Change `policy` mid-test to make the
 * network get better or worse.
 */
export class NatRouter {
	readonly policy: RouterPolicy;
	readonly counters: RouterCounters = {lost: 0, rateLimited: 0, blocked: 0, filtered: 0, notHairpinned: 0};
	readonly #byKey = new Map<string, Mapping>();
	readonly #byExternalPort = new Map<number, Mapping>();
	/** Each direction's bucket and the limit it was made for: a new `policy.rateLimit` starts a full one. */
	readonly #buckets = new Map<'in' | 'out', {limit: RouterPolicy['rateLimit']; bucket: TokenBucket}>();

	constructor(
		readonly publicIp: string,
		policy: Partial<RouterPolicy>,
		readonly random: () => number,
		readonly now: () => number,
	) {
		this.policy = {
			mapping: 'endpoint-independent',
			filtering: 'address-and-port-dependent',
			forwards: [],
			outboundBlocked: [],
			translated: [],
			loss: {outbound: 0, inbound: 0},
			rateLimit: undefined,
			tap: undefined,
			mappingLifetimeMs: undefined,
			fullCone: [],
			hairpin: true,
			tcpForwards: [],
			unforwardedTcp: 'refuse',
			sipAlg: false,
			...policy,
		};
	}

	/** A datagram from the LAN to the internet: translated, or undefined when dropped. */
	outbound(datagram: Datagram): Datagram | undefined {
		this.policy.tap?.(datagram);
		const {from, to} = datagram;
		if (to.address === this.publicIp && !this.policy.hairpin) {
			this.counters.notHairpinned++;
			return undefined;
		}

		if (this.policy.outboundBlocked.some(([low, high]) => from.port >= low && from.port <= high)) {
			this.counters.blocked++;
			return undefined;
		}

		if (!this.#passes('out', this.policy.loss.outbound)) {
			return undefined;
		}

		const mapping = this.#mappingFor(from.address, from.port, `${to.address}:${to.port}`, to.address);
		mapping.contactedIps.add(to.address);
		mapping.contactedEndpoints.add(`${to.address}:${to.port}`);
		mapping.lastUsed = this.now();
		return {
			from: {family: 4, address: this.publicIp, port: mapping.externalPort},
			to,
			data: this.sipAlgFor(to.port, from.address)?.(datagram.data) ?? datagram.data,
		};
	}

	/** The ALG's rewrite of what `lanIp` sends to `port`, or undefined when it leaves the bytes alone. */
	sipAlgFor(port: number, lanIp: string): ((data: Buffer) => Buffer) | undefined {
		return this.policy.sipAlg && port === SIP_ALG_PORT ? data => rewriteSipAddresses(data, lanIp, this.publicIp) : undefined;
	}

	/** Where a TCP SYN to `port` of the public IP goes: a LAN address by a forward, or the router's own answer. */
	tcpInbound(port: number): {insideIp: string} | 'refuse' | 'drop' {
		const forward = this.policy.tcpForwards.find(each => port >= each.from && port <= each.to);
		return forward ? {insideIp: forward.host} : this.policy.unforwardedTcp;
	}

	/** A datagram from the internet to the public IP: to its inside host, or undefined when dropped. */
	inbound(datagram: Datagram): Datagram | undefined {
		if (!this.#passes('in', this.policy.loss.inbound)) {
			return undefined;
		}

		const {from, to} = datagram;
		// A reply on a known flow goes back to its inside endpoint (conntrack before DNAT, as in Linux).
		const mapping = this.#live(this.#byExternalPort.get(to.port));
		const allowed =
			mapping &&
			(this.policy.filtering === 'endpoint-independent' ||
				this.policy.fullCone.some(([low, high]) => mapping.insidePort >= low && mapping.insidePort <= high) ||
				(this.policy.filtering === 'address-dependent' && mapping.contactedIps.has(from.address)) ||
				mapping.contactedEndpoints.has(`${from.address}:${from.port}`));
		if (allowed) {
			mapping.lastUsed = this.now();
			return {...datagram, to: {family: 4, address: mapping.insideIp, port: mapping.insidePort}};
		}

		const forward = this.#forwardOf(to.port);
		if (forward) {
			return {...datagram, to: {family: 4, address: forward.host, port: to.port}};
		}

		this.counters.filtered++;
		return undefined;
	}

	#passes(direction: 'in' | 'out', loss: number): boolean {
		if (loss > 0 && this.random() < loss) {
			this.counters.lost++;
			return false;
		}

		const limit = this.policy.rateLimit;
		if (limit) {
			let entry = this.#buckets.get(direction);
			if (entry?.limit !== limit) {
				entry = {limit, bucket: new TokenBucket(limit.burst, this.now())};
				this.#buckets.set(direction, entry);
			}

			entry.bucket.refill(this.now(), {size: limit.burst, perSecond: limit.perSecond});
			if (!entry.bucket.take()) {
				this.counters.rateLimited++;
				return false;
			}
		}

		return true;
	}

	/** The mapping, or undefined once it has expired (and then it is forgotten). */
	#live(mapping: Mapping | undefined): Mapping | undefined {
		const lifetime = this.policy.mappingLifetimeMs;
		if (!mapping || lifetime === undefined || this.now() - mapping.lastUsed <= lifetime) {
			return mapping;
		}

		this.#byKey.delete(mapping.key);
		this.#byExternalPort.delete(mapping.externalPort);
		return undefined;
	}

	#forwardOf(port: number): PortForward | undefined {
		return this.policy.forwards.find(forward => port >= forward.from && port <= forward.to);
	}

	#mappingFor(insideIp: string, insidePort: number, endpoint: string, ip: string): Mapping {
		const inside = `${insideIp}:${insidePort}`;
		const key =
			this.policy.mapping === 'endpoint-independent'
				? inside
				: this.policy.mapping === 'address-dependent'
					? `${inside}>${ip}`
					: `${inside}>${endpoint}`;
		let mapping = this.#live(this.#byKey.get(key));
		if (!mapping) {
			mapping = {
				key,
				lastUsed: this.now(),
				insideIp,
				insidePort,
				externalPort: this.#externalPort(insideIp, insidePort),
				contactedIps: new Set(),
				contactedEndpoints: new Set(),
			};
			this.#byKey.set(key, mapping);
			this.#byExternalPort.set(mapping.externalPort, mapping);
		}

		return mapping;
	}

	/** A forwarded port keeps its number; otherwise keep it when free (as Linux does), unless randomising. */
	#externalPort(insideIp: string, insidePort: number): number {
		const forward = this.#forwardOf(insidePort);
		if (forward?.host === insideIp) {
			return insidePort;
		}

		const free = (port: number) => !this.#byExternalPort.has(port);
		const translated = this.policy.translated.some(([low, high]) => insidePort >= low && insidePort <= high);
		if (this.policy.mapping !== 'symmetric' && !translated && free(insidePort)) {
			return insidePort;
		}

		for (let tries = 0; tries < 100_000; tries++) {
			const port = 1024 + Math.floor(this.random() * (65_536 - 1024));
			if (free(port)) {
				return port;
			}
		}

		throw new Error('the router ran out of ports');
	}
}
