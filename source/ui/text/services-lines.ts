// The header's SIP/TCP line and the v pane: SIP ALG (each rewritten line, sent vs received), the
// SIP port's answer, TCP ports one per row, and what to do. Pure line builders over the state.
import type {SipAlgCheck, SipServiceCheck, TcpPortResult} from '../../check/types.js';
import {verdict} from '../../check/verdicts.js';
import {
	algWord,
	ownerText,
	printable,
	serviceProblems,
	servicesSkipped,
	sipServiceStatus,
	sipServiceText,
	sipServiceWord,
	statusCodeOf,
	statusSymbol,
	tcpCountText,
	tcpCounts,
	tcpWord,
} from '../../report/services-text.js';
import {isRunning, remediationContext, servicesOf} from '../state/selectors.js';
import type {ServicesView, SweepState} from '../state/types.js';
import {plural, toneOfCode} from './format.js';
import {type Line, type Tone, blank, line} from './line.js';
import {spinnerFrame} from './spinner.js';
import {fit, paragraph, width} from './wrap.js';

const toneOf = (status: 'pass' | 'fail' | 'busy' | 'skipped'): Tone =>
	status === 'pass' ? 'ok' : status === 'fail' ? 'bad' : status === 'busy' ? 'warn' : 'muted';

const lineWidth = (value: Line): number => value.reduce((sum, segment) => sum + width(segment.text), 0);

/** "rewritten 3" rather than "rewritten (3 lines)" when the line must be short. */
const algShort = (check: SipAlgCheck): string =>
	check.rewritten.length > 0 && check.code !== 'sip-invite-dropped' ? `rewritten ${check.rewritten.length}` : algWord(check);

/** "401", "here", "silent", "private": the SIP port's answer in a word. */
const sipShort = (check: SipServiceCheck): string => {
	const answered = [check.udp, check.tcp].find(outcome => statusCodeOf(outcome.statusLine));
	if ([check.udp, check.tcp].some(outcome => outcome.code === 'sip-elsewhere')) {
		return 'elsewhere';
	}

	if ([check.udp, check.tcp].some(outcome => outcome.code === 'sip-private-contact')) {
		return `${statusCodeOf(answered?.statusLine ?? null) ?? ''} private`.trim();
	}

	if (answered) {
		return statusCodeOf(answered.statusLine)!;
	}

	if ([check.udp, check.tcp].some(outcome => outcome.code === 'sip-reached-fwcheck')) {
		return 'here';
	}

	return [check.udp, check.tcp].some(outcome => outcome.code === 'sip-service-silent') ? 'silent' : 'skipped';
};

const finishedParts = (view: ServicesView, compact: boolean): Line[] => {
	const {sip, sipService, tcp} = view.results;
	const parts: Line[] = [];
	if (sip) {
		const transports = [sip.udp, sip.tcp].flatMap((check, index): Line => [
			{text: index === 0 ? '' : '  '},
			{text: `${check.transport.toUpperCase()} `, tone: 'muted'},
			{text: `${statusSymbol(check.status)} ${compact ? algShort(check) : algWord(check)}`, tone: toneOf(check.status)},
		]);
		parts.push([{text: compact ? 'SIP ALG ' : 'SIP ALG  ', bold: true}, ...transports]);
	}

	if (sipService) {
		const status = sipServiceStatus(sipService);
		const word = compact ? sipShort(sipService) : sipServiceText(sipService);
		parts.push([
			{text: `SIP ${sipService.port} `, bold: true},
			{text: `${statusSymbol(status)} ${word}`, tone: toneOf(status)},
		]);
	}

	if (tcp && tcp.length > 0) {
		const counts = tcpCounts(tcp);
		const status = counts.fail > 0 ? 'fail' : counts.pass > 0 ? 'pass' : counts.busy > 0 ? 'busy' : 'skipped';
		const text = compact ? `${counts.pass}/${tcp.length} ok` : tcpCountText(tcp);
		parts.push([
			{text: 'TCP ', bold: true},
			{text: `${statusSymbol(status)} ${text}`, tone: toneOf(status)},
		]);
	}

	return parts;
};

const joined = (parts: Line[]): Line =>
	parts.flatMap((part, index) => (index === 0 ? part : [{text: ' · ', tone: 'muted'}, ...part]));

