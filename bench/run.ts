/**
 * fwcheck benchmark on the network lab (test/lab): `sudo npm run bench`.
 *
 * Measures, and prints as Markdown (also written to bench/results.md):
 *   1. fwcheck --json over 9000-10999, all open (forward-all) and all closed (masquerade), against
 *      coturn and stund: wall time (median/min/max of RUNS), the report's durationMs, peak RSS,
 *      packets sent, and whether every verdict was the expected one;
 *   2. the reference-style baseline: Debian's `stun` client, one port at a time, on a sample;
 *   3. the floor: a bare Node script that binds the 2000 ports and sends one Binding each;
 *   4. 10% loss and a 300 packets/s rate-limited router on 9000-9499.
 * It reports the issue's targets next to the numbers and never asserts them. Exit status: 0, or
 * 1 when the lab cannot be built or a run crashed (no JSON, timeout, exit status other than 0/1),
 * 2 when not root. Only lab addresses are contacted; every loop is bounded; the lab is torn down
 * on every path (and by the lab's own exit/signal handlers).
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import type {CheckReport, PortResult, TestDetail} from '../source/check/types.js';
import {ADDR, HOSTS, NS, createLabWhenFree, labSupport} from '../lab/lab.js';
import type {Lab, RouterScenario} from '../lab/lab.js';
import {FLOOR_SCRIPT} from './floor.js';
import type {FloorSummary} from './floor.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CLI = path.join(REPO, 'dist', 'cli.js');
const RESULTS = path.join(REPO, 'bench', 'results.md');
const GNU_TIME = '/usr/bin/time';

const RUNS = 3;
const FULL: [number, number] = [9000, 10999];
const SMALL: [number, number] = [9000, 9499];
const STUN_SAMPLE = 10;
const FWCHECK_TIMEOUT_MS = 300_000;
const FLOOR_WAIT_MS = 3000;
const LOCK_WAIT_TRIES = 60; // x 5 s: another lab user (npm test) may hold the lab
const WATCHDOG_MS = 45 * 60_000;

const TARGET = {openMs: 1000, closedMs: 5000, rssMb: 100};
const LOAD_AT_START = os.loadavg();

const log = (line: string): void => {
	process.stderr.write(`[bench] ${line}\n`);
};

// ---------------------------------------------------------------------------------------------
// Measuring one fwcheck run

type RssMode = 'gnu-time' | 'poll-vmhwm';

type FwRun = {
	label: string;
	args: string[];
	wallMs: number;
	rssKb: number | undefined;
	exitCode: number | undefined;
	timedOut: boolean;
	report: CheckReport | undefined;
	/** Why this run counts as a crash (no report, timeout, unexpected exit status). */
	crash: string | undefined;
	stderr: string;
	/** Kernel UDP receive/send buffer drops in the PBX and server namespaces during the run. */
	udpDrops?: string;
};

function gnuTimeWorks(): boolean {
	if (!existsSync(GNU_TIME)) return false;
	const r = spawnSync(GNU_TIME, ['-v', 'true'], {encoding: 'utf8', timeout: 5000});
	return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

/** Processes left in the PBX namespace running our CLI (e.g. GNU time killed on a timeout). */
function killStrayFwcheck(): void {
	const pids = spawnSync('ip', ['netns', 'pids', NS.pbx], {encoding: 'utf8', timeout: 5000}).stdout ?? '';
	for (const pid of pids
		.split('\n')
		.map(Number)
		.filter(n => Number.isInteger(n) && n > 0)) {
		try {
			if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(CLI)) process.kill(pid, 'SIGKILL');
		} catch {
			// gone
		}
	}
}

type UdpCounters = Record<string, number>;

/** The namespace's kernel UDP counters (/proc/net/snmp reflects the reader's namespace). */
async function udpCounters(lab: Lab, ns: 'pbx' | 'srv'): Promise<UdpCounters> {
	const r = await lab.exec(ns, 'cat', ['/proc/net/snmp'], {reject: false, timeoutMs: 5000});
	const [names, values] = r.stdout.split('\n').filter(line => line.startsWith('Udp:'));
	const counters: UdpCounters = {};
	if (!names || !values) return counters;
	const v = values.split(/\s+/).slice(1);
	names
		.split(/\s+/)
		.slice(1)
		.forEach((name, i) => (counters[name] = Number(v[i] ?? 0)));
	return counters;
}

