// This host's own firewall in the TUI: a header line when it blocks some of the checked ports, its
// ranges in the F pane, and the port's own range in the drill-down. Pure line builders over the state.
import {sayNote, words} from '../../catalog/index.js';
import {type HostFirewallRange} from '../../host-firewall/decide-ranges.js';
import {allowCommandsOf, blockedHere, hostFirewallLines, rangeLine} from '../../host-firewall/text.js';
import type {SweepState} from '../state/types.js';
import {type Line, blank, line} from './line.js';
import {fit, paragraph, width} from './wrap.js';

const toneOf = (decision: HostFirewallRange['decision']) =>
	decision === 'allowed' ? 'ok' : decision === 'blocked' ? 'bad' : 'warn';

/** "this host  firewall (ufw) blocks UDP 9500-9599  F what to do": only when it blocks something. */
export const hostFirewallHeaderLine = (state: SweepState): Line | undefined => {
	const findings = state.report?.hostFirewall;
	const blocked = blockedHere(findings);
	if (!findings || !blocked) return undefined;
	const said = words().tui.hostFirewall;
	const head = said.thisHost;
	const tail = '  F';
	const text = said.blocks(findings.tool ?? '', blocked);
	return line(
		{text: head, tone: 'muted'},
		{text: fit(text, Math.max(1, state.viewport.columns - width(head) - width(tail) - 1)).trimEnd(), tone: 'bad', bold: true},
		{text: tail, tone: 'muted'},
	);
};

/** The F pane's part: the note, then each range it blocks or could not evaluate with its rule and fix. */
export const hostFirewallPaneLines = (state: SweepState, size: number): Line[] => {
	const findings = state.report?.hostFirewall;
	if (!findings) return [];
	const said = words().tui.hostFirewall;
	const lines: Line[] = [blank, line({text: said.title, bold: true})];
	for (const {kind, text} of hostFirewallLines(findings)) {
		const tone = kind === 'note' ? (findings.checked ? undefined : 'muted') : kind === 'allow' ? 'info' : undefined;
		const lead = kind === 'note' ? '  ' : kind === 'allow' ? `      ${said.allow}` : '    ';
		lines.push(...paragraph(text, size, tone ? {tone} : {}, lead, '      '));
	}

	return lines;
};

/** In a port's drill-down: what this host's firewall does to it. */
export const hostFirewallPortLines = (state: SweepState, port: number, size: number): Line[] => {
	const findings = state.report?.hostFirewall;
	if (!findings) return [];
	// Its inbound range, then (when its Test 1 failed) its outbound one.
	const ranges = findings.ranges.filter(item => {
		if (item.protocol !== 'udp') return false;
		const [from = Number.NaN, to = from] = item.ports.split('-').map(Number);
		return port >= from && port <= to;
	});
	const said = words().tui.hostFirewall;
	if (!findings.checked || ranges.length === 0) {
		return [blank, line({text: said.title, bold: true}), ...paragraph(sayNote(findings.note), size, {tone: 'muted'}, '  ', '  ')];
	}

	return [
		blank,
		line({text: said.title, bold: true}, {text: findings.tool ? `  ${findings.tool}` : '', tone: 'muted'}),
		...ranges.flatMap(range => {
			const allow = allowCommandsOf(findings, range);
			return [
				...paragraph(rangeLine(range), size, {tone: toneOf(range.decision)}, '  ', '    '),
				...(allow ? paragraph(allow, size, {tone: 'info'}, `  ${said.allow}`, '    ') : []),
			];
		}),
	];
};
