// The scale table: cost per port as the range grows. Closed ranges (masquerade) and
// forwarded ones (forward-all) against coturn, so Test 3 runs on every port; check time, time per
// port, peak RSS, and whether every verdict was the expected one.
import {HOSTS} from '../../lab/lab.js';
import type {RouterScenario} from '../../lab/lab.js';
import {logger} from '../../scripts/support/log.js';
import {definedNumbers, median, runsText} from '../../scripts/support/stats.js';
import {mb, ms, spread, table} from './format.js';
import {runFwcheck} from './fwcheck-run.js';
import type {FwRun} from './fwcheck-run.js';
import type {BenchContext} from './phases.js';
import {codesText, judge} from './judge.js';
import type {Judgement} from './judge.js';

const log = logger('bench');

export type ScaleCase = {
	name: string;
	ports: readonly [number, number];
	forwarded: boolean;
	/** The issue's goals for this case, when it sets one. */
	goal?: {checkMs?: number; rssMb?: number};
};

/** The issue's cases: 2000, 8000 and 10001 (Asterisk's and FreePBX's RTP range) closed and forwarded, 32000 forwarded. */
export const SCALE_CASES: ScaleCase[] = [
	{name: '2000 closed', ports: [9000, 10999], forwarded: false, goal: {checkMs: 3000}},
	{name: '2000 forwarded', ports: [9000, 10999], forwarded: true, goal: {checkMs: 1000}},
	{name: '8000 closed', ports: [10000, 17999], forwarded: false},
	{name: '8000 forwarded', ports: [10000, 17999], forwarded: true},
	{name: '10001 closed (10000-20000)', ports: [10000, 20000], forwarded: false, goal: {checkMs: 6000}},
	{name: '10001 forwarded (10000-20000)', ports: [10000, 20000], forwarded: true},
	{name: '32000 forwarded', ports: [10000, 41999], forwarded: true, goal: {checkMs: 8000, rssMb: 250}},
];

export type ScaleGroup = ScaleCase & {count: number; runs: Array<FwRun & {judgement: Judgement}>};

const countOf = (c: ScaleCase): number => c.ports[1] - c.ports[0] + 1;

/** Every case, `runs` times each, one run of each case after another so load drifts hit all alike. */
export async function measureScale(context: BenchContext, cases: ScaleCase[] = SCALE_CASES): Promise<ScaleGroup[]> {
	const {lab} = context;
	const groups: ScaleGroup[] = cases.map(c => ({...c, count: countOf(c), runs: []}));
	for (let i = 1; i <= context.runs; i++) {
		for (const group of groups) {
			const scenario: RouterScenario = group.forwarded ? {kind: 'forward-all', ports: group.ports} : {kind: 'masquerade'};
			await lab.setRouter(scenario);
			await lab.flushConntrack();
			const label = `scale ${group.name} #${i}`;
			const expected = group.forwarded ? 'ok' : 'inbound-blocked';
			const run = await runFwcheck(context, label, [
				'--json',
				'--no-router',
				'--ports',
				`${group.ports[0]}-${group.ports[1]}`,
				'--stun',
				HOSTS.coturn,
			]);
			const judgement = judge(run.report, expected, group.count);
			group.runs.push({...run, judgement});
			log(
				`${label}: wall ${ms(run.wallMs)}, report ${ms(run.report?.durationMs)}, rss ${mb(run.rssKb)}, cpu ${run.cpuS?.toFixed(2) ?? '-'} s, packets ${run.report?.stats.packetsSent ?? '-'}, ${codesText(judgement.codes)}${judgement.exact ? '' : ' (NOT EXACT)'}; ${slowdownsText(run)}; ${run.udpDrops ?? ''}`,
			);
		}
	}
	return groups;
}

const slowdownsText = (run: FwRun): string => {
	const slowdowns = run.report?.pacing.slowdowns ?? [];
	return slowdowns.length === 0
		? 'no slowdowns'
		: `slowdowns ${slowdowns.map(s => `@${s.atMs} ms → ${s.rate}/s (${s.reason})`).join(', ')}`;
};

const cpuText = (seconds: number[]): string => {
	const middle = median(seconds);
	return middle === undefined ? '-' : `${middle.toFixed(2)} s`;
};

const perPortUs = (group: ScaleGroup): number | undefined => {
	const check = median(definedNumbers(group.runs.map(r => r.report?.durationMs)));
	return check === undefined ? undefined : (check * 1000) / group.count;
};