const UDP_ERRORS = ['RcvbufErrors', 'SndbufErrors', 'InErrors'];

/** Kernel UDP drops in the PBX and server namespaces between two snapshots. */
function udpDropsText(before: Record<'pbx' | 'srv', UdpCounters>, after: Record<'pbx' | 'srv', UdpCounters>): string {
	const parts: string[] = [];
	for (const ns of ['pbx', 'srv'] as const) {
		const deltas = UDP_ERRORS.map(name => [name, (after[ns][name] ?? 0) - (before[ns][name] ?? 0)] as const).filter(
			([, d]) => d !== 0,
		);
		parts.push(`${ns} ${deltas.length === 0 ? 'none' : deltas.map(([name, d]) => `${name} ${d}`).join(' ')}`);
	}
	return `kernel UDP drops: ${parts.join(', ')}`;
}

async function runFwcheck(lab: Lab, mode: RssMode, tmp: string, label: string, args: string[]): Promise<FwRun> {
	const before = {pbx: await udpCounters(lab, 'pbx'), srv: await udpCounters(lab, 'srv')};
	const run = await runFwcheckOnce(lab, mode, tmp, label, args);
	const after = {pbx: await udpCounters(lab, 'pbx'), srv: await udpCounters(lab, 'srv')};
	return {...run, udpDrops: udpDropsText(before, after)};
}

async function runFwcheckOnce(lab: Lab, mode: RssMode, tmp: string, label: string, args: string[]): Promise<FwRun> {
	const env = {NO_COLOR: '1', FORCE_COLOR: '0'};
	const common = {timeoutMs: FWCHECK_TIMEOUT_MS, reject: false, cwd: REPO, env};
	let rssKb: number | undefined;
	let exitCode: number | undefined;
	let timedOut: boolean;
	let stdout: string;
	let stderr: string;
	const started = performance.now();
	let wallMs: number;
	if (mode === 'gnu-time') {
		const timeFile = path.join(tmp, 'time.txt');
		rmSync(timeFile, {force: true});
		const r = await lab.exec('pbx', GNU_TIME, ['-v', '-o', timeFile, process.execPath, CLI, ...args], common);
		wallMs = performance.now() - started;
		({exitCode, timedOut, stdout, stderr} = r);
		const timeOut = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
		const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeOut)?.[1];
		rssKb = rss === undefined ? undefined : Number(rss);
		// GNU time exits with the command's status (or 128+signal).
		const status = /Exit status: (\d+)/.exec(timeOut)?.[1];
		if (status !== undefined) exitCode = Number(status);
		if (timedOut) killStrayFwcheck();
	} else {
		const sub = execa('ip', ['netns', 'exec', NS.pbx, process.execPath, CLI, ...args], {
			timeout: FWCHECK_TIMEOUT_MS,
			forceKillAfterDelay: 1000,
			reject: false,
			stdin: 'ignore',
			cwd: REPO,
			env,
		});
		let hwm = 0;
		const poll = setInterval(() => {
			try {
				const status = readFileSync(`/proc/${sub.pid}/status`, 'utf8');
				hwm = Math.max(hwm, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
			} catch {
				// not started yet or gone
			}
		}, 5);
		const r = await sub;
		clearInterval(poll);
		wallMs = performance.now() - started;
		exitCode = r.exitCode;
		timedOut = r.timedOut;
		stdout = String(r.stdout ?? '');
		stderr = String(r.stderr ?? '');
		rssKb = hwm > 0 ? hwm : undefined;
	}

	let report: CheckReport | undefined;
	let crash: string | undefined;
	try {
		report = JSON.parse(stdout) as CheckReport;
	} catch (error) {
		crash = `no JSON report (${(error as Error).message})`;
	}
	if (timedOut) crash = `timed out after ${FWCHECK_TIMEOUT_MS} ms`;
	else if (exitCode !== 0 && exitCode !== 1) crash = `exit status ${exitCode ?? 'none'}${crash ? `, ${crash}` : ''}`;
	if (crash) log(`${label}: CRASH ${crash}\n${stderr.trim().slice(0, 2000)}`);
	return {label, args, wallMs, rssKb, exitCode, timedOut, report, crash, stderr};
}

// ---------------------------------------------------------------------------------------------
// Judging verdicts

type Judgement = {
	exact: boolean;
	total: number;
	codes: Record<string, number>;
	/** Ports whose verdict was not the expected one. */
	wrong: PortResult[];
};

