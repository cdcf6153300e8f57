// The v pane: SIP ALG (each rewritten line, sent vs received), the SIP port's answer, TCP ports
// one per row, and what to do; and the SIP port's lines in its own drill-down. Pure line builders.
import {words} from '../../catalog/index.js';
import {formatOwner, printable} from '../../words/format.js';
import type {SipAlgCheck, SipServiceCheck, TcpPortResult} from '../../check/types.js';
import {sayMessage, verdict} from '../../check/verdicts.js';
import {
	algWord,
	serviceProblems,
	servicesSkipped,
	sipServiceStatus,
	sipServiceText,
	sipServiceWord,
	statusSymbol,
	tcpCountText,
	tcpWord,
} from '../../report/services-text.js';
import {isRunning, remediationContext, servicesOf} from '../state/selectors.js';
import {toneOf} from './services-header.js';
import type {ServicesView, SweepState} from '../state/types.js';
import {toneOfCode} from './format.js';
import {type Line, type Tone, blank, line} from './line.js';
import {fit, paragraph, width} from './wrap.js';

const heading = (text: string, extra?: {text: string; tone: Tone}): Line =>
	line({text, bold: true}, ...(extra ? [{text: '  '}, {...extra, bold: true}] : []));

const algLines = (check: SipAlgCheck, size: number): Line[] => {
	const said = words().tui.services;
	// The two labels in one column, as wide as the wider in this language.
	const column = Math.max(width(said.sent), width(said.received)) + 2;
	const lines: Line[] = [
		heading(`SIP ALG · ${check.transport.toUpperCase()}`, {
			text: `${statusSymbol(check.status)} ${algWord(check)}`,
			tone: toneOf(check.status),
		}),
	];
	if (check.message) {
		lines.push(...paragraph(printable(sayMessage(check.code, check.message)), size, {tone: 'muted'}, '  '));
	}

	for (const {header, sent, received} of check.rewritten) {
		lines.push(
			line({text: `  ${printable(header)}`, bold: true}),
			...paragraph(printable(sent), size, {}, `    ${fit(said.sent, column)}`, ' '.repeat(column + 4)),
			...paragraph(printable(received), size, {tone: 'warn'}, `    ${fit(said.received, column)}`, ' '.repeat(column + 4)),
		);
	}

	for (const exchange of check.exchanges) {
		const facts = [
			said.sends(exchange.sends),
			exchange.answered ? said.answered(printable(exchange.statusLine ?? '')).trim() : said.noAnswer,
			exchange.sourceSeen ? said.seenFrom(printable(exchange.sourceSeen)) : undefined,
		].filter(Boolean);
		lines.push(...paragraph(facts.join(' · '), size, {tone: 'muted'}, `  ${fit(exchange.method, 8)} `, '           '));
	}

	return lines;
};

const sipServiceLines = (check: SipServiceCheck, size: number): Line[] => {
	const said = words().tui.services;
	const held = check.held ? (check.process ? said.heldHereBy(formatOwner(check.process)) : said.heldHere) : said.freeHere;
	const lines: Line[] = [...paragraph(said.sipPortTitle(check.port, held), size, {bold: true})];
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
		const privateAddress = outcome.privateAddress ? said.privateAddress(printable(outcome.privateAddress)) : '';
		if (outcome.message || privateAddress) {
			lines.push(
				...paragraph(
					`${printable(sayMessage(outcome.code, outcome.message))}${privateAddress}`.trim(),
					size,
					{tone: 'muted'},
					'      ',
				),
			);
		}
	}

	return lines;
};

const tcpRow = (result: TcpPortResult, size: number): Line[] => {
	const label = result.code ? verdict(result.code).label : words().tui.services.status[result.status];
	const owner = result.process ? ` · ${formatOwner(result.process)}` : '';
	const first = `  ${fit(String(result.port), 6)} ${statusSymbol(result.status)} ${fit(label, 14)} `;
	const [head, ...rest] = paragraph(`${tcpWord(result)}${owner}`, size, {}, first, ' '.repeat(width(first)));
	return [[{text: head![0]!.text, tone: toneOf(result.status)}, ...head!.slice(1)], ...rest];
};

const whatToDo = (state: SweepState, view: ServicesView, size: number): Line[] => {
	const problems = serviceProblems(view.results);
	if (problems.length === 0) {
		return [];
	}

	const lines: Line[] = [blank, heading(words().tui.services.whatToDo)];
	for (const problem of problems) {
		const {symbol, label} = verdict(problem.code);
		lines.push(blank, ...paragraph(`${symbol} ${label} (${problem.where})`, size, {tone: toneOfCode(problem.code), bold: true}));
		const steps = verdict(problem.code).remediation({
			...remediationContext(state, problem.ports ?? '', undefined, problem.portNumbers),
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
	const said = words().tui.services;
	return [
		blank,
		heading(said.fromInternet, {text: `${statusSymbol(status)} ${sipServiceText(check)}`, tone: toneOf(status)}),
		...paragraph(said.fromInternetDetail, size, {tone: 'muted'}, '  '),
	];
};

/** The v pane. */
export const servicesPaneLines = (state: SweepState): Line[] => {
	const size = state.viewport.columns;
	const view = servicesOf(state);
	const said = words().tui.services;
	if (!view) {
		const why = isRunning(state) ? said.notStarted : said.didNotRun;
		return paragraph(why, size, {tone: 'muted'});
	}

	const skipped = servicesSkipped(view.results);
	if (skipped) {
		return [
			...paragraph(said.skippedTitle(skipped), size, {tone: 'warn', bold: true}),
			blank,
			...verdict('services-unavailable')
				.remediation({})
				.flatMap((step, index) => paragraph(step, size, {}, `  ${index + 1}. `, '     ')),
		];
	}

	if (view.phase === 'running') {
		return paragraph(
			view.tcpPorts.length > 0 ? said.checkingTcp(view.sipPort, view.tcpPorts.length) : said.checking(view.sipPort),
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
		sections.push([heading(said.tcpTitle(tcpCountText(tcp))), ...tcp.flatMap(result => tcpRow(result, size))]);
	}

	return [...sections.flatMap((section, index) => (index === 0 ? section : [blank, ...section])), ...whatToDo(state, view, size)];
};