const goalText = (group: ScaleGroup, checkMs: number | undefined, rssKb: number | undefined): string => {
	const parts: string[] = [];
	if (group.goal?.checkMs !== undefined) {
		parts.push(
			`check ≤ ${group.goal.checkMs / 1000} s: ${checkMs === undefined ? 'n/a' : checkMs <= group.goal.checkMs ? 'within' : 'OVER'}`,
		);
	}
	if (group.goal?.rssMb !== undefined) {
		parts.push(
			`RSS ≤ ${group.goal.rssMb} MB: ${rssKb === undefined ? 'n/a' : rssKb / 1024 <= group.goal.rssMb ? 'within' : 'OVER'}`,
		);
	}
	return parts.join('; ') || '-';
};

/** The scale section of bench/results.md. */
export function renderScale(groups: ScaleGroup[], runs: number): string[] {
	const forwardedAt = (count: number) => groups.find(g => g.forwarded && g.count === count);
	const small = forwardedAt(2000);
	const large = forwardedAt(32000);
	const ratio =
		small && large && perPortUs(small) !== undefined && perPortUs(large) !== undefined
			? perPortUs(large)! / perPortUs(small)!
			: undefined;
	return [
		`## 5. Scale: fwcheck --json --no-router against coturn (Test 3 on every port), ${runsText(runs)} each`,
		'',
		...table(
			[
				'Ports',
				'Router',
				'Check time (durationMs) median (min–max)',
				'Time per port (median)',
				'Wall median (min–max)',
				'CPU user+sys median',
				'Peak RSS median (max)',
				'Packets sent (median)',
				'Verdicts',
				'vs goals',
			],
			groups.map(g => {
				const checks = definedNumbers(g.runs.map(r => r.report?.durationMs));
				const rss = definedNumbers(g.runs.map(r => r.rssKb));
				const perPort = perPortUs(g);
				const exact = g.runs.filter(r => r.judgement.exact).length;
				const wrong = g.runs
					.filter(r => !r.judgement.exact)
					.map(r => (r.crash ? `CRASH ${r.crash}` : codesText(r.judgement.codes)));
				return [
					g.name,
					g.forwarded ? `forward-all ${g.ports[0]}-${g.ports[1]}` : 'masquerade',
					spread(checks),
					perPort === undefined ? '-' : `${(perPort / 1000).toFixed(3)} ms`,
					spread(g.runs.map(r => r.wallMs)),
					cpuText(definedNumbers(g.runs.map(r => r.cpuS))),
					rss.length === 0 ? '-' : `${mb(median(rss))} (${mb(Math.max(...rss))})`,
					String(median(definedNumbers(g.runs.map(r => r.report?.stats.packetsSent))) ?? '-'),
					exact === g.runs.length
						? `exact ${exact}/${g.runs.length} (${g.count} ${g.forwarded ? 'ok' : 'inbound-blocked'} each)`
						: `**NOT EXACT** ${exact}/${g.runs.length}: ${wrong.join('; ')}`,
					goalText(g, median(checks), rss.length === 0 ? undefined : Math.max(...rss)),
				];
			}),
		),
		'',
		ratio === undefined
			? 'Time per port at 32000 forwarded against 2000 forwarded: n/a.'
			: `Time per port at 32000 forwarded is ${ratio.toFixed(2)}× that at 2000 forwarded (goal ≤ 1.5×: ${ratio <= 1.5 ? 'within' : 'OVER'}).`,
		'CPU is the fwcheck process’s user + system time (GNU time): on a busy machine it moves less than wall time. Check time is the report’s durationMs (server selection, Tests 3, 1 and 2, slow rechecks); `--no-router` leaves out the router view and hop trace, which do not grow with the range. Runs of the cases alternate (case 1 run 1, case 2 run 1, …) so load on the machine falls on all of them alike.',
		'',
	];
}

const SCALE_HEADING = '## 5. Scale';

/** The scale section's lines in a results.md, from its heading to the next `## ` heading (none: empty). */
export function scaleLines(results: string): string[] {
	const lines = results.split('\n');
	const start = lines.findIndex(line => line.startsWith(SCALE_HEADING));
	if (start === -1) return [];
	const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
	return lines.slice(start, end === -1 ? undefined : end);
}

/** `results` with its scale section replaced by `section` (or `section` put before the evidence, or at the end). */
export function scaleSection(results: string, section: string[]): string {
	const lines = results.split('\n');
	const old = scaleLines(results);
	const start = lines.findIndex(line => line.startsWith(SCALE_HEADING));
	if (start !== -1) lines.splice(start, old.length, ...section);
	else if (section.length > 0) {
		const evidence = lines.findIndex(line => line.startsWith('## Resends'));
		lines.splice(evidence === -1 ? lines.length : evidence, 0, ...section);
	}
	return lines.join('\n');
}
