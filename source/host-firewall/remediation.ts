// What this host's own firewall means for a failing port's checklist: when it blocks the ports,
// the checklist starts with this machine (the rule and the command that allows them); when it lets
// them in, the generic "check the host firewall" item goes; when a rule could not be evaluated,
// that item names it. Pure; check/verdicts.ts puts these lines in place, in the catalog's words
// (`remediation.hostFirewall`); rules and commands stay as typed.
import {words} from '../catalog/index.js';
import type {HostFirewallRange} from './decide-ranges.js';
import type {FirewallTool} from './model.js';

/** What a checklist needs of the reading (system/host-firewall.ts's HostFirewallReport is one). */
export interface HostFirewallFindings {
	checked: boolean;
	tool: FirewallTool | null;
	ranges: readonly HostFirewallRange[];
	fixes: ReadonlyArray<{protocol: 'udp' | 'tcp'; ports: string; direction?: 'out'; commands: readonly string[]}>;
}

/** The commands that let a blocked range through, in its direction; undefined when there are none. */
export const fixOf = (findings: HostFirewallFindings, range: HostFirewallRange): string | undefined => {
	const fix = findings.fixes.find(
		item => item.protocol === range.protocol && item.ports === range.ports && item.direction === range.direction,
	);
	return fix && fix.commands.length > 0 ? fix.commands.join(' && ') : undefined;
};

export interface ThisHostAdvice {
	/** Lines that lead the checklist: this machine blocks some of the ports. */
	lead: string[];
	/** The generic host-firewall item as it stays: unchanged, reworded (a rule not evaluated) or gone (undefined). */
	hostItem: (generic: string) => string | undefined;
}

const keep: ThisHostAdvice = {lead: [], hostItem: generic => generic};

/** "9500-9599" → its span; anything else (never produced by decideRanges) → undefined. */
const spanOf = (ports: string): {from: number; to: number} | undefined => {
	const match = /^(\d+)(?:-(\d+))?$/.exec(ports);
	if (!match) return undefined;
	const from = Number(match[1]);
	return {from, to: match[2] === undefined ? from : Number(match[2])};
};

const touches = (range: HostFirewallRange, ports: readonly number[]): boolean => {
	const span = spanOf(range.ports);
	return span !== undefined && ports.some(port => port >= span.from && port <= span.to);
};

const upper = (protocol: 'udp' | 'tcp'): string => protocol.toUpperCase();

/** At most this many blocked ranges get a line of their own; a long list ends in "and N more". */
const shownRanges = 3;

/**
 * This machine's part in the failure of `ports` over `protocols`. Nothing changes when the
 * firewall was not read or the ports are not known.
 */
export function thisHostAdvice(
	findings: HostFirewallFindings | undefined,
	protocols: ReadonlyArray<'udp' | 'tcp'>,
	ports: readonly number[],
	{answersLost = false}: {answersLost?: boolean} = {},
): ThisHostAdvice {
	if (!findings?.checked || ports.length === 0) return keep;
	const relevant = findings.ranges.filter(
		range => range.direction === undefined && protocols.includes(range.protocol) && touches(range, ports),
	);
	if (relevant.length === 0) return keep;
	const blocked = relevant.filter(range => range.decision === 'blocked');
	const unknown = relevant.filter(range => range.decision === 'unknown');
	const w = words().remediation.hostFirewall;
	const lead = blocked.slice(0, shownRanges).map(range => {
		const fix = fixOf(findings, range);
		const only = range.sources.length > 0 ? range.sources.join(w.separator) : undefined;
		const command = fix ? w.allowHere(fix) : '';
		// A rule that drops before any "established" accept drops the answers to the port's own requests too.
		const answers = answersLost ? w.answersLost : '';
		return `${w.blocks(findings.tool ?? undefined, upper(range.protocol), range.ports, only, range.rule ?? undefined)}${answers}${command}`;
	});
	if (blocked.length > shownRanges) {
		lead.push(w.alsoBlocks(blocked.length - shownRanges));
	}

	return {
		lead,
		hostItem() {
			if (unknown.length === 0) return undefined;
			const first = unknown[0]!;
			return w.notEvaluated(upper(first.protocol), first.ports, unknown.length - 1, first.rule ?? undefined, first.construct);
		},
	};
}

/** This machine's part in Test 1's failure on `ports`: what its output rules do to the requests. */
export interface OutboundAdvice {
	/** Lines that lead the checklist: this machine stops some of the ports' requests leaving. */
	lead: string[];
	/**
	 * The generic "check the host firewall and antivirus" item: as it is when the outbound rules were
	 * not decided, without the firewall when they were (the lead names it, or it lets them out),
	 * after a line naming the rule not evaluated.
	 */
	hostItems: (generic: string, withoutFirewall: string) => string[];
}

/** The outbound ranges decided for the ports whose Test 1 failed, read into the checklist's lines. */
export function outboundAdvice(findings: HostFirewallFindings | undefined, ports: readonly number[]): OutboundAdvice {
	const relevant =
		findings?.checked && ports.length > 0
			? findings.ranges.filter(range => range.direction === 'out' && range.protocol === 'udp' && touches(range, ports))
			: [];
	if (!findings || relevant.length === 0) return {lead: [], hostItems: generic => [generic]};
	const w = words().remediation.hostFirewall;
	const blocked = relevant.filter(range => range.decision === 'blocked');
	const unknown = relevant.filter(range => range.decision === 'unknown');
	const lead = blocked.slice(0, shownRanges).map(range => {
		const fix = fixOf(findings, range);
		return `${w.blocksOutbound(findings.tool ?? undefined, upper(range.protocol), range.ports, range.rule ?? undefined)}${fix ? w.allowHere(fix) : ''}`;
	});
	if (blocked.length > shownRanges) {
		lead.push(w.alsoBlocks(blocked.length - shownRanges));
	}

	return {
		lead,
		hostItems(_generic, withoutFirewall) {
			const first = unknown[0];
			return first
				? [
						w.notEvaluatedOutbound(
							upper(first.protocol),
							first.ports,
							unknown.length - 1,
							first.rule ?? undefined,
							first.construct,
						),
						withoutFirewall,
					]
				: [withoutFirewall];
		},
	};
}