const hint: Line = [
	{text: '  v', bold: true},
	{text: ' details', tone: 'muted'},
];
const shortHint: Line = [{text: '  v', bold: true}];

/** A finished view never changes: its line per width is asked for several times a frame. */
const finishedLines = new WeakMap<ServicesView, Map<number, Line | null>>();

/**
 * The header's one line for these checks, or nothing when they never ran: the results, shortened
 * until they fit; one short line with the reason when the server offers none.
 */
export const servicesHeaderLine = (state: SweepState): Line | undefined => {
	const view = servicesOf(state);
	if (!view) {
		return undefined;
	}

	const size = state.viewport.columns;
	const skipped = servicesSkipped(view.results);
	if (skipped) {
		return [
			{text: 'SIP/TCP ', bold: true},
			{text: `– skipped: ${skipped}`, tone: 'muted'},
		];
	}

	if (view.phase === 'running') {
		const tcp = view.tcpPorts.length > 0 ? `, ${plural(view.tcpPorts.length, 'TCP port')}` : '';
		const what = isRunning(state)
			? `${spinnerFrame(state.frame)} checking SIP ALG, SIP ${view.sipPort}${tcp}…`
			: '– did not finish';
		return [
			{text: 'SIP/TCP ', bold: true},
			{text: what, tone: isRunning(state) ? 'info' : 'muted'},
		];
	}

	const remembered = finishedLines.get(view)?.get(size);
	if (remembered !== undefined) {
		return remembered ?? undefined;
	}

	const candidates = [
		[...joined(finishedParts(view, false)), ...hint],
		[...joined(finishedParts(view, true)), ...hint],
		[...joined(finishedParts(view, true)), ...shortHint],
		joined(finishedParts(view, true)),
	];
	const chosen = candidates.find(candidate => lineWidth(candidate) <= size) ?? candidates.at(-1)!;
	const answer = lineWidth(chosen) === 0 ? null : chosen;
	finishedLines.set(view, (finishedLines.get(view) ?? new Map<number, Line | null>()).set(size, answer));
	return answer ?? undefined;
};

const heading = (text: string, extra?: {text: string; tone: Tone}): Line =>
	line({text, bold: true}, ...(extra ? [{text: '  '}, {...extra, bold: true}] : []));

const algLines = (check: SipAlgCheck, size: number): Line[] => {
	const lines: Line[] = [
		heading(`SIP ALG · ${check.transport.toUpperCase()}`, {
			text: `${statusSymbol(check.status)} ${algWord(check)}`,
			tone: toneOf(check.status),
		}),
	];
	if (check.message) {
		lines.push(...paragraph(printable(check.message), size, {tone: 'muted'}, '  '));
	}

	for (const {header, sent, received} of check.rewritten) {
		lines.push(
			line({text: `  ${printable(header)}`, bold: true}),
			...paragraph(printable(sent), size, {}, '    sent      ', '              '),
			...paragraph(printable(received), size, {tone: 'warn'}, '    received  ', '              '),
		);
	}

	for (const exchange of check.exchanges) {
		const facts = [
			plural(exchange.sends, 'send'),
			exchange.answered ? `answered ${printable(exchange.statusLine ?? '')}`.trim() : 'no answer',
			exchange.sourceSeen ? `seen from ${printable(exchange.sourceSeen)}` : undefined,
		].filter(Boolean);
		lines.push(...paragraph(facts.join(' · '), size, {tone: 'muted'}, `  ${fit(exchange.method, 8)} `, '           '));
	}

	return lines;
};

const sipServiceLines = (check: SipServiceCheck, size: number): Line[] => {
	const held = check.held ? `held here${check.process ? ` by ${ownerText(check.process)}` : ''}` : 'free here: fwcheck listened';
	const lines: Line[] = [
		...paragraph(`SIP port ${check.port} · OPTIONS from the server's second address · ${held}`, size, {bold: true}),
	];
	for (const [name, outcome] of [
		['UDP', check.udp],
		['TCP', check.tcp],
	] as const) {
		const status = outcome.statusLine ? `  ${printable(outcome.statusLine)}` : '';
		lines.push(
			...paragraph(
				`${statusSymbol(outcome.status)} ${sipServiceWord(outcome)}${status}`,
				size,
				{tone: toneOf(outcome.status)},
				`  ${name} `,
				'      ',
			),
		);
		const privateAddress = outcome.privateAddress ? ` Private address in the answer: ${printable(outcome.privateAddress)}.` : '';
		if (outcome.message || privateAddress) {
			lines.push(...paragraph(`${printable(outcome.message)}${privateAddress}`.trim(), size, {tone: 'muted'}, '      '));
		}
	}

	return lines;
};

