/**
 * What the TUI costs over `--json`: `npm run build && node --import tsx bench/tui.ts`.
 *
 * Starts `fwcheck serve` on 127.0.0.1 + 127.0.0.2 as a separate process (its CPU is not
 * counted), then checks 2000 ports (9000-10999, or the first free 2000-port block below the
 * ephemeral range when something on this machine holds one of those) RUNS times each way:
 *   --json   CPU (user+sys), peak RSS and wall time of the fwcheck process;
 *   TUI      the same command without --json in a real terminal: a private tmux server at
 *            80x24, `pipe-pane -o` counting the bytes the app writes; the screen is polled until
 *            the final verdict shows, the app is left alone ~2 s (idle bytes/s: the spinner and
 *            clock should stop), then `q` quits it.
 * CPU and peak RSS come from GNU time -v (Debian package `time`); without it, from the wrapper
 * shell's cutime+cstime and /proc/<pid>/status VmHWM polling. Medians are printed as Markdown
 * and written to bench/tui-results.md next to the targets ("TUI adds <= 50% CPU and <= 60 MB
 * RSS"), which are reported, never asserted. Exit status 1 only when something crashed (no
 * report, a timeout, the verdict never showing, an exit status other than 0/1).
 * Only loopback is contacted; every wait is bounded; the server and the tmux server are stopped
 * on every path.
 */
import {spawn, spawnSync} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import dgram from 'node:dgram';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CLI = path.join(REPO, 'dist', 'cli.js');
const RESULTS = path.join(REPO, 'bench', 'tui-results.md');
const GNU_TIME = '/usr/bin/time';

const RUNS = 3;
const PORT_COUNT = 2000;
const DEFAULT_FROM = 9000;
const COLUMNS = 80;
const ROWS = 24;
const RUN_TIMEOUT_MS = 180_000;
const POLL_MS = 50;
const SETTLE_MS = 300;
const IDLE_MS = 2000;
const QUIT_TIMEOUT_MS = 10_000;
const WATCHDOG_MS = 20 * 60_000;
const TARGET = {cpuPercent: 50, rssMb: 60};

const log = (line: string): void => {
	process.stderr.write(`[bench:tui] ${line}\n`);
};

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

const median = (values: number[]): number | undefined => {
	const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

// ---------------------------------------------------------------------------------------------
// Ports

/** UDP ports bound on this machine (this network namespace), IPv4 and IPv6. */
function boundUdpPorts(): Set<number> {
	const ports = new Set<number>();
	for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
		let text = '';
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const row of text.split('\n').slice(1)) {
			const local = row.trim().split(/\s+/)[1];
			const hex = local?.split(':').at(-1);
			if (hex) ports.add(Number.parseInt(hex, 16));
		}
	}
	return ports;
}

/** 9000-10999 when free, else the first free 2000-port block below the ephemeral range. */
function chooseRange(): {from: number; to: number; note: string} {
	const busy = boundUdpPorts();
	const busyIn = (from: number): number[] => [...busy].filter(p => p >= from && p < from + PORT_COUNT).sort((a, b) => a - b);
	const taken = busyIn(DEFAULT_FROM);
	if (taken.length === 0)
		return {from: DEFAULT_FROM, to: DEFAULT_FROM + PORT_COUNT - 1, note: 'the default range, free on this machine'};
	for (let from = DEFAULT_FROM + PORT_COUNT; from + PORT_COUNT <= 32_768; from += PORT_COUNT) {
		if (busyIn(from).length === 0) {
			return {
				from,
				to: from + PORT_COUNT - 1,
				note: `9000-10999 has busy ports on this machine (${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ', …' : ''}), so another free block`,
			};
		}
	}
	throw new Error('no free block of 2000 UDP ports below 32768');
}

function canBind(address: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', () => {
			socket.close();
			resolve(false);
		});
		socket.bind(port, address, () => socket.close(() => resolve(true)));
	});
}

/** A primary port P with P and P+1 free on both loopback addresses, outside the checked range. */
async function freeServerPort(avoid: {from: number; to: number}): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = 40_000 + Math.floor(Math.random() * 20_000);
		if (port + 1 >= avoid.from && port <= avoid.to) continue;
		const checks = await Promise.all(
			['127.0.0.1', '127.0.0.2'].flatMap(address => [canBind(address, port), canBind(address, port + 1)]),
		);
		if (checks.every(Boolean)) return port;
	}
	throw new Error('no free UDP port pair for the server on 127.0.0.1/127.0.0.2');
}

