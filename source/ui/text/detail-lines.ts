import {sayNote, words} from '../../catalog/index.js';
import {formatOwner} from '../../words/format.js';
import {formatAddress, formatHostPort} from '../../stun/address.js';
import type {PortResult, TestDetail} from '../../check/types.js';
import {sayMessage, verdict} from '../../check/verdicts.js';
import {remediationContext} from '../state/selectors.js';
import {hostFirewallPortLines} from './host-firewall-lines.js';
import type {Row, SweepState} from '../state/types.js';
import {formatMs, toneOfCode, verdictText} from './format.js';
import {type Line, blank, line} from './line.js';
import {sipPortLines} from './services-lines.js';
import {spinnerFrame} from './spinner.js';
import {chop, fit, paragraph, width} from './wrap.js';

// A busy host can list thousands of sockets: the pane scrolls, but there is no use in more.
const maxOutputLines = 200;

const heading = (text: string): Line => line({text, bold: true});

const testLines = (title: string, detail: TestDetail, which: 1 | 2 | 3, size: number): Line[] => {
	const said = words().tui.detail;
	const outcome =
		detail.outcome === 'pass'
			? {text: said.pass, tone: 'ok' as const}
			: detail.outcome === 'fail'
				? {text: said.fail, tone: 'bad' as const}
				: {text: said.skipped, tone: 'muted' as const};
	const lines: Line[] = [line({text: title, bold: true}, '  ', {...outcome, bold: true})];
	if (detail.outcome === 'skipped') {
		return lines;
	}

	const facts = [
		detail.from ? said.replyFrom(detail.from) : said.noAcceptedReply,
		detail.rttMs === null ? undefined : said.roundTrip(formatMs(detail.rttMs)),
		said.requests(detail.sends),
		said.decidedAfter(formatMs(detail.elapsedMs)),
		said.passes(detail.attempts),
	].filter(Boolean);
	lines.push(...paragraph(facts.join(' · '), size, {}, '  '));
	if (detail.wrongSource.length > 0) {
		const why = which === 1 ? said.otherAddress : said.secondIpOnly(which);
		lines.push(
			...paragraph(said.ignored(detail.wrongSource.length, detail.wrongSource.join(', '), why), size, {tone: 'warn'}, '  '),
		);
	}

	return lines;
};

/** Test 3 with what it asked: where the answer was to go, and whether it came. */
const test3Lines = (state: SweepState, result: PortResult, size: number): Line[] => {
	const said = words().tui.detail;
	const lines = testLines(said.test3, result.test3, 3, size);
	const support = state.server?.info?.responsePort;
	const publicIp = state.publicIp ?? state.report?.publicAddress ?? said.thePublicIp;
	const asked = `${publicIp}:${result.port}`;
	const text =
		result.test3.outcome === 'skipped'
			? support?.supported === false
				? said.noTest3(support.detail)
				: undefined
			: result.test3.outcome === 'pass'
				? said.test3Arrived(asked, result.port)
				: said.test3NeverArrived(asked, result.port);
	if (text) {
		lines.push(...paragraph(text, size, {tone: 'muted'}, '  '));
	}

	return lines;
};

const heldByLines = (result: PortResult, size: number): Line[] => {
	const {owner} = result;
	const said = words().tui.detail;
	if (!owner) {
		const note = result.ownerLookup?.note;
		return [
			blank,
			heading(said.heldByUnknown),
			...(note === undefined ? [] : paragraph(sayNote(note), size, {tone: 'muted'}, '  ')),
		];
	}

	// Wrapped, not cut: a long (or Japanese, two cells a character) name is the answer here.
	const [first, ...rest] = paragraph(formatOwner(owner), size, {tone: 'warn', bold: true}, said.heldBy, '  ');
	const note = result.ownerLookup?.note;
	return [
		blank,
		[{text: said.heldBy, bold: true}, ...first!.slice(1)],
		...rest,
		...(note === undefined ? [] : paragraph(sayNote(note), size, {tone: 'muted'}, '  ')),
	];
};

/** The evidence for a busy port, after what to do about it: the command to run and its output. */
const ownerLines = (result: PortResult, size: number): Line[] => {
	const lines: Line[] = [];
	if (!result.ownerLookup) {
		return lines;
	}

	const said = words().tui.detail;
	lines.push(blank, heading(said.runThis));
	for (const command of result.ownerLookup.userCommand.split('\n')) {
		for (const [index, part] of chop(command, size - 4).entries()) {
			lines.push(line(index === 0 ? '  $ ' : '    ', {text: part, tone: 'info'}));
		}
	}

	if (result.ownerLookup.excerpt.trim() !== '') {
		lines.push(blank, heading(said.found));
		for (const text of result.ownerLookup.excerpt.split('\n').flatMap(raw => chop(raw, size - 2))) {
			lines.push(line(`  ${text}`));
		}
	}

	if (result.ownerLookup.runs.length > 0) {
		lines.push(blank, heading(said.commandsRun));
		for (const run of result.ownerLookup.runs) {
			for (const [index, part] of chop(run.command.join(' '), size - 4).entries()) {
				lines.push(line(index === 0 ? '  $ ' : '    ', {text: part, tone: 'info'}));
			}
			if (run.error) {
				lines.push(...paragraph(said.error(run.error), size, {tone: 'bad'}, '    '));
			}

			const output = run.output === '' ? [] : run.output.split('\n');
			for (const text of output.slice(0, maxOutputLines).flatMap(raw => chop(raw, size - 4))) {
				lines.push(line({text: `    ${text}`, tone: 'muted'}));
			}

			if (output.length > maxOutputLines) {
				lines.push(...paragraph(said.moreLines(output.length - maxOutputLines), size, {tone: 'muted'}, '    '));
			}
		}
	}

	return lines;
};

