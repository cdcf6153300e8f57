/**
 * What the TUI costs over `--json`: `npm run build && node --import tsx bench/tui.ts [--runs N]`.
 *
 * Starts `fwcheck serve` on 127.0.0.1 + 127.0.0.2 as a separate process (its CPU is not
 * counted, tui/server.ts), then checks 2000 ports (9000-10999, or the first free 2000-port block
 * below the ephemeral range when something on this machine holds one of those, tui/ports.ts)
 * N times (default 3) each way, alternated:
 *   --json   CPU (user+sys), peak RSS and wall time of the fwcheck process (tui/json-run.ts);
 *   TUI      the same command without --json in a real terminal: a private tmux server at
 *            80x24, `pipe-pane -o` counting the bytes the app writes and timing its frames
 *            (the longest wait between two frames up to the verdict: liveness, <= 200 ms); the
 *            screen is polled until the final verdict shows, the app is left alone ~2 s (idle bytes/s: the spinner and
 *            clock should stop), then `q` quits it (tui/tui-run.ts).
 * CPU and peak RSS come from GNU time -v (Debian package `time`); without it, from the wrapper
 * shell's cutime+cstime and /proc/<pid>/status VmHWM polling (tui/measure.ts). Medians are
 * printed as Markdown and written to bench/tui-results.md next to the targets ("TUI adds <= 35%
 * CPU and <= 60 MB RSS"), which are reported, never asserted (tui/report.ts). Exit status 1 only
 * when something crashed (no report, a timeout, the verdict never showing, an exit status other
 * than 0/1). Only loopback is contacted; every wait is bounded; the server and the tmux server
 * are stopped on every path.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {logger} from '../scripts/support/log.js';
import {CLI, REPO} from '../scripts/support/paths.js';
import {gnuTimeWorks} from '../scripts/support/resources.js';
import {killLiveTmuxServers} from '../scripts/support/tmux.js';
import {DEFAULT_RUNS, RESULTS, WATCHDOG_MS} from './tui/config.js';
import {runJson} from './tui/json-run.js';
import type {JsonRun} from './tui/json-run.js';
import {WRAPPER} from './tui/measure.js';
import {chooseRange} from './tui/ports.js';
import {fmt, mb, report} from './tui/report.js';
import {serverDied, startServer, stopServer} from './tui/server.js';
import {runTui} from './tui/tui-run.js';
import type {TuiRun} from './tui/tui-run.js';

const log = logger('bench:tui');

function cleanup(): void {
	killLiveTmuxServers();
	stopServer();
}

async function main(): Promise<number> {
	const {values} = parseArgs({options: {runs: {type: 'string', default: String(DEFAULT_RUNS)}}});
	const runs = Number(values.runs);
	if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
		log(`--runs ${values.runs}: give a whole number from 1 to 20`);
		return 2;
	}
	if (!existsSync(CLI)) {
		log(`${CLI} missing: run \`npm run build\` first`);
		return 1;
	}
	if (spawnSync('tmux', ['-V'], {timeout: 5000}).status !== 0) {
		log('tmux is not installed (apt-get install tmux)');
		return 1;
	}
	const gnu = gnuTimeWorks();
	if (!gnu) log('GNU time not found (apt-get install time): falling back to cutime+cstime and VmHWM polling');
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'fwcheck-bench-tui-'));
	writeFileSync(path.join(tmp, 'wrapper.sh'), WRAPPER, {mode: 0o755});
	try {
		const range = chooseRange();
		const rangeText = `${range.from}-${range.to}`;
		log(`ports ${rangeText}: ${range.note}`);
		const jsonRuns: JsonRun[] = [];
		const tuiRuns: TuiRun[] = [];
		let srv = await startServer(range);
		// A fresh server for every run: one run sends about 6000 requests from 127.0.0.1, and a
		// server kept for all of them would hit its own per-source limit (a burst of 20000) by the
		// third round and slow the later runs down.
		const fresh = async () => {
			stopServer();
			srv = await startServer(range);
			log(`server on 127.0.0.1/127.0.0.2:${srv.port} (pid ${srv.child.pid})`);
			return ['--stun', `127.0.0.1:${srv.port}`, '--ports', rangeText];
		};

		for (let i = 1; i <= runs; i++) {
			// Alternated, so slow drift on the machine hits both alike.
			const j = await runJson(tmp, `json${i}`, await fresh(), gnu);
			jsonRuns.push(j);
			log(`json ${i}: cpu ${fmt(j.cpuS)} s, rss ${fmt(mb(j.rssKb), 1)} MB, wall ${fmt(j.wallS)} s${j.crash ? ' CRASH' : ''}`);
			const t = await runTui(tmp, `tui${i}`, await fresh(), gnu);
			tuiRuns.push(t);
			log(
				`tui ${i}: cpu ${fmt(t.cpuS)} s, rss ${fmt(mb(t.rssKb), 1)} MB, to verdict ${fmt(t.sweepS)} s, ${t.bytesTotal} B, idle ${t.idleBytes} B${t.crash ? ' CRASH' : ''}`,
			);
			if (serverDied()) throw new Error(`the server died: ${srv.output.join(' | ')}`);
		}
		const markdown = report(jsonRuns, tuiRuns, {range: rangeText, note: range.note, serverPort: srv.port, gnu, runs});
		console.log(markdown);
		writeFileSync(RESULTS, markdown);
		log(`written to ${path.relative(REPO, RESULTS)}`);
		return [...jsonRuns, ...tuiRuns].some(r => r.crash) ? 1 : 0;
	} finally {
		cleanup();
		rmSync(tmp, {recursive: true, force: true});
	}
}

process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		cleanup();
		process.exit(130);
	});
}
const watchdog = setTimeout(() => {
	log(`watchdog: still running after ${WATCHDOG_MS / 60_000} min, giving up`);
	cleanup();
	process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

try {
	process.exitCode = await main();
} catch (error) {
	log(`failed: ${(error as Error).stack ?? String(error)}`);
	cleanup();
	process.exitCode = 1;
}