// ---------------------------------------------------------------------------------------------
// The server, in its own process

type Server = {child: ChildProcess; port: number; output: string[]};
let server: Server | undefined;

async function startServer(avoid: {from: number; to: number}): Promise<Server> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const port = await freeServerPort(avoid);
		const child = spawn(
			process.execPath,
			[CLI, 'serve', '--primary', '127.0.0.1', '--alternate', '127.0.0.2', '--port', String(port)],
			{
				cwd: REPO,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		const candidate: Server = {child, port, output: []};
		server = candidate;
		const ready = await new Promise<boolean>(resolve => {
			const timer = setTimeout(() => resolve(false), 10_000);
			const onData = (chunk: Buffer) => {
				for (const line of chunk.toString('utf8').split('\n')) {
					if (line.trim() === '') continue;
					candidate.output.push(line);
					if (candidate.output.length > 50) candidate.output.shift();
					if (/listening on/.test(line)) {
						clearTimeout(timer);
						resolve(true);
					}
				}
			};
			child.stdout?.on('data', onData);
			child.stderr?.on('data', onData);
			child.once('exit', () => {
				clearTimeout(timer);
				resolve(false);
			});
		});
		if (ready) return candidate;
		log(`server on port ${port} did not start: ${candidate.output.join(' | ')}`);
		stopServer();
	}
	throw new Error('fwcheck serve would not start');
}

