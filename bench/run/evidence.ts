// The per-run lines of bench/results.md and, when something looks off, port-level evidence.
import {spreadPick, ms, mb} from './format.js';
import {codesText, portEvidence, retransmitText, timingText} from './judge.js';
import type {Group} from './phases.js';

export function evidence(groups: Group[], hostileGroups: Group[]): string[] {
	const out: string[] = [];
	out.push('## Per-run details', '');
	for (const g of [...groups, ...hostileGroups]) {
		for (const r of g.runs) {
			const rep = r.report;
			out.push(
				`- ${r.label}: wall ${ms(r.wallMs)}, durationMs ${ms(rep?.durationMs)}, RSS ${mb(r.rssKb)}, exit ${r.exitCode ?? '-'}, ` +
					`${codesText(r.judgement.codes)}; packets ${rep?.stats.packetsSent ?? '-'}; dropped ${rep ? JSON.stringify(rep.stats.dropped) : '-'}; ` +
					`${retransmitText(rep)}${timingText(rep)}; ${r.udpDrops ?? ''}` +
					(rep && rep.pacing.slowdowns.length > 0
						? `; slowdowns: ${rep.pacing.slowdowns.map(s => `@${s.atMs} ms → ${s.rate}/s (${s.reason})`).join(', ')}`
						: '') +
					(r.crash ? `; **CRASH** ${r.crash}` : ''),
			);
		}
	}
	out.push('');

	// Slow-downs or resends where the router neither loses nor limits: the pacer's reading of
	// "unanswered" deserves a look at the ports themselves.
	const suspicious = groups.flatMap(g =>
		g.runs.filter(r => r.report && (r.report.pacing.slowdowns.length > 0 || r.report.ports.some(p => p.test1.sends > 1))),
	);
	if (suspicious.length > 0) {
		out.push('## Resends / slow-downs on a lossless router: port-level evidence', '');
		for (const r of suspicious) {
			const resent = r.report!.ports.filter(p => p.test1.sends > 1);
			out.push(
				`### ${r.label}: ${resent.length} ports resent Test 1, unknownTransaction ${r.report!.stats.dropped.unknownTransaction}, durationMs ${r.report!.durationMs}; ${r.udpDrops ?? ''}`,
				'',
			);
			for (const p of spreadPick(resent, 4)) out.push(`- ${portEvidence(p)}`);
			out.push('');
		}
	}

	const inexact = [...groups, ...hostileGroups].flatMap(g =>
		g.runs.filter(r => !r.judgement.exact && r.report).map(r => ({g, r})),
	);
	if (inexact.length > 0) {
		out.push('## Inexact runs: port-level evidence', '');
		for (const {g, r} of inexact) {
			out.push(`### ${r.label} (expected ${g.portCount} × ${g.expected}; got ${codesText(r.judgement.codes)})`, '');
			for (const p of r.judgement.wrong.slice(0, 8)) out.push(`- ${portEvidence(p)}`);
			if (r.judgement.wrong.length > 8) out.push(`- … ${r.judgement.wrong.length - 8} more`);
			const good = r.report!.ports.find(p => p.code === g.expected);
			if (good) out.push(`- for contrast, a correct one: ${portEvidence(good)}`);
			out.push('');
		}
	}
	return out;
}
