// The router view and the path, as the report carries them (JSON fields `router`, `path`, `hairpin`).

export type RouterProtocol = 'nat-pmp' | 'pcp' | 'upnp';

export interface RouterMapping {
	/** As the router lists it: "UDP" or "TCP". */
	protocol: string;
	externalPort: number;
	internalHost: string;
	internalPort: number;
	description: string;
}

export interface RouterView {
	/** The default gateway asked; undefined when none was found. */
	gateway: string | undefined;
	/** The WAN address the router reported, from whichever protocol told it first. */
	wanAddress: string | undefined;
	/** Which protocol reported wanAddress. */
	wanSource: RouterProtocol | 'pcp-map' | undefined;
	/** Protocols that answered at all (an answer refusing to map still counts). */
	answered: RouterProtocol[];
	/** The router's port-mapping list (UPnP); undefined when it could not be read. */
	mappings: RouterMapping[] | undefined;
	/** One short line per thing worth knowing (refusals, bounds hit, missing pieces). */
	notes: string[];
}

export type PathVerdict = 'edge' | 'double-nat' | 'cgnat' | 'no-nat' | 'unknown';

export interface PathReport {
	verdict: PathVerdict;
	/** First hops towards the STUN server, in order; "*" for a hop that did not answer. */
	hops: string[];
	/** Why: which evidence decided, and what disagreed. */
	evidence: string[];
	/** The box in front of the router (double NAT: its LAN-side address), when known. */
	outerNat?: string;
}

export type HairpinResult = 'pass' | 'fail' | 'skipped';
