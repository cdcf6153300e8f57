// One `fwcheck --json` run under the measuring wrapper.
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {logger} from '../../scripts/support/log.js';
import {CLI, REPO} from '../../scripts/support/paths.js';
import {GNU_TIME} from '../../scripts/support/resources.js';
import {RUN_TIMEOUT_MS} from './config.js';
import {killMeasured, readMeasure, watchRss} from './measure.js';
import type {Measure} from './measure.js';

const log = logger('bench:tui');

export type JsonRun = Measure & {wallS: number; crash: string | undefined; status: string | undefined; counts: string};

export async function runJson(tmp: string, label: string, args: string[], gnu: boolean): Promise<JsonRun> {
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
		killMeasured(out);
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
