// bench/results.md: the machine, the targets, and one table per measurement.
import os from 'node:os';
import {ADDR} from '../../lab/lab.js';
import {definedNumbers, median, runsText} from '../../scripts/support/stats.js';
import {FLOOR_WAIT_MS, FULL, FULL_COUNT, SMALL, SMALL_COUNT, TARGET} from './config.js';
import {evidence} from './evidence.js';
import {mb, ms, sec, spread, table, vsTarget} from './format.js';
import {codesText} from './judge.js';
import type {FloorRun, Group, StunBaseline} from './phases.js';

export type BenchData = {
	runs: number;
	groups: Group[];
	baselines: StunBaseline[];
	samplePorts: number[];
	floors: FloorRun[];
	hostileGroups: Group[];
	notes: string[];
	benchMs: number;
	loadAtStart: number[];
	machine: string[];
};

const verdictCell = (g: Group): string => {
	const exact = g.runs.filter(r => r.judgement.exact).length;
	if (exact === g.runs.length) return `exact ${exact}/${g.runs.length} (${g.portCount} ${g.expected} each)`;
	const bad = g.runs
		.map((r, i) =>
			r.judgement.exact ? undefined : `run ${i + 1}: ${r.crash ? `CRASH ${r.crash}; ` : ''}${codesText(r.judgement.codes)}`,
		)
		.filter(Boolean);
	return `**NOT EXACT** ${exact}/${g.runs.length} exact — ${bad.join('; ')}`;
};

const pacingCell = (g: Group): string =>
	g.runs
		.map(r => {
			const p = r.report?.pacing;
			return p ? `${p.slowdowns.length}sd/${p.confirmed}c/${p.flipped}f` : '-';
		})
		.join(', ');

const medianText = (values: number[]): string => String(median(values) ?? '-');

function header(data: BenchData): string[] {
	return [
		'# fwcheck benchmark (network lab)',
		'',
		'Reproduce: `sudo npm run bench` (builds, then runs bench/run.ts; Linux, root, lab tools as in lab/).',
		'',
		...data.machine,
		`- load average (1/5/15 min) at the start ${data.loadAtStart.map(n => n.toFixed(2)).join(' / ')}, at the end ${os
			.loadavg()
			.map(n => n.toFixed(2))
			.join(' / ')} (other work on the machine skews wall times)`,
		`- bench took ${sec(data.benchMs)}`,
		'',
		`Targets (from the issue; reported, not asserted): all open ≤ ${TARGET.openMs / 1000} s, all closed ≤ ${TARGET.closedMs / 1000} s, peak RSS ≤ ${TARGET.rssMb} MB.`,
		'',
	];
}

function fullRange({groups, notes, runs}: BenchData): string[] {
	return [
		`## 1. fwcheck --json, ports ${FULL[0]}–${FULL[1]} (${FULL_COUNT} ports), ${runsText(runs)} each`,
		'',
		...table(
			[
				'Scenario',
				'Server',
				'Wall median (min–max)',
				'Report durationMs median (min–max)',
				'Peak RSS max',
				'Packets sent (median)',
				'Verdicts',
				'Pacing per run (slowdowns/confirmed/flipped)',
				'vs targets',
			],
			groups.map(g => {
				const walls = g.runs.map(r => r.wallMs);
				const wall = median(walls);
				const rss = definedNumbers(g.runs.map(r => r.rssKb));
				const maxRss = rss.length > 0 ? Math.max(...rss) : undefined;
				const packets = definedNumbers(g.runs.map(r => r.report?.stats.packetsSent));
				return [
					g.name,
					g.server,
					spread(walls),
					spread(definedNumbers(g.runs.map(r => r.report?.durationMs))),
					mb(maxRss),
					medianText(packets),
					verdictCell(g),
					pacingCell(g),
					`wall ${vsTarget(wall === undefined ? undefined : wall / 1000, (g.targetMs ?? 0) / 1000, 's')}; RSS ${vsTarget(maxRss === undefined ? undefined : maxRss / 1024, TARGET.rssMb, 'MB')}`,
				];
			}),
		),
		'',
		"Wall = `ip netns exec` + node start-up + the whole check + JSON output, measured around the process; durationMs = the report's own (server selection + sweep + rechecks).",
		...notes,
		'',
	];
}

