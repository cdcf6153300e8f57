// The path verdict: is the router at the edge, behind a second NAT, behind carrier-grade NAT, or is
// there no NAT at all? Pure: it weighs the local address, the router's WAN address, the first hops
// and the STUN mapped address, and says which evidence decided. When the router's own word and the
// path disagree about a second NAT, the path wins: a router can report the outer public address
// (learned through STUN, or configured) while a private hop 2 shows the box in front of it.
import {addressKind} from './address-kind.js';
import type {AddressKind} from './address-kind.js';
import type {PathReport, PathVerdict} from './types.js';

export interface PathEvidence {
	/** This host's address on the LAN (the source of its packets). */
	localAddress: string | undefined;
	/** The router's WAN address and the protocol that told it. */
	routerWan: {address: string; source: string} | undefined;
	/** First hops, hop 1 first; "*" for a silent hop; undefined when no trace ran. */
	hops: string[] | undefined;
	/** Why there are no hops (tool missing), to say what is missing. */
	hopsNote?: string;
	/** The public address the STUN server saw. */
	mappedAddress: string | undefined;
}

const behind = (kind: AddressKind): PathVerdict | undefined =>
	kind === 'shared' ? 'cgnat' : kind === 'private' ? 'double-nat' : undefined;

/** The first answering hop past the router (hop 2, or hop 3 when hop 2 is silent). */
function hopPastRouter(hops: string[] | undefined): {hop: number; address: string} | undefined {
	for (const index of [1, 2]) {
		const address = hops?.[index];
		if (address && address !== '*') return {hop: index + 1, address};
	}

	return undefined;
}

const kindWords: Partial<Record<AddressKind, string>> = {
	shared: 'in 100.64.0.0/10, the carrier-grade NAT range',
	private: 'a private (LAN) address',
	public: 'public',
};

export function pathVerdict(evidence: PathEvidence): PathReport {
	const hops = evidence.hops ?? [];
	const lines: string[] = [];
	const report = (verdict: PathVerdict, outerNat?: string): PathReport => ({
		verdict,
		hops,
		evidence: lines,
		...(outerNat ? {outerNat} : {}),
	});
	const {localAddress, mappedAddress, routerWan} = evidence;

	if (localAddress && addressKind(localAddress) === 'public' && (!mappedAddress || mappedAddress === localAddress)) {
		lines.push(`this host holds the public address ${localAddress}${mappedAddress ? ' (the STUN server sees the same)' : ''}`);
		return report('no-nat');
	}

	if (localAddress && addressKind(localAddress) === 'shared') {
		lines.push(`this host's own address ${localAddress} is ${kindWords.shared}`);
		return report('cgnat');
	}

	const past = hopPastRouter(evidence.hops);
	const pathKind = past && addressKind(past.address);
	const pathSays = pathKind && behind(pathKind);
	const wanKind = routerWan && addressKind(routerWan.address);
	const wanSays = wanKind && behind(wanKind);
	const hopLine = past && pathKind && `hop ${past.hop} ${past.address} is ${kindWords[pathKind] ?? 'not a usable address'}`;
	const wanLine =
		routerWan &&
		wanKind &&
		`the router's WAN address ${routerWan.address} (from ${routerWan.source}) is ${kindWords[wanKind] ?? 'reserved'}`;

	if (pathSays) {
		lines.push(hopLine!);
		if (wanLine) lines.push(wanLine);
		if (routerWan && wanKind === 'public') {
			lines.push(
				`the router reports a public address, but the path shows a NAT in front of it: believing the path (a router can learn the outer address through STUN)`,
			);
		}

		return report(pathSays, pathSays === 'double-nat' ? past.address : undefined);
	}

	if (wanSays) {
		lines.push(wanLine!);
		if (hopLine) {
			lines.push(
				hopLine,
				`hop ${past.hop} does not show the NAT in front (it may not answer traces), but a private WAN address cannot be reached from the internet`,
			);
		}

		const outer = past && wanSays === 'double-nat' && addressKind(past.address) === 'private' ? past.address : undefined;
		return report(wanSays, outer);
	}

	if (routerWan && wanKind === 'public') {
		lines.push(wanLine!);
		if (hopLine) lines.push(hopLine);
		if (mappedAddress && mappedAddress !== routerWan.address) {
			lines.push(`but the STUN server sees ${mappedAddress}: something past the router translates again`);
			return report('unknown');
		}

		if (mappedAddress) lines.push('the STUN server sees the same address');
		return report('edge');
	}

	if (pathKind === 'public') {
		lines.push(hopLine!, 'the router did not report its WAN address');
		return report('edge');
	}

	lines.push(
		routerWan
			? `the router's WAN address ${routerWan.address} says nothing about the path`
			: 'no router protocol reported a WAN address',
		evidence.hops === undefined
			? `no hop trace (${evidence.hopsNote ?? 'not run'})`
			: past
				? hopLine!
				: 'no hop past the router answered',
	);
	if (mappedAddress && localAddress && mappedAddress !== localAddress) {
		lines.push(`at least one NAT is in the way (${localAddress} leaves as ${mappedAddress}), but how many is unknown`);
	}

	return report('unknown');
}
