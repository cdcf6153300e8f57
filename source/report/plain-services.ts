// The plain summary's SIP ALG, SIP port and TCP lines, and their checklists.
import {words} from '../catalog/index.js';
import {formatOwner, printable} from '../words/format.js';
import type {CheckReport, SipAlgCheck} from '../check/types.js';
import {sayMessage, verdict} from '../check/verdicts.js';
import {
	algLineText,
	hasServiceResults,
	serviceProblems,
	servicesSkipped,
	sipServiceWord,
	statusSymbol,
	tcpCountText,
	tcpWord,
} from './services-text.js';
import {serviceRemediationFor} from './summary.js';

const rewriteLines = (check: SipAlgCheck): string[] =>
	check.rewritten.flatMap(({header, sent, received}) => [
		`  ${check.transport.toUpperCase()} ${printable(header)}`,
		`    sent:     ${printable(sent)}`,
		`    received: ${printable(received)}`,
	]);

/** What the checks found, a few lines; nothing when the engine did not run them. */
export const servicesPlainLines = (report: CheckReport): string[] => {
	if (!hasServiceResults(report)) {
		return [];
	}

	const skipped = servicesSkipped(report);
	if (skipped) {
		return [words().report.progress.servicesSkippedLine(skipped)];
	}

	const lines: string[] = [];
	if (report.sip) {
		lines.push(`SIP ALG: ${algLineText(report.sip)}`, ...rewriteLines(report.sip.udp), ...rewriteLines(report.sip.tcp));
		for (const check of [report.sip.udp, report.sip.tcp]) {
			if (check.status !== 'pass' && check.rewritten.length === 0 && check.message) {
				lines.push(`  ${check.transport.toUpperCase()}: ${printable(sayMessage(check.code, check.message))}`);
			}
		}
	}

	const service = report.sipService;
	if (service) {
		const held = service.held ? `, held here${service.process ? ` by ${formatOwner(service.process)}` : ''}` : '';
		lines.push(`SIP port ${service.port}${held}:`);
		for (const [name, outcome] of [
			['UDP', service.udp],
			['TCP', service.tcp],
		] as const) {
			const status = outcome.statusLine ? ` "${printable(outcome.statusLine)}"` : '';
			const privateAddress = outcome.privateAddress ? `, private address ${printable(outcome.privateAddress)}` : '';
			lines.push(`  ${name} ${statusSymbol(outcome.status)} ${sipServiceWord(outcome)}${status}${privateAddress}`);
		}
	}

	if (report.tcp && report.tcp.length > 0) {
		lines.push(`TCP ports: ${tcpCountText(report.tcp)}`);
		for (const result of report.tcp) {
			const owner = result.process ? ` (held by ${formatOwner(result.process)})` : '';
			const label = result.code ? verdict(result.code).label : result.status;
			lines.push(
				`  ${String(result.port).padEnd(6)} ${statusSymbol(result.status)} ${label.padEnd(14)} ${tcpWord(result)}${owner}`,
			);
		}
	}

	return lines;
};

/** "What to do (sip-alg, UDP and TCP):" and its steps, for each kind of problem found. */
export const servicesChecklistLines = (report: CheckReport): string[] =>
	serviceProblems(report).flatMap(problem => [
		'',
		`What to do (${verdict(problem.code).label}, ${problem.where}):`,
		...serviceRemediationFor(report, problem).map(step => `  - ${step}`),
	]);
