// One TUI run in a private tmux server at 80x24: `pipe-pane -o` keeps the bytes the app writes
// and the time each frame starts; the screen is polled until the final verdict shows, the app is
// left alone ~2 s (idle bytes/s: the spinner and clock should stop), then `q` quits it.
import {existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {logger} from '../../scripts/support/log.js';
import {CLI, REPO} from '../../scripts/support/paths.js';
import {GNU_TIME} from '../../scripts/support/resources.js';
import {shellQuote, sleep} from '../../scripts/support/shell.js';
import {PrivateTmux, screenLines} from '../../scripts/support/tmux.js';
import {COLUMNS, IDLE_MS, POLL_MS, QUIT_TIMEOUT_MS, ROWS, RUN_TIMEOUT_MS, SETTLE_MS} from './config.js';
import {killMeasured, readMeasure, watchRss} from './measure.js';
import type {Measure} from './measure.js';

const log = logger('bench:tui');

export type TuiRun = Measure & {
	crash: string | undefined;
	/** Start (GO) to the first poll showing the verdict. */
	sweepS: number | undefined;
	verdict: string | undefined;
	bytesTotal: number;
	bytesToVerdict: number;
	idleBytes: number;
	idleS: number;
	frames: number;
	fullClears: number;
	/** Longest time between two frames from the first frame to the verdict (liveness: <= 200 ms). */
	longestGapMs: number | undefined;
	/** Which frame that wait ended on (2 = the second frame of the run). */
	longestGapBefore: number | undefined;
	/** The same from the second frame on: without the engine's start (server probe, sockets). */
	longestGapAfterStartMs: number | undefined;
	/** Lines of the tallest frame seen on screen (24 would mean Ink clears the screen). */
	tallest: number;
	paneSize: string;
	term: string;
};

const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

// What pipe-pane runs: the app's bytes to one file and, for each frame (Ink starts every frame
// with a synchronized update, ESC[?2026h), the wall clock when it reached the terminal to another.
const FRAME_CLOCK = `const fs = require('node:fs');
const [bytes, times] = process.argv.slice(1);
process.stdin.on('data', chunk => {
	const now = Date.now();
	fs.appendFileSync(bytes, chunk);
	const frames = chunk.toString('latin1').split('\\u001B[?2026h').length - 1;
	if (frames > 0) fs.appendFileSync(times, \`\${now}\\n\`.repeat(frames));
});`;

/** The longest wait between consecutive frames that started before `until` (epoch ms), and the frame that ended it (1-based). */
function longestGap(timesFile: string, until: number): {ms: number; before: number; afterStart: number | undefined} | undefined {
	if (!existsSync(timesFile)) return undefined;
	const times = readFileSync(timesFile, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(Number)
		.filter(time => time <= until);
	let longest: {ms: number; before: number; afterStart: number | undefined} | undefined;
	for (let i = 1; i < times.length; i++) {
		const ms = times[i]! - times[i - 1]!;
		if (longest === undefined || ms > longest.ms) longest = {ms, before: i + 1, afterStart: longest?.afterStart};
		if (i >= 2) longest.afterStart = Math.max(longest.afterStart ?? 0, ms);
	}
	return longest;
}

/** Frames drawn and full-screen clears in what the app wrote to the terminal. */
function countFrames(bytes: Buffer): {frames: number; fullClears: number} {
	const text = bytes.toString('latin1');
	// Ink wraps each frame in a synchronized update (ESC[?2026h); without those, count the
	// eraseLines() that precede every frame but the first (they end in ESC[2K ESC[G).
	const synced = text.split('\u001B[?2026h').length - 1;
	const frames = synced > 0 ? synced : text.split('\u001B[2K\u001B[G').length;
	// clearTerminal: a frame as tall as the terminal (Ink then redraws the whole screen).
	return {frames, fullClears: text.split('\u001B[2J').length - 1};
}

export async function runTui(tmp: string, label: string, args: string[], gnu: boolean): Promise<TuiRun> {
	const out = mkdtempSync(path.join(tmp, `${label}-`));
	const go = path.join(out, 'go');
	const exitFile = path.join(out, 'exit');
	const bytesFile = path.join(out, 'terminal.bin');
	const timesFile = path.join(out, 'frame-times.txt');
	const tmux = new PrivateTmux(`fwcheck-bench-tui-${process.pid}`);
	const command = [
		'env',
		...(gnu ? [`BENCH_GNU_TIME=${GNU_TIME}`] : []),
		'sh',
		path.join(tmp, 'wrapper.sh'),
		out,
		go,
		'--',
		process.execPath,
		CLI,
		...args,
	]
		.map(shellQuote)
		.join(' ');
	const result: TuiRun = {
		cpuS: undefined,
		userS: undefined,
		sysS: undefined,
		rssKb: undefined,
		exitCode: undefined,
		source: gnu ? 'gnu-time' : 'cutime+VmHWM',
		crash: undefined,
		sweepS: undefined,
		verdict: undefined,
		bytesTotal: 0,
		bytesToVerdict: 0,
		idleBytes: 0,
		idleS: 0,
		frames: 0,
		fullClears: 0,
		longestGapMs: undefined,
		longestGapBefore: undefined,
		longestGapAfterStartMs: undefined,
		tallest: 0,
		paneSize: '',
		term: '',
	};
	let rss: ReturnType<typeof watchRss> | undefined;
	try {
		tmux.newSession('bench', COLUMNS, ROWS, REPO, command);
		const clock = ['node', '-e', FRAME_CLOCK, bytesFile, timesFile].map(shellQuote).join(' ');
		const piped = tmux.run('pipe-pane', '-o', '-t', 'bench', clock);
		if (!piped.ok) throw new Error(`tmux pipe-pane: ${piped.stderr.trim()}`);
		result.paneSize = tmux.run('display-message', '-p', '-t', 'bench', '#{pane_width}x#{pane_height}').stdout.trim();
		result.term = tmux.run('show-options', '-g', '-v', 'default-terminal').stdout.trim();
		rss = watchRss(out);
		await sleep(300); // pipe-pane's node is up
		writeFileSync(go, '');
		const started = performance.now();
		let screen = '';
		while (performance.now() - started < RUN_TIMEOUT_MS) {
			screen = tmux.capture('bench');
			result.tallest = Math.max(result.tallest, screenLines(screen));
			// "took" replaces "elapsed" once the sweep is over; the verdict line follows the header.
			if (/\btook \d/.test(screen)) {
				result.sweepS = (performance.now() - started) / 1000;
				result.bytesToVerdict = fileSize(bytesFile);
				const gap = longestGap(timesFile, Date.now());
				result.longestGapMs = gap?.ms;
				result.longestGapBefore = gap?.before;
				result.longestGapAfterStartMs = gap?.afterStart;
				result.verdict = screen
					.split('\n')
					.find(line => /^\S+ [A-Z][A-Z0-9 '-]*:/.test(line))
					?.trim();
				break;
			}
			if (existsSync(exitFile)) break;
			await sleep(POLL_MS);
		}
		if (result.sweepS === undefined) {
			result.crash = existsSync(exitFile)
				? `the app exited before the verdict showed:\n${screen}`
				: `no verdict within ${RUN_TIMEOUT_MS} ms:\n${screen}`;
		} else {
			await sleep(SETTLE_MS);
			const idleFrom = fileSize(bytesFile);
			const idleStarted = performance.now();
			await sleep(IDLE_MS);
			result.idleBytes = fileSize(bytesFile) - idleFrom;
			result.idleS = (performance.now() - idleStarted) / 1000;
			result.tallest = Math.max(result.tallest, screenLines(tmux.capture('bench')));
			tmux.sendKeys('bench', 'q');
			const quitStarted = performance.now();
			while (!existsSync(exitFile) && performance.now() - quitStarted < QUIT_TIMEOUT_MS) await sleep(POLL_MS);
			if (!existsSync(exitFile)) result.crash = `did not quit within ${QUIT_TIMEOUT_MS} ms of q`;
		}
		const polled = rss.stop();
		if (!existsSync(exitFile)) killMeasured(out);
		await sleep(200); // the pane closes; pipe-pane's node writes its last bytes
		Object.assign(result, readMeasure(out, polled, gnu));
		const bytes = existsSync(bytesFile) ? readFileSync(bytesFile) : Buffer.alloc(0);
		result.bytesTotal = bytes.length;
		Object.assign(result, countFrames(bytes));
		if (!result.crash && result.exitCode !== 0 && result.exitCode !== 1)
			result.crash = `exit status ${result.exitCode ?? 'none'}`;
	} catch (error) {
		result.crash = (error as Error).message;
	} finally {
		rss?.stop(); // a throw must not leave the poll keeping the process alive
		tmux.kill();
	}
	if (result.crash) log(`${label}: CRASH ${result.crash}`);
	return result;
}
