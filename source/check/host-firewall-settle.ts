// A reading of this host's firewall kept across re-runs and watch rounds meets ports that pass
// now: the admin may have opened them here since. A round where everything passes reads nothing,
// so without this the report would still say "blocks 9500-9599" after the fix had worked.
import {parsePortList} from '../ports/port-list.js';
import {formatRange, groupRanges} from '../ports/ranges.js';
import type {HostFirewallRange} from '../host-firewall/decide-ranges.js';
import {type HostFirewallReport, readingNote} from '../system/host-firewall.js';
import type {PortResult} from './types.js';

/** Whether the port's packets evidently got through this host in the range's direction. */
const passes = (result: PortResult | undefined, range: HostFirewallRange): boolean =>
	result !== undefined && (range.direction === 'out' ? result.test1.outcome === 'pass' : result.status === 'pass');

/**
 * The reading with every UDP port that passes now taken out of the ranges it said were blocked
 * (or could not decide): a pass is proof that this host lets the port's packets through. Such a
 * range splits into the part still in question, which keeps its rule and fix, and the part that
 * passes, read as allowed. The note is worked out again only when a decision changed.
 */
export const settleHostFirewall = (reading: HostFirewallReport, ports: readonly PortResult[]): HostFirewallReport => {
	if (!reading.checked || reading.tool === null) return reading;
	const byPort = new Map(ports.map(result => [result.port, result]));
	let changed = false;
	const fixes = [...reading.fixes];
	const ranges = reading.ranges.flatMap((range): HostFirewallRange[] => {
		if (range.protocol !== 'udp' || range.decision === 'allowed') return [range];
		const parsed = parsePortList(range.ports);
		if (!parsed.ok) return [range];
		const parts = groupRanges(parsed.ports.map(port => ({port, value: passes(byPort.get(port), range)})));
		if (!parts.some(part => part.value)) return [range];
		changed = true;
		const fixAt = fixes.findIndex(
			fix => fix.protocol === 'udp' && fix.ports === range.ports && fix.direction === range.direction,
		);
		const fix = fixAt === -1 ? undefined : fixes.splice(fixAt, 1)[0];
		return parts.map(part => {
			const ports = formatRange(part);
			if (part.value) {
				return {
					protocol: 'udp',
					ports,
					...(range.direction ? {direction: range.direction} : {}),
					decision: 'allowed',
					rule: null,
					sources: [],
				};
			}

			if (fix) fixes.push({...fix, ports});
			return {...range, ports};
		});
	});
	return changed ? {...reading, note: readingNote(reading.tool, ranges), ranges, fixes} : reading;
};