function stunClient({baselines, samplePorts}: BenchData): string[] {
	return [
		`## 2. Baseline: Debian \`stun\` client, one port at a time (sample of ${samplePorts.length} ports: ${samplePorts.join(', ')})`,
		'',
		...table(
			[
				'Scenario',
				'Server',
				'Per port mean (min–max)',
				'Sample total',
				`Extrapolated to ${FULL_COUNT} ports`,
				'Classification seen',
			],
			baselines.map(b => {
				const mean = b.times.reduce((a, v) => a + v, 0) / b.times.length;
				const classes = [...new Set(b.classes)].map(c => `${c} ×${b.classes.filter(x => x === c).length}`).join('; ');
				return [
					b.scenario,
					b.server,
					`${ms(mean)} (${ms(Math.min(...b.times))}–${ms(Math.max(...b.times))})`,
					sec(b.times.reduce((a, v) => a + v, 0)),
					`${sec(mean * FULL_COUNT)} (${((mean * FULL_COUNT) / 60_000).toFixed(1)} min)`,
					classes + (b.failures > 0 ? ` (${b.failures} without a result)` : ''),
				];
			}),
		),
		'',
		'`stun <server> -v -p <port>` in the PBX namespace (it uses ports P and P+1), conntrack flushed before each; the time includes process start-up.',
		'',
	];
}

function floor({floors}: BenchData): string[] {
	const summaries = floors.flatMap(f => (f.summary ? [f.summary] : []));
	return [
		`## 3. Floor: bare Node, bind ${FULL_COUNT} ports + one Binding each to coturn ${ADDR.coturn[0]}:3478, forward-all`,
		'',
		...table(
			['Runs', 'Wall median (min–max)', 'In-script total median', 'Bind median', 'Send→last reply median', 'Replies'],
			[
				[
					String(floors.length),
					spread(floors.map(f => f.wallMs)),
					ms(median(summaries.map(s => s.totalMs))),
					ms(median(summaries.map(s => s.bindMs))),
					ms(median(summaries.map(s => s.exchangeMs))),
					floors
						.map(f =>
							f.summary
								? `${f.summary.replies}/${f.summary.sent}${f.summary.timedOut ? ' (waited ' + FLOOR_WAIT_MS + ' ms)' : ''}`
								: `CRASH ${f.error ?? ''}`,
						)
						.join(', '),
				],
			],
		),
		'',
		'No retransmission, no Test 2: the lower bound of any tool that binds every port itself (wall includes node start-up).',
		'',
	];
}

function hostile({hostileGroups, runs}: BenchData): string[] {
	return [
		`## 4. Hostile routers, ports ${SMALL[0]}–${SMALL[1]} (${SMALL_COUNT} ports), coturn, ${runsText(runs)} each, all ok expected`,
		'',
		...table(
			[
				'Scenario',
				'Wall median (min–max)',
				'Report durationMs median (min–max)',
				'Packets sent (median)',
				'Verdicts',
				'pacing.slowdowns non-empty',
				'Final rate / confirmed / flipped per run',
			],
			hostileGroups.map(g => [
				g.name,
				spread(g.runs.map(r => r.wallMs)),
				spread(definedNumbers(g.runs.map(r => r.report?.durationMs))),
				medianText(definedNumbers(g.runs.map(r => r.report?.stats.packetsSent))),
				verdictCell(g),
				g.runs
					.map(r =>
						r.report ? (r.report.pacing.slowdowns.length > 0 ? `yes (${r.report.pacing.slowdowns.length})` : 'no') : '-',
					)
					.join(', '),
				g.runs
					.map(r =>
						r.report ? `${r.report.pacing.finalRate ?? '∞'}/${r.report.pacing.confirmed}/${r.report.pacing.flipped}` : '-',
					)
					.join(', '),
			]),
		),
		'',
	];
}

export function render(data: BenchData): string[] {
	return [
		...header(data),
		...fullRange(data),
		...stunClient(data),
		...floor(data),
		...hostile(data),
		...evidence(data.groups, data.hostileGroups),
	];
}
