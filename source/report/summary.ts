import {formatRange, groupRanges} from '../ports/ranges.js';
import type {CheckReport, PortResult} from '../check/types.js';
import {type VerdictCode, verdict} from '../check/verdicts.js';
import {hairpinLine, pathLine, routerLine} from '../router/text.js';
import type {ServiceProblem} from './services-text.js';
import {sayNote, words} from '../catalog/index.js';

/** Failed, busy and not bindable ports as ranges per verdict, the way forwarding rules are written. */
export const problemRanges = (
	ports: PortResult[],
): Array<{from: number; to: number; range: string; code: VerdictCode; count: number}> =>
	groupRanges(
		ports
			.filter(result => result.status === 'fail' || result.status === 'busy' || result.code === 'port-not-permitted')
			.map(result => ({port: result.port, value: result.code ?? 'some-failed'})),
	).map(range => ({
		from: range.from,
		to: range.to,
		range: formatRange(range),
		code: range.value,
		count: range.to - range.from + 1,
	}));

export const countByStatus = (ports: PortResult[]): Record<PortResult['status'], number> => {
	const counts = {pass: 0, fail: 0, busy: 0, skipped: 0};
	for (const {status} of ports) {
		counts[status]++;
	}

	return counts;
};

/**
 * After a cancel: how many ports had found something no slow recheck confirmed. They read as
 * cancelled, not failed; their findings are kept (provisional in --json, the TUI's drill-down).
 */
export const unconfirmedSentence = (ports: PortResult[]): string | undefined => {
	const unconfirmed = ports.filter(result => result.provisional);
	if (unconfirmed.length === 0) {
		return undefined;
	}

	const failed = unconfirmed.filter(result => result.provisional?.code).length;
	return words().report.summary.unconfirmed(unconfirmed.length, failed);
};

/** Why slowing down matters, in a sentence, or nothing when the check never had to. */
export const pacingSentence = (report: CheckReport): string | undefined => {
	const {slowdowns, confirmed, flipped} = report.pacing;
	const parts: string[] = [];
	const {summary} = words().report;
	if (slowdowns.length > 0) {
		const last = slowdowns.at(-1)!;
		parts.push(
			report.demo || report.simulation
				? summary.slowedDemo(last.rate, sayNote(last.reason))
				: summary.slowedDown(last.rate, sayNote(last.reason)),
		);
	}

	if (flipped > 0) {
		parts.push(summary.flipped(flipped, confirmed));
	}

	return parts.length > 0 ? parts.join(summary.sentenceJoin) : undefined;
};

export const remediationFor = (report: CheckReport, code: VerdictCode, ports?: string, port?: PortResult): string[] =>
	verdict(code).remediation({
		ports,
		pbxAddress: report.localAddress ?? undefined,
		publicIp: report.publicAddress ?? undefined,
		server: report.server?.host ?? report.serversTried[0]?.host,
		process: port?.owner ?? undefined,
		path: report.path,
		router: report.router,
		hostFirewall: report.hostFirewall,
		portNumbers: report.ports
			.filter(result => (code === 'some-failed' ? result.status === 'fail' : result.code === code))
			.map(result => result.port),
	});

/** The checklist for one kind of SIP or TCP problem, with what the report knows filled in. */
export const serviceRemediationFor = (report: CheckReport, problem: ServiceProblem): string[] =>
	verdict(problem.code).remediation({
		ports: problem.ports,
		pbxAddress: report.localAddress ?? undefined,
		publicIp: report.publicAddress ?? undefined,
		server: report.server?.host,
		process: problem.process,
		path: report.path,
		router: report.router,
		hostFirewall: report.hostFirewall,
		portNumbers: problem.portNumbers,
	});

/**
 * The router, path and hairpin lines of a summary: the router in one line (also when it answers
 * nothing), the path when something is known, why when it is not the plain edge case, and the
 * hairpin result when it was tested.
 */
export const networkLines = (report: CheckReport): string[] => {
	const lines: string[] = [];
	if (report.router) {
		lines.push(routerLine(report.router));
	}

	if (report.path && report.path.verdict !== 'unknown') {
		lines.push(pathLine(report.path));
		if (report.path.verdict !== 'edge') {
			lines.push(`  ${words().report.summary.why(report.path.evidence.join('; '))}`);
		}
	}

	if (report.hairpin && report.hairpin !== 'skipped') {
		lines.push(hairpinLine(report.hairpin));
	}

	return lines;
};