function stopServer(): void {
	const child = server?.child;
	server = undefined;
	if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// Measuring one process: a wrapper shell records its children's CPU before and after, runs the
// command under GNU time when there is one, and writes the command's pid (for VmHWM polling)
// and exit status. The optional GO file lets tmux start the pane before the app writes a byte.

const WRAPPER = `#!/bin/sh
# wrapper.sh OUT [GO] -- command...
out=$1; go=$2; shift 3
if [ -n "$go" ]; then
	i=0
	while [ ! -e "$go" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
fi
cat /proc/$$/stat > "$out/stat-before"
if [ -n "$BENCH_GNU_TIME" ]; then
	"$BENCH_GNU_TIME" -v -o "$out/time.txt" sh -c 'echo $$ > "$0/pid"; exec "$@"' "$out" "$@"
else
	sh -c 'echo $$ > "$0/pid"; exec "$@"' "$out" "$@"
fi
code=$?
cat /proc/$$/stat > "$out/stat-after"
echo $code > "$out/exit"
`;

type Measure = {
	cpuS: number | undefined;
	userS: number | undefined;
	sysS: number | undefined;
	rssKb: number | undefined;
	exitCode: number | undefined;
	source: 'gnu-time' | 'cutime+VmHWM';
};

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8', timeout: 5000}).stdout?.trim()) || 100;

/** cutime + cstime of the wrapper shell, in seconds (fields 16 and 17 of /proc/PID/stat). */
function childTicks(file: string): number | undefined {
	if (!existsSync(file)) return undefined;
	const text = readFileSync(file, 'utf8');
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const cutime = Number(fields[13]);
	const cstime = Number(fields[14]);
	return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / CLK_TCK : undefined;
}

/** Polls the command's VmHWM while it runs (fallback for GNU time's maximum RSS). */
function watchRss(out: string): {stop: () => number} {
	let hwm = 0;
	let pid: number | undefined;
	const timer = setInterval(() => {
		try {
			pid ??= Number(readFileSync(path.join(out, 'pid'), 'utf8').trim()) || undefined;
			if (pid === undefined) return;
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			hwm = Math.max(hwm, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
		} catch {
			// not started yet, or gone
		}
	}, 20);
	return {
		stop() {
			clearInterval(timer);
			return hwm;
		},
	};
}

function readMeasure(out: string, polledRssKb: number, gnu: boolean): Measure {
	const exitText = existsSync(path.join(out, 'exit')) ? readFileSync(path.join(out, 'exit'), 'utf8').trim() : '';
	let exitCode = exitText === '' ? undefined : Number(exitText);
	const before = childTicks(path.join(out, 'stat-before'));
	const after = childTicks(path.join(out, 'stat-after'));
	const cutimeCpu = before !== undefined && after !== undefined ? after - before : undefined;
	const timeFile = path.join(out, 'time.txt');
	if (gnu && existsSync(timeFile)) {
		const text = readFileSync(timeFile, 'utf8');
		const num = (re: RegExp): number | undefined => {
			const value = re.exec(text)?.[1];
			return value === undefined ? undefined : Number(value);
		};
		const userS = num(/User time \(seconds\): ([\d.]+)/);
		const sysS = num(/System time \(seconds\): ([\d.]+)/);
		const status = num(/Exit status: (\d+)/);
		if (status !== undefined) exitCode = status;
		return {
			cpuS: userS !== undefined && sysS !== undefined ? userS + sysS : cutimeCpu,
			userS,
			sysS,
			rssKb: num(/Maximum resident set size \(kbytes\): (\d+)/) ?? (polledRssKb || undefined),
			exitCode,
			source: 'gnu-time',
		};
	}
	return {cpuS: cutimeCpu, userS: undefined, sysS: undefined, rssKb: polledRssKb || undefined, exitCode, source: 'cutime+VmHWM'};
}

function gnuTimeWorks(): boolean {
	if (!existsSync(GNU_TIME)) return false;
	const r = spawnSync(GNU_TIME, ['-v', 'true'], {encoding: 'utf8', timeout: 5000});
	return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

// ---------------------------------------------------------------------------------------------
// The --json run

type JsonRun = Measure & {wallS: number; crash: string | undefined; status: string | undefined; counts: string};

async function runJson(tmp: string, label: string, args: string[], gnu: boolean): Promise<JsonRun> {
	const out = mkdtempSync(path.join(tmp, `${label}-`));
	const env: NodeJS.ProcessEnv = {...process.env, ...(gnu ? {BENCH_GNU_TIME: GNU_TIME} : {})};
	const started = performance.now();
	const child = spawn('sh', [path.join(tmp, 'wrapper.sh'), out, '', '--', process.execPath, CLI, ...args, '--json'], {
		cwd: REPO,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const rss = watchRss(out);
	const stdout: Buffer[] = [];
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
	child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killTree(out);
		child.kill('SIGKILL');
	}, RUN_TIMEOUT_MS);
	await new Promise<void>(resolve => child.once('close', () => resolve()));
	clearTimeout(timer);
	const wallS = (performance.now() - started) / 1000;
	const measure = readMeasure(out, rss.stop(), gnu);
	let crash: string | undefined;
	let status: string | undefined;
	let counts = '';
	try {
		const report = JSON.parse(Buffer.concat(stdout).toString('utf8')) as {status?: string; ports?: Array<{status?: string}>};
		status = report.status;
		const byStatus = new Map<string, number>();
		for (const port of report.ports ?? []) byStatus.set(port.status ?? '?', (byStatus.get(port.status ?? '?') ?? 0) + 1);
		counts = [...byStatus].map(([k, v]) => `${v} ${k}`).join(', ');
	} catch (error) {
		crash = `no JSON report (${(error as Error).message})`;
	}
	if (timedOut) crash = `timed out after ${RUN_TIMEOUT_MS} ms`;
	else if (measure.exitCode !== 0 && measure.exitCode !== 1)
		crash = `exit status ${measure.exitCode ?? 'none'}${crash ? `, ${crash}` : ''}`;
	if (crash) log(`${label}: CRASH ${crash}\n${stderr.trim()}`);
	return {...measure, wallS, crash, status, counts};
}

/** Kills the measured command if it is still alive (by the pid the wrapper wrote). */
function killTree(out: string): void {
	try {
		const pid = Number(readFileSync(path.join(out, 'pid'), 'utf8').trim());
		if (pid > 0) process.kill(pid, 'SIGKILL');
	} catch {
		// not started or gone
	}
}

// ---------------------------------------------------------------------------------------------
// The TUI run, in a private tmux server

let tmuxSocket: string | undefined;

function tmux(...args: string[]): {ok: boolean; stdout: string; stderr: string} {
	if (!tmuxSocket) throw new Error('no tmux socket');
	const r = spawnSync('tmux', ['-L', tmuxSocket, '-f', '/dev/null', ...args], {
		encoding: 'utf8',
		timeout: 10_000,
		env: tmuxEnv(),
	});
	return {ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
}

/** Our environment minus what would switch colours off: the tmux server (and the app) get it. */
function tmuxEnv(): NodeJS.ProcessEnv {
	const env = {...process.env};
	delete env.NO_COLOR;
	delete env.FORCE_COLOR;
	delete env.TMUX;
	return env;
}

function killTmux(): void {
	if (!tmuxSocket) return;
	spawnSync('tmux', ['-L', tmuxSocket, 'kill-server'], {stdio: 'ignore', timeout: 10_000});
	// tmux may leave its socket file behind: ours alone, under its per-user directory.
	const uid = process.getuid?.() ?? 0;
	rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, tmuxSocket), {force: true});
	tmuxSocket = undefined;
}

type TuiRun = Measure & {
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

const screenLines = (text: string): number => {
	const lines = text.replace(/\n+$/, '').split('\n');
	return lines.length === 1 && lines[0] === '' ? 0 : lines.length;
};

async function runTui(tmp: string, label: string, args: string[], gnu: boolean): Promise<TuiRun> {
	const out = mkdtempSync(path.join(tmp, `${label}-`));
	const go = path.join(out, 'go');
	const bytesFile = path.join(out, 'terminal.bin');
	tmuxSocket = `fwcheck-bench-tui-${process.pid}`;
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
	try {
		const created = tmux('new-session', '-d', '-s', 'bench', '-x', String(COLUMNS), '-y', String(ROWS), '-c', REPO, command);
		if (!created.ok) throw new Error(`tmux new-session: ${created.stderr.trim()}`);
		tmux('set-option', '-g', 'status', 'off');
		const piped = tmux('pipe-pane', '-o', '-t', 'bench', `cat >> ${shellQuote(bytesFile)}`);
		if (!piped.ok) throw new Error(`tmux pipe-pane: ${piped.stderr.trim()}`);
		result.paneSize = tmux('display-message', '-p', '-t', 'bench', '#{pane_width}x#{pane_height}').stdout.trim();
		result.term = tmux('show-options', '-g', '-v', 'default-terminal').stdout.trim();
		const rss = watchRss(out);
		await sleep(100); // pipe-pane's cat is up
		writeFileSync(go, '');
		const started = performance.now();
		let screen = '';
		while (performance.now() - started < RUN_TIMEOUT_MS) {
			screen = tmux('capture-pane', '-p', '-t', 'bench').stdout;
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
			if (existsSync(path.join(out, 'exit'))) break;
			await sleep(POLL_MS);
		}
		if (result.sweepS === undefined) {
			result.crash = existsSync(path.join(out, 'exit'))
				? `the app exited before the verdict showed:\n${screen}`
				: `no verdict within ${RUN_TIMEOUT_MS} ms:\n${screen}`;
		} else {
			await sleep(SETTLE_MS);
			const idleFrom = fileSize(bytesFile);
			const idleStarted = performance.now();
			await sleep(IDLE_MS);
			result.idleBytes = fileSize(bytesFile) - idleFrom;
			result.idleS = (performance.now() - idleStarted) / 1000;
			result.tallest = Math.max(result.tallest, screenLines(tmux('capture-pane', '-p', '-t', 'bench').stdout));
			tmux('send-keys', '-t', 'bench', 'q');
			const quitStarted = performance.now();
			while (!existsSync(path.join(out, 'exit')) && performance.now() - quitStarted < QUIT_TIMEOUT_MS) await sleep(POLL_MS);
			if (!existsSync(path.join(out, 'exit'))) result.crash = `did not quit within ${QUIT_TIMEOUT_MS} ms of q`;
		}
		const polled = rss.stop();
		if (!existsSync(path.join(out, 'exit'))) killTree(out);
		await sleep(200); // the pane closes; pipe-pane's cat writes its last bytes
		Object.assign(result, readMeasure(out, polled, gnu));
		const bytes = existsSync(bytesFile) ? readFileSync(bytesFile) : Buffer.alloc(0);
		result.bytesTotal = bytes.length;
		const text = bytes.toString('latin1');
		// Ink wraps each frame in a synchronized update (ESC[?2026h); without those, count the
		// eraseLines() that precede every frame but the first (they end in ESC[2K ESC[G).
		const synced = text.split('\u001B[?2026h').length - 1;
		result.frames = synced > 0 ? synced : text.split('\u001B[2K\u001B[G').length;
		// clearTerminal: a frame as tall as the terminal (Ink then redraws the whole screen).
		result.fullClears = text.split('\u001B[2J').length - 1;
		if (!result.crash && result.exitCode !== 0 && result.exitCode !== 1)
			result.crash = `exit status ${result.exitCode ?? 'none'}`;
	} catch (error) {
		result.crash = (error as Error).message;
	} finally {
		killTmux();
	}
	if (result.crash) log(`${label}: CRASH ${result.crash}`);
	return result;
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (value: number | undefined, digits = 2): string => (value === undefined ? '–' : value.toFixed(digits));
const mb = (kb: number | undefined): number | undefined => (kb === undefined ? undefined : kb / 1024);
const int = (value: number | undefined): string => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));
const pct = (value: number | undefined): string => (value === undefined ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(0)}%`);

function report(
	jsonRuns: JsonRun[],
	tuiRuns: TuiRun[],
	context: {range: string; note: string; serverPort: number; gnu: boolean},
): string {
	const ok = <T extends {crash: string | undefined}>(runs: T[]) => runs.filter(r => !r.crash);
	const jr = ok(jsonRuns);
	const tr = ok(tuiRuns);
	const m = <T>(runs: T[], pick: (run: T) => number | undefined) =>
		median(runs.map(pick).filter((v): v is number => v !== undefined));
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
		`Median of ${RUNS} runs each; CPU = user + sys of the fwcheck process, RSS = its peak (${context.gnu ? 'GNU time -v' : "wrapper shell's cutime+cstime and polled VmHWM"}).`,
		`TUI: tmux ${pane} (TERM ${term}) with \`pipe-pane -o\` counting what the app writes; the sweep wall time runs from start to the first screen poll (every ${POLL_MS} ms) showing the verdict, the idle window is ${IDLE_MS / 1000} s starting ${SETTLE_MS} ms after that.`,
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
						: `${r.verdict ?? '?'}; ${int(r.bytesTotal)} B (${int(r.bytesToVerdict)} to verdict, ${int(r.idleBytes)} idle), ${r.frames} frames, ${r.fullClears} clears, tallest screen ${r.tallest} lines`
				} |`,
		),
		'',
	];
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

function cleanup(): void {
	killTmux();
	stopServer();
}

async function main(): Promise<number> {
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
		const srv = await startServer(range);
		log(`server on 127.0.0.1/127.0.0.2:${srv.port} (pid ${srv.child.pid})`);
		const args = ['--stun', `127.0.0.1:${srv.port}`, '--ports', rangeText];
		const jsonRuns: JsonRun[] = [];
		const tuiRuns: TuiRun[] = [];
		for (let i = 1; i <= RUNS; i++) {
			// Alternated, so slow drift on the machine hits both alike.
			const j = await runJson(tmp, `json${i}`, args, gnu);
			jsonRuns.push(j);
			log(`json ${i}: cpu ${fmt(j.cpuS)} s, rss ${fmt(mb(j.rssKb), 1)} MB, wall ${fmt(j.wallS)} s${j.crash ? ' CRASH' : ''}`);
			const t = await runTui(tmp, `tui${i}`, args, gnu);
			tuiRuns.push(t);
			log(
				`tui ${i}: cpu ${fmt(t.cpuS)} s, rss ${fmt(mb(t.rssKb), 1)} MB, to verdict ${fmt(t.sweepS)} s, ${t.bytesTotal} B, idle ${t.idleBytes} B${t.crash ? ' CRASH' : ''}`,
			);
			if (server?.child.exitCode !== null && server?.child.exitCode !== undefined)
				throw new Error(`the server died: ${srv.output.join(' | ')}`);
		}
		const markdown = report(jsonRuns, tuiRuns, {range: rangeText, note: range.note, serverPort: srv.port, gnu});
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
