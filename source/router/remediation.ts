// Remediation that names the right box: what the path means for a failing port's checklist, and
// what the router's own mapping list says about the failing ports. Pure; the checklists in
// check/verdicts.ts put these lines first.
import {formatRange, groupRanges} from '../ports/ranges.js';
import type {PathReport, RouterMapping, RouterView} from './types.js';

export interface BoxContext {
	/** The failing ports, as a port or ranges ("9000-9499"). */
	ports?: string;
	/** This host's LAN address. */
	pbxAddress?: string;
	/** The router's WAN address, when it told us. */
	routerWan?: string;
}

/** Lines that lead a failing port's checklist: which box must change. Empty when the router is at the edge. */
export function pathRemediation(path: PathReport | undefined, context: BoxContext): string[] {
	const ports = context.ports ?? 'the checked ports';
	switch (path?.verdict) {
		case 'cgnat': {
			return [
				'Your internet provider puts a carrier-grade NAT in front of your router: no forward on your side can reach the PBX. Ask the provider for a public IPv4 address (often called "public IP" or "no CGNAT").',
				'If the provider cannot, use a VPN or tunnel that gives a public address, or a SIP trunk/SBC that works without inbound forwards.',
			];
		}

		case 'double-nat': {
			const outer = path.outerNat ? ` (${path.outerNat})` : '';
			const wan = context.routerWan ? ` ${context.routerWan}` : '';
			return [
				`A second NAT sits in front of your router: the ISP modem/router${outer}. Either put that modem in bridge mode so your router gets the public address, or forward UDP ${ports} on both boxes: on the modem to your router's WAN address${wan}, and on your router to ${context.pbxAddress ?? 'the PBX'}.`,
			];
		}

		case 'no-nat': {
			return [
				`This host holds the public address itself: there is no router to forward on. Allow inbound UDP ${ports} in this host's firewall and any firewall the provider runs.`,
			];
		}

		default: {
			return [];
		}
	}
}

const sameProtocol = (mapping: RouterMapping): boolean => mapping.protocol === '' || mapping.protocol === 'UDP';

/**
 * What the router's mapping list says about the failing ports: forwards that point at another LAN
 * host or change the port number, and (when the list has entries) failing ports it does not hold.
 */
export function mappingFindings(view: RouterView | undefined, failingPorts: number[], pbxAddress: string | undefined): string[] {
	const mappings = view?.mappings;
	if (!mappings || failingPorts.length === 0) return [];
	const byPort = new Map(mappings.filter(sameProtocol).map(mapping => [mapping.externalPort, mapping]));
	const lines: string[] = [];

	const elsewhere = groupRanges(
		failingPorts.flatMap(port => {
			const mapping = byPort.get(port);
			return mapping && pbxAddress && mapping.internalHost !== pbxAddress ? [{port, value: mapping.internalHost}] : [];
		}),
	);
	for (const range of elsewhere) {
		lines.push(
			`The router forwards UDP ${formatRange(range)} to ${range.value}, not to this host (${pbxAddress}): point ${range.from === range.to ? 'that forward' : 'those forwards'} at ${pbxAddress}.`,
		);
	}

	const moved = failingPorts.flatMap(port => {
		const mapping = byPort.get(port);
		return mapping && mapping.internalPort !== port && (!pbxAddress || mapping.internalHost === pbxAddress) ? [mapping] : [];
	});
	for (const mapping of moved.slice(0, 3)) {
		lines.push(
			`The router forwards UDP ${mapping.externalPort} to port ${mapping.internalPort}: the port number must stay the same.`,
		);
	}

	if (mappings.length > 0) {
		const missing = groupRanges(failingPorts.filter(port => !byPort.has(port)).map(port => ({port, value: true})));
		if (missing.length > 0) {
			const shown = missing.slice(0, 4).map(range => formatRange(range));
			const more = missing.length > shown.length ? ` and ${missing.length - shown.length} more ranges` : '';
			lines.push(
				`The router's UPnP list (${mappings.length} ${mappings.length === 1 ? 'mapping' : 'mappings'}) has no entry for UDP ${shown.join(', ')}${more}; forwards set by hand in the router's web page may not appear there.`,
			);
		}
	}

	return lines;
}
