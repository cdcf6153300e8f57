// Whether a run's verdicts are the expected ones, and the port-level evidence when they are not
// (or when a lossless router still needed resends).
import type {TestDetail} from '../../source/check/types.js';
import type {PortJson, ReportJson} from '../../source/report/json.js';
import {definedNumbers, percentile} from '../../scripts/support/stats.js';

export type Judgement = {
	exact: boolean;
	total: number;
	codes: Record<string, number>;
	/** Ports whose verdict was not the expected one. */
	wrong: PortJson[];
};

export function judge(report: ReportJson | undefined, expected: string, portCount: number): Judgement {
	const codes: Record<string, number> = {};
	const ports = report?.ports ?? [];
	for (const port of ports) {
		const code = port.code ?? `status:${port.status}`;
		codes[code] = (codes[code] ?? 0) + 1;
	}
	const wrong = ports.filter(port => port.code !== expected);
	return {exact: ports.length === portCount && wrong.length === 0, total: ports.length, codes, wrong};
}

export const codesText = (codes: Record<string, number>): string =>
	Object.entries(codes)
		.sort((a, b) => b[1] - a[1])
		.map(([code, n]) => `${n} ${code}`)
		.join(', ') || 'no ports';

const testText = (name: string, t: TestDetail): string =>
	`${name} ${t.outcome} sends=${t.sends} elapsedMs=${t.elapsedMs} rttMs=${t.rttMs ?? '-'} attempts=${t.attempts}` +
	(t.wrongSource.length > 0 ? ` wrongSource=[${t.wrongSource.join(' ')}]` : '');

export const portEvidence = (p: PortJson): string =>
	`port ${p.port}: ${p.code ?? p.status} mapped=${p.mapped ?? '-'} | ${testText('test1', p.test1)} | ${testText('test2', p.test2)}` +
	(p.notes.length > 0 ? ` | notes: ${p.notes.join('; ')}` : '');

/** Test 1 timing across ports: where the time went when a run was slow. */
export function timingText(report: ReportJson | undefined): string {
	if (!report || report.ports.length === 0) return '';
	const elapsed = report.ports.map(p => p.test1.elapsedMs);
	const rtts = definedNumbers(report.ports.map(p => p.test1.rttMs ?? undefined));
	const t2 = report.ports.map(p => p.test2.elapsedMs);
	return (
		`; test1 elapsedMs p50/p90/max ${Math.round(percentile(elapsed, 0.5))}/${Math.round(percentile(elapsed, 0.9))}/${Math.round(Math.max(...elapsed))}` +
		(rtts.length > 0 ? `, test1 rttMs p50/max ${Math.round(percentile(rtts, 0.5))}/${Math.round(Math.max(...rtts))}` : '') +
		`, test2 elapsedMs p50/max ${Math.round(percentile(t2, 0.5))}/${Math.round(Math.max(...t2))}`
	);
}

/** Diagnostics that do not change verdicts: how many ports needed retransmissions. */
export function retransmitText(report: ReportJson | undefined): string {
	if (!report) return '-';
	const t1 = report.ports.filter(p => p.test1.sends > 1).length;
	const t2 = report.ports.filter(p => p.test2.sends > 1 && p.test2.outcome === 'pass').length;
	const rechecked = report.ports.filter(p => p.test1.attempts > 1 || p.test2.attempts > 1).length;
	return `${t1} ports resent Test 1, ${t2} passed Test 2 only after a resend, ${rechecked} rechecked`;
}
