import {sayNote, words} from '../../catalog/index.js';
import type {PortResult} from '../../check/types.js';
import {sayMessage, verdict, type VerdictCode} from '../../check/verdicts.js';
import {pacingSentence} from '../../report/summary.js';
import {serviceProblems} from '../../report/services-text.js';
import {countRows, isRunning, problemRanges, remediationContext, servicesOf} from '../state/selectors.js';
import {hostFirewallPaneLines} from './host-firewall-lines.js';
import {servicesHeaderLine} from './services-header.js';
import type {SweepState} from '../state/types.js';
import {formatDuration, formatOwner} from '../../words/format.js';
import {toneOfCode} from './format.js';
import {type Line, blank, line} from './line.js';
import {fit, paragraph} from './wrap.js';

const maxRangesNamed = 6;
const maxBusyListed = 10;

const busyResults = (state: SweepState): PortResult[] =>
	state.rows.flatMap(row => (row.result?.status === 'busy' ? [row.result] : []));

/** "9000-9499, 9600 and 3 more ranges": the port list a checklist step names. */
export const namedRanges = (ranges: string[]): string =>
	ranges.length <= maxRangesNamed
		? ranges.join(', ')
		: words().tui.summary.moreRanges(ranges.slice(0, maxRangesNamed).join(', '), ranges.length - maxRangesNamed);

/** The F pane: how it ended, the failed ranges, and the checklist for each kind of failure. */
export const summaryLines = (state: SweepState): Line[] => {
	const size = state.viewport.columns;
	const {report} = state;
	const said = words().tui.summary;
	const lines: Line[] = [];
	if (report && !isRunning(state)) {
		const head = verdict(report.code);
		lines.push(
			...paragraph(`${head.symbol} ${head.label.toUpperCase()}: ${sayMessage(report.code, report.message)}`, size, {
				tone: toneOfCode(report.code),
				bold: true,
			}),
		);
	} else {
		lines.push(...paragraph(said.stillChecking(state.run.finished, state.run.ports.length), size, {tone: 'info'}));
	}

	const counts = countRows(state.rows);
	const parts = [said.ok(counts.ok), said.failed(counts.failedTotal), said.busy(counts.busy)];
	if (counts.skipped > 0) {
		parts.push(said.notChecked(counts.skipped));
	}

	for (const note of report?.notes ?? []) {
		lines.push(...paragraph(sayNote(note), size, {tone: 'warn'}));
	}

	const counted = parts.join(said.separator);
	const checked = report
		? said.checkedIn(state.rows.length, formatDuration(report.durationMs), counted)
		: said.checked(state.rows.length, counted);
	lines.push(...paragraph(checked, size));

	const services = servicesSummaryLines(state, size);
	lines.push(...services, ...hostFirewallPaneLines(state, size));
	const ranges = problemRanges(state.rows);
	if (ranges.length === 0) {
		if (counts.ok === state.rows.length) {
			const text = serviceProblems(servicesOf(state)?.results ?? {}).length > 0 ? said.everyUdpPortOk : said.everyPortOk;
			lines.push(blank, line({text, tone: 'ok'}));
		}

		return [...lines, ...pacingLines(state, size)];
	}

	lines.push(blank, line({text: said.failedAndBusy, bold: true}));
	for (const {range, code, count} of ranges) {
		const {symbol, label} = verdict(code);
		lines.push(line({text: `  ${symbol} ${fit(range, 12)}`, tone: toneOfCode(code)}, `${String(count).padStart(5)}  ${label}`));
	}

	lines.push(blank, line({text: said.whatToDo, bold: true}));
	const byCode = new Map<VerdictCode, string[]>();
	for (const {range, code} of ranges) {
		byCode.set(code, [...(byCode.get(code) ?? []), range]);
	}

	for (const [code, codeRanges] of byCode) {
		const {symbol, label} = verdict(code);
		const ports = namedRanges(codeRanges);
		lines.push(blank, ...paragraph(`${symbol} ${label}: ${ports}`, size, {tone: toneOfCode(code), bold: true}));
		const busy = code === 'port-in-use' ? busyResults(state) : [];
		for (const result of busy.slice(0, maxBusyListed)) {
			const owner = result.owner ? formatOwner(result.owner) : said.notIdentified;
			lines.push(...paragraph(owner, size, {tone: 'warn'}, `  ${fit(String(result.port), 6)} ${said.heldBy}`, '    '));
		}

		if (busy.length > maxBusyListed) {
			lines.push(...paragraph(said.moreBusy(busy.length - maxBusyListed), size, {tone: 'muted'}, '  '));
		}

		// One owner for every busy port (the PBX, usually) can be named in the checklist.
		const owners = new Set(busy.map(result => result.owner?.pid));
		const numbers = state.rows.filter(row => row.result?.code === code).map(row => row.port);
		const steps = verdict(code).remediation(remediationContext(state, ports, owners.size === 1 ? busy[0] : undefined, numbers));
		for (const [index, step] of steps.entries()) {
			lines.push(...paragraph(step, size, {}, `  ${index + 1}. `, '     '));
		}
	}

	return [...lines, ...pacingLines(state, size)];
};

/** The SIP/TCP results in the summary: what needs doing in a line each, the details being under v. */
const servicesSummaryLines = (state: SweepState, size: number): Line[] => {
	const view = servicesOf(state);
	const header = servicesHeaderLine(state);
	if (!view || !header) {
		return [];
	}

	const problems = view.phase === 'finished' ? serviceProblems(view.results) : [];
	const lines: Line[] = [blank, header];
	for (const problem of problems) {
		const {symbol, label, sentence} = verdict(problem.code);
		lines.push(
			...paragraph(`${symbol} ${label} (${problem.where}): ${sentence}`, size, {tone: toneOfCode(problem.code)}, '  ', '    '),
		);
	}

	return problems.length > 0 ? [...lines, line({text: words().tui.summary.vShows, tone: 'muted'})] : lines;
};

const pacingLines = (state: SweepState, size: number): Line[] => {
	const sentence = state.report ? pacingSentence(state.report) : undefined;
	return sentence ? [blank, line({text: words().tui.summary.pacing, bold: true}), ...paragraph(sentence, size, {}, '  ')] : [];
};
