// One TUI run in a private tmux server at 80x24: `pipe-pane -o` counts the bytes the app writes;
// the screen is polled until the final verdict shows, the app is left alone ~2 s (idle bytes/s:
// the spinner and clock should stop), then `q` quits it.
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
	/** Lines of the tallest frame seen on screen (24 would mean Ink clears the screen). */
	tallest: number;
	paneSize: string;
	term: string;
};

const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

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
		tallest: 0,
		paneSize: '',
		term: '',
	};
	let rss: ReturnType<typeof watchRss> | undefined;
	try {
		tmux.newSession('bench', COLUMNS, ROWS, REPO, command);
		const piped = tmux.run('pipe-pane', '-o', '-t', 'bench', `cat >> ${shellQuote(bytesFile)}`);
		if (!piped.ok) throw new Error(`tmux pipe-pane: ${piped.stderr.trim()}`);
		result.paneSize = tmux.run('display-message', '-p', '-t', 'bench', '#{pane_width}x#{pane_height}').stdout.trim();
		result.term = tmux.run('show-options', '-g', '-v', 'default-terminal').stdout.trim();
		rss = watchRss(out);
		await sleep(100); // pipe-pane's cat is up
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
		await sleep(200); // the pane closes; pipe-pane's cat writes its last bytes
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
