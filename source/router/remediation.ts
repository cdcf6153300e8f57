// Remediation that names the right box: what the path means for a failing port's checklist, and
// what the router's own mapping list says about the failing ports. Pure; the checklists in
// check/verdicts.ts put these lines first; the words are the catalog's (`remediation`).
import {words} from '../catalog/index.js';
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
	const w = words().remediation.path;
	switch (path?.verdict) {
		case 'cgnat': {
			return [...w.cgnat];
		}

		case 'double-nat': {
			return [w.doubleNat(path.outerNat, context.ports, context.routerWan, context.pbxAddress)];
		}

		case 'no-nat': {
			return [w.noNat(context.ports)];
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
	const w = words().remediation.mappings;
	const lines: string[] = [];

	const elsewhere = groupRanges(
		failingPorts.flatMap(port => {
			const mapping = byPort.get(port);
			return mapping && pbxAddress && mapping.internalHost !== pbxAddress ? [{port, value: mapping.internalHost}] : [];
		}),
	);
	for (const range of elsewhere) {
		lines.push(w.elsewhere(formatRange(range), range.value, pbxAddress ?? '', range.to - range.from + 1));
	}

	const moved = failingPorts.flatMap(port => {
		const mapping = byPort.get(port);
		return mapping && mapping.internalPort !== port && (!pbxAddress || mapping.internalHost === pbxAddress) ? [mapping] : [];
	});
	for (const mapping of moved.slice(0, 3)) {
		lines.push(w.moved(mapping.externalPort, mapping.internalPort));
	}

	if (mappings.length > 0) {
		const missing = groupRanges(failingPorts.filter(port => !byPort.has(port)).map(port => ({port, value: true})));
		if (missing.length > 0) {
			const shown = missing.slice(0, 4).map(range => formatRange(range));
			lines.push(w.missing(mappings.length, shown.join(', '), missing.length - shown.length));
		}
	}

	return lines;
}