function judge(report: CheckReport | undefined, expected: string, portCount: number): Judgement {
	const codes: Record<string, number> = {};
	const ports = report?.ports ?? [];
	for (const port of ports) {
		const code = port.code ?? `status:${port.status}`;
		codes[code] = (codes[code] ?? 0) + 1;
	}
	const wrong = ports.filter(port => port.code !== expected);
	return {exact: ports.length === portCount && wrong.length === 0, total: ports.length, codes, wrong};
}

const codesText = (codes: Record<string, number>): string =>
	Object.entries(codes)
		.sort((a, b) => b[1] - a[1])
		.map(([code, n]) => `${n} ${code}`)
		.join(', ') || 'no ports';

const testText = (name: string, t: TestDetail): string =>
	`${name} ${t.outcome} sends=${t.sends} elapsedMs=${t.elapsedMs} rttMs=${t.rttMs ?? '-'} attempts=${t.attempts}` +
	(t.wrongSource.length > 0 ? ` wrongSource=[${t.wrongSource.join(' ')}]` : '');

const portEvidence = (p: PortResult): string =>
	`port ${p.port}: ${p.code ?? p.status} mapped=${p.mapped ?? '-'} | ${testText('test1', p.test1)} | ${testText('test2', p.test2)}` +
	(p.notes.length > 0 ? ` | notes: ${p.notes.join('; ')}` : '');

const percentile = (values: number[], q: number): number => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** Test 1 timing across ports: where the time went when a run was slow. */
function timingText(report: CheckReport | undefined): string {
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
function retransmitText(report: CheckReport | undefined): string {
	if (!report) return '-';
	const t1 = report.ports.filter(p => p.test1.sends > 1).length;
	const t2 = report.ports.filter(p => p.test2.sends > 1 && p.test2.outcome === 'pass').length;
	const rechecked = report.ports.filter(p => p.test1.attempts > 1 || p.test2.attempts > 1).length;
	return `${t1} ports resent Test 1, ${t2} passed Test 2 only after a resend, ${rechecked} rechecked`;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const spreadPick = <T>(items: T[], count: number): T[] =>
	items.length <= count
		? items
		: Array.from({length: count}, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);

const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const ms = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
const sec = (n: number): string => `${(n / 1000).toFixed(1)} s`;
const mb = (kb: number | undefined): string => (kb === undefined ? '-' : `${(kb / 1024).toFixed(1)} MB`);
const spread = (values: number[]): string =>
	values.length === 0 ? '-' : `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
const definedNumbers = (values: Array<number | undefined>): number[] => values.filter((v): v is number => v !== undefined);
const table = (head: string[], rows: string[][]): string[] => [
	`| ${head.join(' | ')} |`,
	`|${head.map(() => '---').join('|')}|`,
	...rows.map(row => `| ${row.map(cell => cell.replaceAll('|', '\\|')).join(' | ')} |`),
];
const vsTarget = (value: number | undefined, limit: number, unit: string): string =>
	value === undefined ? `≤ ${limit} ${unit}: n/a` : `≤ ${limit} ${unit}: ${value <= limit ? 'within' : 'OVER'}`;

// ---------------------------------------------------------------------------------------------
// The bench

type Group = {
	name: string;
	server: string;
	expected: string;
	portCount: number;
	runs: Array<FwRun & {judgement: Judgement}>;
	targetMs?: number;
};

type StunBaseline = {scenario: string; server: string; times: number[]; classes: string[]; failures: number};

const createLabWaiting = async (): Promise<Lab> =>
	createLabWhenFree({
		tries: LOCK_WAIT_TRIES,
		intervalMs: 5000,
		onWait(why, attempt) {
			if (attempt === 1) log(`${why}: waiting for it (at most ${(LOCK_WAIT_TRIES * 5) / 60} min)`);
		},
	});

function machine(): string[] {
	const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
	const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
	const git = (args: string[]): string =>
		spawnSync('git', ['-C', REPO, ...args], {encoding: 'utf8', timeout: 5000}).stdout?.trim() ?? '';
	const head = git(['log', '-1', '--format=%h %ci %s']) || 'unknown';
	const dirty = git(['status', '--porcelain', '--', 'source']).split('\n').filter(Boolean).length;
	return [
		`- fwcheck built from ${head}${dirty > 0 ? ` + uncommitted changes in ${dirty} file(s) under source/` : ''}`,
		`- nproc: ${os.availableParallelism()}; CPU: ${model}; RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
		`- node ${process.version}; kernel ${os.release()}; ${new Date().toISOString()}`,
	];
}

