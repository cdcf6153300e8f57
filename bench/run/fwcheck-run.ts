// One `fwcheck --json` run in the lab's PBX namespace: wall time, peak RSS (GNU time, or VmHWM
// polled every 5 ms), the parsed report, and whether it counts as a crash.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {execa} from 'execa';
import type {ReportJson} from '../../source/report/json.js';
import {NS} from '../../lab/lab.js';
import type {Lab} from '../../lab/lab.js';
import {logger} from '../../scripts/support/log.js';
import {CLI, REPO} from '../../scripts/support/paths.js';
import {GNU_TIME, parseGnuTime, vmHwmKb} from '../../scripts/support/resources.js';
import {FWCHECK_TIMEOUT_MS} from './config.js';
import {udpDropsText, udpSnapshot} from './udp-drops.js';

const log = logger('bench');

export type RssMode = 'gnu-time' | 'poll-vmhwm';

export type FwRun = {
	label: string;
	args: string[];
	wallMs: number;
	rssKb: number | undefined;
	/** User + system CPU seconds of the fwcheck process (GNU time only): less skewed by a busy machine than wall time. */
	cpuS?: number;
	exitCode: number | undefined;
	timedOut: boolean;
	report: ReportJson | undefined;
	/** Why this run counts as a crash (no report, timeout, unexpected exit status). */
	crash: string | undefined;
	stderr: string;
	/** Kernel UDP receive/send buffer drops in the PBX and server namespaces during the run. */
	udpDrops?: string;
};

/** What every measured run shares: the lab, how RSS is read, a scratch directory, the CLI run (dist/cli.js unless --cli). */
export type RunContext = {lab: Lab; mode: RssMode; tmp: string; cli?: string};

/** Processes left in the PBX namespace running our CLI (e.g. GNU time killed on a timeout). */
function killStrayFwcheck(cli: string): void {
	const pids = spawnSync('ip', ['netns', 'pids', NS.pbx], {encoding: 'utf8', timeout: 5000}).stdout ?? '';
	for (const pid of pids
		.split('\n')
		.map(Number)
		.filter(n => Number.isInteger(n) && n > 0)) {
		try {
			if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(cli)) process.kill(pid, 'SIGKILL');
		} catch {
			// gone
		}
	}
}

export async function runFwcheck(context: RunContext, label: string, args: string[]): Promise<FwRun> {
	const before = await udpSnapshot(context.lab);
	const run = await runFwcheckOnce(context, label, args);
	const after = await udpSnapshot(context.lab);
	return {...run, udpDrops: udpDropsText(before, after)};
}

type Process = {
	wallMs: number;
	rssKb: number | undefined;
	cpuS?: number;
	exitCode: number | undefined;
	timedOut: boolean;
	stdout: string;
	stderr: string;
};

/**
 * Each run starts with an empty check history of its own: the user's (~/.local/state/fwcheck) is
 * neither read nor written, and no run finds an earlier run's ports there (each would carry a
 * stale-mapping note, which is work and memory a first check on a PBX does not have).
 */
function freshEnv(tmp: string): Record<string, string> {
	const state = path.join(tmp, 'state');
	rmSync(state, {recursive: true, force: true});
	return {NO_COLOR: '1', FORCE_COLOR: '0', FWCHECK_STATE_DIR: state};
}

async function underGnuTime({lab, tmp, cli = CLI}: RunContext, args: string[]): Promise<Process> {
	const timeFile = path.join(tmp, 'time.txt');
	rmSync(timeFile, {force: true});
	const started = performance.now();
	const r = await lab.exec('pbx', GNU_TIME, ['-v', '-o', timeFile, process.execPath, cli, ...args], {
		timeoutMs: FWCHECK_TIMEOUT_MS,
		reject: false,
		cwd: REPO,
		env: freshEnv(tmp),
	});
	const wallMs = performance.now() - started;
	const time = parseGnuTime(existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '');
	if (r.timedOut) killStrayFwcheck(cli);
	// GNU time exits with the command's status (or 128+signal).
	return {
		wallMs,
		rssKb: time.rssKb,
		cpuS: time.userS === undefined || time.sysS === undefined ? undefined : time.userS + time.sysS,
		exitCode: time.exitCode ?? r.exitCode,
		timedOut: r.timedOut,
		stdout: r.stdout,
		stderr: r.stderr,
	};
}

async function pollingVmHwm(args: string[], cli: string, tmp: string): Promise<Process> {
	const started = performance.now();
	const sub = execa('ip', ['netns', 'exec', NS.pbx, process.execPath, cli, ...args], {
		timeout: FWCHECK_TIMEOUT_MS,
		forceKillAfterDelay: 1000,
		reject: false,
		stdin: 'ignore',
		cwd: REPO,
		env: freshEnv(tmp),
	});
	let hwm = 0;
	const poll = setInterval(() => {
		if (sub.pid !== undefined) hwm = Math.max(hwm, vmHwmKb(sub.pid) ?? 0);
	}, 5);
	const r = await sub;
	clearInterval(poll);
	return {
		wallMs: performance.now() - started,
		rssKb: hwm > 0 ? hwm : undefined,
		exitCode: r.exitCode,
		timedOut: r.timedOut,
		stdout: String(r.stdout ?? ''),
		stderr: String(r.stderr ?? ''),
	};
}

async function runFwcheckOnce(context: RunContext, label: string, args: string[]): Promise<FwRun> {
	const {wallMs, rssKb, cpuS, exitCode, timedOut, stdout, stderr} =
		context.mode === 'gnu-time' ? await underGnuTime(context, args) : await pollingVmHwm(args, context.cli ?? CLI, context.tmp);
	let report: ReportJson | undefined;
	let crash: string | undefined;
	try {
		report = JSON.parse(stdout) as ReportJson;
	} catch (error) {
		crash = `no JSON report (${(error as Error).message})`;
	}
	if (timedOut) crash = `timed out after ${FWCHECK_TIMEOUT_MS} ms`;
	else if (exitCode !== 0 && exitCode !== 1) crash = `exit status ${exitCode ?? 'none'}${crash ? `, ${crash}` : ''}`;
	if (crash) log(`${label}: CRASH ${crash}\n${stderr.trim().slice(0, 2000)}`);
	return {label, args, wallMs, rssKb, cpuS, exitCode, timedOut, report, crash, stderr};
}
