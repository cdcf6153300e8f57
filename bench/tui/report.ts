// bench/tui.ts's Markdown: medians next to the targets (reported, never asserted), then each run.
import os from 'node:os';
import process from 'node:process';
import {definedNumbers, median, runsText} from '../../scripts/support/stats.js';
import {IDLE_MS, PORT_COUNT, POLL_MS, SETTLE_MS, TARGET} from './config.js';
import type {JsonRun} from './json-run.js';
import type {TuiRun} from './tui-run.js';

export const fmt = (value: number | undefined, digits = 2): string => (value === undefined ? '–' : value.toFixed(digits));
export const mb = (kb: number | undefined): number | undefined => (kb === undefined ? undefined : kb / 1024);
const int = (value: number | undefined): string => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));
const pct = (value: number | undefined): string => (value === undefined ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(0)}%`);

export function report(
	jsonRuns: JsonRun[],
	tuiRuns: TuiRun[],
	context: {range: string; note: string; serverPort: number; gnu: boolean; runs: number},
): string {
	const ok = <T extends {crash: string | undefined}>(runs: T[]) => runs.filter(r => !r.crash);
	const jr = ok(jsonRuns);
	const tr = ok(tuiRuns);
	const m = <T>(runs: T[], pick: (run: T) => number | undefined) => median(definedNumbers(runs.map(pick)));
	const jsonCpu = m(jr, r => r.cpuS);
	const tuiCpu = m(tr, r => r.cpuS);
	const jsonRss = mb(m(jr, r => r.rssKb));
	const tuiRss = mb(m(tr, r => r.rssKb));
	const cpuOver = jsonCpu && tuiCpu !== undefined ? ((tuiCpu - jsonCpu) / jsonCpu) * 100 : undefined;
	const rssOver = jsonRss !== undefined && tuiRss !== undefined ? tuiRss - jsonRss : undefined;
	const met = (value: number | undefined, limit: number) => (value === undefined ? '–' : value <= limit ? 'yes' : '**no**');
	const bytesTotal = m(tr, r => r.bytesTotal);
	const bytesToVerdict = m(tr, r => r.bytesToVerdict);
	const sweepS = m(tr, r => r.sweepS);
	const rate = m(tr, r => (r.sweepS ? r.bytesToVerdict / r.sweepS : undefined));
	const idleRate = m(tr, r => (r.idleS > 0 ? r.idleBytes / r.idleS : undefined));
	const gap = m(tr, r => r.longestGapMs);
	const worstGap = Math.max(...definedNumbers(tr.map(r => r.longestGapMs)));
	const gapAfterStart = m(tr, r => r.longestGapAfterStartMs);
	const load = os
		.loadavg()
		.map(v => v.toFixed(2))
		.join(' ');
	const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
	const term = tuiRuns.find(r => r.term)?.term ?? '?';
	const pane = tuiRuns.find(r => r.paneSize)?.paneSize ?? '?';

	const lines = [
		'## TUI render cost (`bench/tui.ts`)',
		'',
		`${PORT_COUNT} ports ${context.range} (${context.note}), all answered by \`fwcheck serve --primary 127.0.0.1 --alternate 127.0.0.2 --port ${context.serverPort}\` in a separate process (not counted).`,
		`Median of ${runsText(context.runs)} each; CPU = user + sys of the fwcheck process, RSS = its peak (${context.gnu ? 'GNU time -v' : "wrapper shell's cutime+cstime and polled VmHWM"}).`,
		`TUI: tmux ${pane} (TERM ${term}) with \`pipe-pane -o\` keeping what the app writes and when each frame arrives; the sweep wall time runs from start to the first screen poll (every ${POLL_MS} ms) showing the verdict, the idle window is ${IDLE_MS / 1000} s starting ${SETTLE_MS} ms after that.`,
		`Machine: ${cpuModel}, ${os.cpus().length} CPUs, Node ${process.version}, load ${load}; ${new Date().toISOString()}.`,
		'',
		'| | `--json` | TUI (tmux 80×24) | TUI adds | target | met |',
		'|---|---:|---:|---:|---|---|',
		`| CPU user+sys (s) | ${fmt(jsonCpu)} | ${fmt(tuiCpu)} | ${pct(cpuOver)} | ≤ +${TARGET.cpuPercent}% | ${met(cpuOver, TARGET.cpuPercent)} |`,
		`| peak RSS (MB) | ${fmt(jsonRss, 1)} | ${fmt(tuiRss, 1)} | ${rssOver === undefined ? '–' : `${rssOver >= 0 ? '+' : ''}${rssOver.toFixed(1)} MB`} | ≤ +${TARGET.rssMb} MB | ${met(rssOver, TARGET.rssMb)} |`,
		`| wall (s) | ${fmt(m(jr, r => r.wallS))} | ${fmt(sweepS)} to the verdict | | | |`,
		`| terminal bytes | – | ${int(bytesTotal)} total, ${int(bytesToVerdict)} to the verdict | | | |`,
		`| terminal bytes/s | – | ${int(rate)} during the sweep, ${int(idleRate)} idle after it | | idle: 0 | ${idleRate === undefined ? '–' : idleRate === 0 ? 'yes' : '**no**'} |`,
		`| frames drawn / full-screen clears | – | ${int(m(tr, r => r.frames))} / ${int(m(tr, r => r.fullClears))} | | clears: 0 | ${m(tr, r => r.fullClears) === 0 ? 'yes' : '**no**'} |`,
		`| longest time between frames, first frame to verdict (ms) | – | ${int(gap)} (worst run ${Number.isFinite(worstGap) ? int(worstGap) : '–'}) | | ≤ ${TARGET.frameGapMs} | ${met(gap, TARGET.frameGapMs)} |`,
		`| the same from the second frame on (ms) | – | ${int(gapAfterStart)} | | ≤ ${TARGET.frameGapMs} | ${met(gapAfterStart, TARGET.frameGapMs)} |`,
		'',
		'Each run:',
		'',
		'| run | CPU s (user/sys) | peak RSS MB | wall s | exit | result |',
		'|---|---:|---:|---:|---:|---|',
		...jsonRuns.map(
			(r, i) =>
				`| json ${i + 1} | ${fmt(r.cpuS)} (${fmt(r.userS)}/${fmt(r.sysS)}) | ${fmt(mb(r.rssKb), 1)} | ${fmt(r.wallS)} | ${r.exitCode ?? '–'} | ${r.crash ? `CRASH: ${r.crash}` : `${r.status}: ${r.counts}`} |`,
		),
		...tuiRuns.map(
			(r, i) =>
				`| TUI ${i + 1} | ${fmt(r.cpuS)} (${fmt(r.userS)}/${fmt(r.sysS)}) | ${fmt(mb(r.rssKb), 1)} | ${fmt(r.sweepS)} to verdict | ${r.exitCode ?? '–'} | ${
					r.crash
						? `CRASH: ${r.crash.split('\n')[0]}`
						: `${r.verdict ?? '?'}; ${int(r.bytesTotal)} B (${int(r.bytesToVerdict)} to verdict, ${int(r.idleBytes)} idle), ${r.frames} frames (longest gap ${int(r.longestGapMs)} ms, before frame ${r.longestGapBefore ?? '–'}; ${int(r.longestGapAfterStartMs)} ms from frame 2 on), ${r.fullClears} clears, tallest screen ${r.tallest} lines`
				} |`,
		),
		'',
	];
	return lines.join('\n');
}
