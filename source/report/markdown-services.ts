// The Markdown report's SIP ALG, SIP port and TCP parts: summary items and one section with each
// rewritten line (sent and received), the SIP port's answers, the TCP ports, and what to do.
import {formatOwner, printable} from '../words/format.js';
import type {CheckReport, SipAlgCheck} from '../check/types.js';
import {sayMessage, verdict} from '../check/verdicts.js';
import {
	algWord,
	hasServiceResults,
	serviceProblems,
	servicesSkipped,
	serviceSummaryItems,
	sipServiceWord,
	statusSymbol,
	tcpWord,
} from './services-text.js';
import {serviceRemediationFor} from './summary.js';

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ');

/** Inline code that survives backticks in the text (a header line can hold anything). */
const code = (text: string): string => {
	const clean = printable(text);
	return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
};

const table = (head: string[], rows: string[][]): string[] => [
	`| ${head.join(' | ')} |`,
	`| ${head.map(() => '---').join(' | ')} |`,
	...rows.map(row => `| ${row.map(text => cell(text)).join(' | ')} |`),
];

export const servicesSummaryItems = (report: CheckReport): Array<[string, string]> =>
	hasServiceResults(report) ? serviceSummaryItems(report) : [];

const algLines = (check: SipAlgCheck): string[] => {
	const name = check.transport.toUpperCase();
	const lines = [
		`**${name}: ${statusSymbol(check.status)} ${algWord(check)}.** ${printable(sayMessage(check.code, check.message))}`,
		'',
	];
	if (check.rewritten.length > 0) {
		lines.push(
			...table(
				['Line', 'Sent', 'Received by the server'],
				check.rewritten.map(({header, sent, received}) => [code(header), code(sent), code(received)]),
			),
			'',
		);
	}

	for (const exchange of check.exchanges) {
		const answer = exchange.answered
			? `answered ${exchange.statusLine ? code(exchange.statusLine) : ''}${exchange.sourceSeen ? `; the server saw it from ${printable(exchange.sourceSeen)}` : ''}`
			: 'no answer';
		lines.push(`- ${exchange.method}: ${exchange.sends} ${exchange.sends === 1 ? 'send' : 'sends'}, ${answer}`);
	}

	return check.exchanges.length > 0 ? [...lines, ''] : lines;
};

export const servicesSection = (report: CheckReport): string[] => {
	if (!hasServiceResults(report)) {
		return [];
	}

	const lines = ['## SIP ALG, SIP port and TCP', ''];
	const skipped = servicesSkipped(report);
	if (skipped) {
		return [...lines, `Skipped: ${skipped}`, ''];
	}

	if (report.sip) {
		lines.push(
			'### SIP ALG',
			'',
			'The server echoes each SIP request exactly as it arrived (base64, so nothing on the way back can change it); every line that differs from what was sent is listed.',
			'',
			...algLines(report.sip.udp),
			...algLines(report.sip.tcp),
		);
	}

	const service = report.sipService;
	if (service) {
		const held = service.held
			? `held on this host${service.process ? ` by ${formatOwner(service.process)}` : ''}`
			: 'free on this host: fwcheck listened on it';
		lines.push(
			`### SIP port ${service.port}`,
			'',
			`A SIP OPTIONS from the server's second address to the public IP at port ${service.port}; the port is ${held}.`,
			'',
		);
		for (const [name, outcome] of [
			['UDP', service.udp],
			['TCP', service.tcp],
		] as const) {
			const status = outcome.statusLine ? ` ${code(outcome.statusLine)}` : '';
			const privateAddress = outcome.privateAddress ? ` Private address in the answer: ${code(outcome.privateAddress)}.` : '';
			lines.push(
				`- **${name}: ${statusSymbol(outcome.status)} ${sipServiceWord(outcome)}**${status}. ${printable(sayMessage(outcome.code, outcome.message))}${privateAddress}`,
			);
		}

		lines.push('');
	}

	if (report.tcp && report.tcp.length > 0) {
		lines.push(
			'### TCP ports',
			'',
			...table(
				['Port', 'Verdict', 'What happened', 'Held by'],
				report.tcp.map(result => [
					String(result.port),
					result.code
						? `${verdict(result.code).symbol} ${verdict(result.code).label}`
						: `${statusSymbol(result.status)} ${result.status}`,
					printable(sayMessage(result.code, result.message)) || tcpWord(result),
					result.process ? formatOwner(result.process) : '',
				]),
			),
			'',
		);
	}

	for (const problem of serviceProblems(report)) {
		const {symbol, label} = verdict(problem.code);
		lines.push(
			`### What to do: ${symbol} ${label} (${problem.where})`,
			'',
			...serviceRemediationFor(report, problem).map((step, index) => `${index + 1}. ${step}`),
			'',
		);
	}

	return lines;
};