const tcpRow = (result: TcpPortResult, size: number): Line[] => {
	const label = result.code ? verdict(result.code).label : result.status;
	const owner = result.process ? ` · ${ownerText(result.process)}` : '';
	const first = `  ${fit(String(result.port), 6)} ${statusSymbol(result.status)} ${fit(label, 14)} `;
	const [head, ...rest] = paragraph(`${tcpWord(result)}${owner}`, size, {}, first, ' '.repeat(width(first)));
	return [[{text: head![0]!.text, tone: toneOf(result.status)}, ...head!.slice(1)], ...rest];
};

const whatToDo = (state: SweepState, view: ServicesView, size: number): Line[] => {
	const problems = serviceProblems(view.results);
	if (problems.length === 0) {
		return [];
	}

	const lines: Line[] = [blank, heading('What to do')];
	for (const problem of problems) {
		const {symbol, label} = verdict(problem.code);
		lines.push(blank, ...paragraph(`${symbol} ${label} (${problem.where})`, size, {tone: toneOfCode(problem.code), bold: true}));
		const steps = verdict(problem.code).remediation({
			...remediationContext(state, problem.ports ?? ''),
			ports: problem.ports,
			process: problem.process,
		});
		for (const [index, step] of steps.entries()) {
			lines.push(...paragraph(step, size, {}, `  ${index + 1}. `, '     '));
		}
	}

	return lines;
};

/**
 * For the SIP port's own drill-down while the PBX holds it: what the OPTIONS from the internet
 * found, which the port checks could not (a busy port is never probed).
 */
export const sipPortLines = (state: SweepState, port: number, size: number): Line[] => {
	const check = servicesOf(state)?.results.sipService;
	if (check?.port !== port || servicesSkipped(servicesOf(state)!.results)) {
		return [];
	}

	const status = sipServiceStatus(check);
	return [
		blank,
		heading('SIP from the internet', {text: `${statusSymbol(status)} ${sipServiceText(check)}`, tone: toneOf(status)}),
		...paragraph(
			"A SIP OPTIONS from the server's second address to the public IP at this port; v shows both transports.",
			size,
			{tone: 'muted'},
			'  ',
		),
	];
};

/** The v pane. */
export const servicesPaneLines = (state: SweepState): Line[] => {
	const size = state.viewport.columns;
	const view = servicesOf(state);
	if (!view) {
		const why = isRunning(state)
			? 'The SIP ALG, SIP port and TCP checks have not started: they run beside the sweep when the server is `fwcheck serve`.'
			: 'The SIP ALG, SIP port and TCP checks did not run in this check (turned off with --no-sip, or not asked).';
		return paragraph(why, size, {tone: 'muted'});
	}

	const skipped = servicesSkipped(view.results);
	if (skipped) {
		return [
			...paragraph(`Skipped: ${skipped}`, size, {tone: 'warn', bold: true}),
			blank,
			...verdict('services-unavailable')
				.remediation({})
				.flatMap((step, index) => paragraph(step, size, {}, `  ${index + 1}. `, '     ')),
		];
	}

	if (view.phase === 'running') {
		return paragraph(
			`Checking SIP ALG over UDP and TCP, the SIP port ${view.sipPort}${view.tcpPorts.length > 0 ? ` and ${plural(view.tcpPorts.length, 'TCP port')}` : ''}…`,
			size,
			{tone: 'info'},
		);
	}

	const {sip, sipService, tcp} = view.results;
	const sections: Line[][] = [];
	if (sip) {
		sections.push(algLines(sip.udp, size), algLines(sip.tcp, size));
	}

	if (sipService) {
		sections.push(sipServiceLines(sipService, size));
	}

	if (tcp && tcp.length > 0) {
		sections.push([heading(`TCP ports · ${tcpCountText(tcp)}`), ...tcp.flatMap(result => tcpRow(result, size))]);
	}

	return [...sections.flatMap((section, index) => (index === 0 ? section : [blank, ...section])), ...whatToDo(state, view, size)];
};