const addressLines = (state: SweepState, result: PortResult): Line[] => {
	const said = words().tui.detail;
	// The labels in one column, as wide as the widest in this language (cells, not characters).
	const column = Math.max(...[said.thisHost, said.mapped, said.stunServer, said.secondIp].map(label => width(label))) + 2;
	const label = (text: string) => `  ${fit(text, column)}`;
	const lines: Line[] = [blank, heading(said.addresses)];
	const local = state.localAddress ?? state.config.bindAddress;
	lines.push(line({text: label(said.thisHost)}, {text: local ? formatHostPort(local, result.port) : said.allLocal(result.port)}));
	if (result.mapped) {
		const kept = result.mapped.endsWith(`:${result.port}`);
		lines.push(
			line(
				{text: label(said.mapped)},
				{text: result.mapped},
				kept ? {text: said.portKept, tone: 'ok'} : {text: said.portChanged(result.port), tone: 'bad'},
			),
		);
	} else if (result.status !== 'busy') {
		lines.push(line({text: label(said.mapped)}, {text: said.mappedUnknown, tone: 'muted'}));
	}

	const info = state.server?.info;
	if (info) {
		lines.push(
			line({text: `${label(said.stunServer)}${info.host} ${formatAddress(info.address)}`}),
			line({text: `${label(said.secondIp)}${formatAddress(info.otherAddress)}`}, {text: said.answerFromHere, tone: 'muted'}),
		);
	} else if (state.report?.server) {
		const {server} = state.report;
		lines.push(
			line({text: `${label(said.stunServer)}${server.host} ${server.address ?? ''}`}),
			line({text: `${label(said.secondIp)}${server.otherAddress ?? words().tui.none}`}),
		);
	}

	return lines;
};

/** What a cancel left of the port: its tests' findings so far, which are no verdict. */
const provisionalLines = ({provisional}: PortResult, size: number): Line[] => {
	if (!provisional) {
		return [];
	}

	const said = words().tui.detail;
	const found = provisional.code ? said.pointsTo(verdictText({code: provisional.code})) : said.ranBeforeCancel;
	return [blank, heading(said.foundSoFar), ...paragraph(found, size, {tone: 'warn'}, '  ')];
};

/** Everything known about one port, for the drill-down pane and for a support ticket. */
export const detailLines = (state: SweepState, row: Row): Line[] => {
	const size = state.viewport.columns;
	const {result} = row;
	const pending = row.phase !== 'done';
	const said = words().tui.detail;
	const title = line({text: said.title(row.port), bold: true});
	if (pending) {
		const word = row.phase === 'queued' ? said.waiting : said.beingChecked(spinnerFrame(state.frame));
		title.push({text: `  ${word}`, tone: 'info'});
	}

	if (!result) {
		return [title, blank, ...paragraph(said.appearsSoon, size, {tone: 'muted'})];
	}

	if (pending) {
		title.push({text: said.lastPassBelow, tone: 'muted'});
	}

	const lines: Line[] = [title];
	lines.push(line({text: verdictText(result), tone: toneOfCode(result.code), bold: true}));
	lines.push(...paragraph(sayMessage(result.code, result.message), size));

	if (result.status === 'busy') {
		lines.push(...heldByLines(result, size), ...sipPortLines(state, result.port, size));
	} else if (result.status !== 'skipped' || result.provisional) {
		lines.push(...provisionalLines(result, size));
		lines.push(blank, ...testLines(said.test1, result.test1, 1, size));
		lines.push(...testLines(said.test2, result.test2, 2, size));
		lines.push(...test3Lines(state, result, size));
		lines.push(...addressLines(state, result));
	}

	if (result.notes.length > 0) {
		lines.push(blank, heading(said.notes));
		for (const note of result.notes) {
			lines.push(...paragraph(sayNote(note), size, {}, '  • ', '    '));
		}
	}

	if (result.status !== 'skipped') {
		lines.push(...hostFirewallPortLines(state, result.port, size));
	}

	if (result.code && result.code !== 'ok') {
		const steps = verdict(result.code).remediation(remediationContext(state, String(result.port), result));
		lines.push(blank, heading(said.whatToDo));
		for (const [index, step] of steps.entries()) {
			lines.push(...paragraph(step, size, {}, `  ${index + 1}. `, '     '));
		}
	}

	if (result.status === 'busy') {
		lines.push(...ownerLines(result, size));
	}

	return lines;
};
