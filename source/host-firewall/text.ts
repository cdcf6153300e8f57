// This host's firewall in words, for every output alike: one line per range it blocks or could not
// evaluate (bounded), the ranges it lets in summed up, and a short form for the TUI's header. In
// the chosen language (the catalog's `remediation.hostFirewall`); rules and commands as typed.
import {sayNote, words} from '../catalog/index.js';
import type {HostFirewallRange} from './decide-ranges.js';
import {type HostFirewallFindings, fixOf} from './remediation.js';

/** Where the TUI, plain output and Markdown stop listing ranges one by one. */
const maxRangeLines = 8;

const decisionSymbol = {allowed: '✔', blocked: '✘', unknown: '?'} as const;

/** "UDP 9500-9599", and "outbound" after it for a range decided for packets leaving from it. */
export const rangeName = (range: HostFirewallRange): string =>
	`${range.protocol.toUpperCase()} ${range.ports}${range.direction === 'out' ? ` ${words().remediation.hostFirewall.outbound}` : ''}`;

/** "✘ UDP 9500-9599 blocked: inet pbxfw input: udp dport 9500-9599 counter drop (handle 2)". */
export const rangeLine = (range: HostFirewallRange): string => {
	const w = words().remediation.hostFirewall;
	const head = `${decisionSymbol[range.decision]} ${rangeName(range)} ${w.decision[range.decision]}`;
	if (range.decision === 'allowed') return head;
	const except = range.sources.length > 0 ? w.exceptFrom(range.sources.join(w.separator)) : '';
	const construct = range.construct ? w.couldNotEvaluate(range.construct) : '';
	return `${head}${except}${w.ruleAfter(range.rule ?? w.itsPolicy)}${construct}`;
};

/** The commands that allow a blocked range, as one line; undefined when there are none. */
export const allowCommandsOf = (findings: HostFirewallFindings, range: HostFirewallRange): string | undefined =>
	fixOf(findings, range);

/** A line of the host firewall's part of a report: the note, a range, the command under it, a summing up. */
export interface HostFirewallLine {
	kind: 'note' | 'range' | 'allow' | 'summary';
	text: string;
}

/** The note, then the blocked and unknown ranges each with its rule (and fix), then the allowed ones in one line. */
export const hostFirewallLines = (findings: HostFirewallFindings & {note: string}): HostFirewallLine[] => {
	// The report keeps the note in English; a person reads it in the chosen language.
	const lines: HostFirewallLine[] = [{kind: 'note', text: sayNote(findings.note)}];
	if (!findings.checked) return lines;
	const notAllowed = findings.ranges.filter(range => range.decision !== 'allowed');
	for (const range of notAllowed.slice(0, maxRangeLines)) {
		lines.push({kind: 'range', text: rangeLine(range)});
		const allow = allowCommandsOf(findings, range);
		if (allow) lines.push({kind: 'allow', text: allow});
	}

	if (notAllowed.length > maxRangeLines) {
		lines.push({kind: 'summary', text: words().remediation.hostFirewall.moreRangesJson(notAllowed.length - maxRangeLines)});
	}

	const allowed = findings.ranges.filter(range => range.decision === 'allowed');
	if (allowed.length > 0 && notAllowed.length > 0) {
		const shown = allowed.slice(0, 4).map(range => rangeName(range));
		lines.push({
			kind: 'summary',
			text: words().remediation.hostFirewall.allowedSummary(
				shown.join(words().remediation.hostFirewall.separator),
				allowed.length - shown.length,
			),
		});
	}

	return lines;
};

/** The blocked ranges in a few words for a header line: "UDP 9500-9599, TCP 5061"; undefined when none. */
export const blockedHere = (findings: HostFirewallFindings | undefined): string | undefined => {
	const blocked = findings?.checked ? findings.ranges.filter(range => range.decision === 'blocked') : [];
	if (blocked.length === 0) return undefined;
	const shown = blocked.slice(0, 3).map(range => rangeName(range));
	return `${shown.join(words().remediation.hostFirewall.separator)}${blocked.length > shown.length ? ` +${blocked.length - shown.length}` : ''}`;
};