async function main(): Promise<number> {
	if (process.getuid?.() !== 0) {
		console.error('bench: needs root (network namespaces and iptables for the NAT lab): run `sudo npm run bench`');
		return 2;
	}
	const support = labSupport();
	if (!support.ok) {
		console.error(`bench: the network lab cannot be built: ${support.reason}`);
		return 1;
	}
	if (!existsSync(CLI)) {
		console.error(`bench: ${CLI} missing: run \`npm run build\` (npm run bench does it)`);
		return 1;
	}

	const machineLines = machine(); // now: the build npm run bench just made
	const mode: RssMode = gnuTimeWorks() ? 'gnu-time' : 'poll-vmhwm';
	const notes: string[] = [];
	if (mode === 'gnu-time') notes.push(`Peak RSS: \`${GNU_TIME} -v\` (maximum resident set size of the fwcheck node process).`);
	else {
		notes.push(
			`Peak RSS: GNU time missing (\`apt-get install -y time\`), so VmHWM of /proc/<pid>/status polled every 5 ms (may miss the last few ms).`,
		);
	}

	const tmp = mkdtempSync(path.join(os.tmpdir(), 'fwcheck-bench-'));
	let lab: Lab | undefined;
	const watchdog = setTimeout(() => {
		log(`watchdog: still running after ${WATCHDOG_MS / 60_000} min, tearing down`);
		void (lab?.teardown() ?? Promise.resolve()).finally(() => process.exit(1));
	}, WATCHDOG_MS);
	const benchStart = performance.now();
	try {
		log('building the lab');
		try {
			lab = await createLabWaiting();
			await Promise.all([lab.startCoturn(), lab.startStund()]);
		} catch (error) {
			console.error(`bench: the network lab cannot be built: ${(error as Error).message}`);
			return 1;
		}
		log(`lab ready in ${lab.timings.setupMs} ms (+ servers)`);
		const l = lab;
		const servers = [
			{name: 'coturn', host: HOSTS.coturn, ip: ADDR.coturn[0]},
			{name: 'stund', host: HOSTS.stund, ip: ADDR.stund[0]},
		];

		// 1. Full range, all open / all closed ------------------------------------------------
		const groups: Group[] = [];
		const fullArgs = ['--json', '--ports', `${FULL[0]}-${FULL[1]}`];
		const fullCount = FULL[1] - FULL[0] + 1;
		const scenarios: Array<{name: string; scenario: RouterScenario; expected: string; targetMs: number}> = [
			{name: 'all open (forward-all)', scenario: {kind: 'forward-all', ports: FULL}, expected: 'ok', targetMs: TARGET.openMs},
			{name: 'all closed (masquerade)', scenario: {kind: 'masquerade'}, expected: 'inbound-blocked', targetMs: TARGET.closedMs},
		];
		for (const sc of scenarios) {
			await l.setRouter(sc.scenario);
			for (const server of servers) {
				const group: Group = {
					name: sc.name,
					server: server.name,
					expected: sc.expected,
					portCount: fullCount,
					runs: [],
					targetMs: sc.targetMs,
				};
				for (let i = 1; i <= RUNS; i++) {
					await l.flushConntrack();
					const label = `${sc.name} / ${server.name} #${i}`;
					const run = await runFwcheck(l, mode, tmp, label, [...fullArgs, '--stun', server.host]);
					const judgement = judge(run.report, sc.expected, fullCount);
					group.runs.push({...run, judgement});
					log(
						`${label}: wall ${ms(run.wallMs)}, report ${ms(run.report?.durationMs)}, rss ${mb(run.rssKb)}, ${codesText(judgement.codes)}${judgement.exact ? '' : ' (NOT EXACT)'}`,
					);
				}
				groups.push(group);
			}
		}

		// 2. Debian's stun client, one port at a time --------------------------------------------
		const samplePorts = Array.from(
			{length: STUN_SAMPLE},
			(_, i) => FULL[0] + Math.floor((i * (fullCount - 2)) / STUN_SAMPLE / 2) * 2,
		);
		const baselines: StunBaseline[] = [];
		for (const sc of scenarios) {
			await l.setRouter(sc.scenario);
			for (const server of servers) {
				const baseline: StunBaseline = {scenario: sc.name, server: server.name, times: [], classes: [], failures: 0};
				for (const port of samplePorts) {
					await l.flushConntrack();
					const started = performance.now();
					const r = await l.debianStun(server.ip, port);
					baseline.times.push(performance.now() - started);
					baseline.classes.push(r.primary ?? r.nat);
					if (r.primary === undefined) baseline.failures++;
				}
				log(
					`stun client ${sc.name} / ${server.name}: mean ${ms(baseline.times.reduce((a, b) => a + b, 0) / baseline.times.length)} per port`,
				);
				baselines.push(baseline);
			}
		}

		// 3. The floor --------------------------------------------------------------------------
		await l.setRouter({kind: 'forward-all', ports: FULL});
		const floorFile = path.join(tmp, 'floor.mjs');
		writeFileSync(floorFile, FLOOR_SCRIPT);
		const floors: Array<{wallMs: number; summary: FloorSummary | undefined; error?: string}> = [];
		let floorCrashed = false;
		for (let i = 1; i <= RUNS; i++) {
			await l.flushConntrack();
			const started = performance.now();
			const r = await l.exec(
				'pbx',
				process.execPath,
				[floorFile, ADDR.coturn[0], '3478', String(FULL[0]), String(FULL[1]), String(FLOOR_WAIT_MS)],
				{
					timeoutMs: 30_000,
					reject: false,
				},
			);
			const wallMs = performance.now() - started;
			try {
				const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as FloorSummary;
				floors.push({wallMs, summary});
				log(`floor #${i}: wall ${ms(wallMs)}, ${summary.replies}/${summary.sent} replies, exchange ${ms(summary.exchangeMs)}`);
			} catch {
				floorCrashed = true;
				floors.push({wallMs, summary: undefined, error: `exit ${r.exitCode ?? r.signal}: ${r.stderr.trim().slice(0, 300)}`});
				log(`floor #${i}: CRASH ${r.stderr.trim().slice(0, 500)}`);
			}
		}

		// 4. Loss and rate limit on a smaller range ---------------------------------------------
		const smallCount = SMALL[1] - SMALL[0] + 1;
		const hostile: Array<{name: string; scenario: RouterScenario}> = [
			{name: '10% loss (forward-all, loss 0.1)', scenario: {kind: 'forward-all', ports: FULL, loss: 0.1}},
			{name: 'rate limit 300/s (forward-all, ratelimit 300)', scenario: {kind: 'forward-all', ports: FULL, ratelimit: 300}},
		];
		const hostileGroups: Group[] = [];
		for (const h of hostile) {
			await l.setRouter(h.scenario);
			const group: Group = {name: h.name, server: 'coturn', expected: 'ok', portCount: smallCount, runs: []};
			for (let i = 1; i <= RUNS; i++) {
				await l.flushConntrack();
				const label = `${h.name} #${i}`;
				const run = await runFwcheck(l, mode, tmp, label, [
					'--json',
					'--ports',
					`${SMALL[0]}-${SMALL[1]}`,
					'--stun',
					HOSTS.coturn,
				]);
				const judgement = judge(run.report, 'ok', smallCount);
				group.runs.push({...run, judgement});
				log(
					`${label}: wall ${ms(run.wallMs)}, report ${ms(run.report?.durationMs)}, ${codesText(judgement.codes)}${judgement.exact ? '' : ' (NOT EXACT)'}, slowdowns ${run.report?.pacing.slowdowns.length ?? '-'}`,
				);
			}
			hostileGroups.push(group);
		}

		// Report ---------------------------------------------------------------------------------
		const lines = render({
			groups,
			baselines,
			samplePorts,
			floors,
			hostileGroups,
			notes,
			benchMs: performance.now() - benchStart,
			mode,
			machine: machineLines,
		});
		const text = `${lines.join('\n')}\n`;
		process.stdout.write(text);
		writeFileSync(RESULTS, text);
		log(`written to ${path.relative(REPO, RESULTS)}`);
		const crashed = [...groups, ...hostileGroups].some(g => g.runs.some(r => r.crash)) || floorCrashed;
		return crashed ? 1 : 0;
	} finally {
		clearTimeout(watchdog);
		await lab?.teardown();
		rmSync(tmp, {recursive: true, force: true});
	}
}

function render(data: {
	groups: Group[];
	baselines: StunBaseline[];
	samplePorts: number[];
	floors: Array<{wallMs: number; summary: FloorSummary | undefined; error?: string}>;
	hostileGroups: Group[];
	notes: string[];
	benchMs: number;
	mode: RssMode;
	machine: string[];
}): string[] {
	const {groups, baselines, samplePorts, floors, hostileGroups, notes} = data;
	const out: string[] = [];
	const fullCount = FULL[1] - FULL[0] + 1;
	out.push('# fwcheck benchmark (network lab)', '');
	out.push('Reproduce: `sudo npm run bench` (builds, then runs bench/run.ts; Linux, root, lab tools as in test/lab).', '');
	out.push(
		...data.machine,
		`- load average (1/5/15 min) at the start ${LOAD_AT_START.map(n => n.toFixed(2)).join(' / ')}, at the end ${os
			.loadavg()
			.map(n => n.toFixed(2))
			.join(' / ')} (other work on the machine skews wall times)`,
		`- bench took ${sec(data.benchMs)}`,
		'',
	);
	out.push(
		`Targets (from the issue; reported, not asserted): all open ≤ ${TARGET.openMs / 1000} s, all closed ≤ ${TARGET.closedMs / 1000} s, peak RSS ≤ ${TARGET.rssMb} MB.`,
		'',
	);

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

	out.push(`## 1. fwcheck --json, ports ${FULL[0]}–${FULL[1]} (${fullCount} ports), ${RUNS} runs each`, '');
	out.push(
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
				const rss = definedNumbers(g.runs.map(r => r.rssKb));
				const maxRss = rss.length > 0 ? Math.max(...rss) : undefined;
				const packets = definedNumbers(g.runs.map(r => r.report?.stats.packetsSent));
				return [
					g.name,
					g.server,
					spread(walls),
					spread(definedNumbers(g.runs.map(r => r.report?.durationMs))),
					mb(maxRss),
					packets.length > 0 ? String(median(packets)) : '-',
					verdictCell(g),
					pacingCell(g),
					`wall ${vsTarget(median(walls) / 1000, (g.targetMs ?? 0) / 1000, 's')}; RSS ${vsTarget(maxRss === undefined ? undefined : maxRss / 1024, TARGET.rssMb, 'MB')}`,
				];
			}),
		),
		'',
	);
	out.push(
		"Wall = `ip netns exec` + node start-up + the whole check + JSON output, measured around the process; durationMs = the report's own (server selection + sweep + rechecks).",
		...notes.map(n => `${n}`),
		'',
	);

	out.push(
		`## 2. Baseline: Debian \`stun\` client, one port at a time (sample of ${samplePorts.length} ports: ${samplePorts.join(', ')})`,
		'',
	);
	out.push(
		...table(
			[
				'Scenario',
				'Server',
				'Per port mean (min–max)',
				'Sample total',
				`Extrapolated to ${fullCount} ports`,
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
					`${sec(mean * fullCount)} (${((mean * fullCount) / 60_000).toFixed(1)} min)`,
					classes + (b.failures > 0 ? ` (${b.failures} without a result)` : ''),
				];
			}),
		),
		'',
		'`stun <server> -v -p <port>` in the PBX namespace (it uses ports P and P+1), conntrack flushed before each; the time includes process start-up.',
		'',
	);

	out.push(
		`## 3. Floor: bare Node, bind ${fullCount} ports + one Binding each to coturn ${ADDR.coturn[0]}:3478, forward-all`,
		'',
	);
	const okFloors = floors.filter(f => f.summary);
	out.push(
		...table(
			['Runs', 'Wall median (min–max)', 'In-script total median', 'Bind median', 'Send→last reply median', 'Replies'],
			[
				[
					String(floors.length),
					spread(floors.map(f => f.wallMs)),
					ms(median(okFloors.map(f => f.summary!.totalMs))),
					ms(median(okFloors.map(f => f.summary!.bindMs))),
					ms(median(okFloors.map(f => f.summary!.exchangeMs))),
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
	);

	out.push(
		`## 4. Hostile routers, ports ${SMALL[0]}–${SMALL[1]} (${SMALL[1] - SMALL[0] + 1} ports), coturn, ${RUNS} runs each, all ok expected`,
		'',
	);
	out.push(
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
				String(median(definedNumbers(g.runs.map(r => r.report?.stats.packetsSent)))),
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
	);

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

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(`bench: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		process.exitCode = 1;
	},
);
