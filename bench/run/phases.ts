// The bench's four measurements on the lab: fwcheck over the full range (all open, all closed;
// coturn and stund), Debian's `stun` client one port at a time, the bare-Node floor, and
// fwcheck behind a lossy and a rate-limited router.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {ADDR, HOSTS} from '../../lab/lab.js';
import type {RouterScenario} from '../../lab/lab.js';
import {logger} from '../../scripts/support/log.js';
import {FLOOR_SCRIPT} from '../floor.js';
import type {FloorSummary} from '../floor.js';
import {FLOOR_WAIT_MS, FULL, FULL_COUNT, SMALL, SMALL_COUNT, STUN_SAMPLE, TARGET} from './config.js';
import {ms, mb} from './format.js';
import {runFwcheck} from './fwcheck-run.js';
import type {FwRun, RunContext} from './fwcheck-run.js';
import {codesText, judge} from './judge.js';
import type {Judgement} from './judge.js';

const log = logger('bench');

export type BenchContext = RunContext & {runs: number};

export type Group = {
	name: string;
	server: string;
	expected: string;
	portCount: number;
	runs: Array<FwRun & {judgement: Judgement}>;
	targetMs?: number;
};

export type StunBaseline = {scenario: string; server: string; times: number[]; classes: string[]; failures: number};

export type FloorRun = {wallMs: number; summary: FloorSummary | undefined; error?: string};

const SERVERS = [
	{name: 'coturn', host: HOSTS.coturn, ip: ADDR.coturn[0]},
	{name: 'stund', host: HOSTS.stund, ip: ADDR.stund[0]},
];

const SCENARIOS: Array<{name: string; scenario: RouterScenario; expected: string; targetMs: number}> = [
	{name: 'all open (forward-all)', scenario: {kind: 'forward-all', ports: FULL}, expected: 'ok', targetMs: TARGET.openMs},
	{name: 'all closed (masquerade)', scenario: {kind: 'masquerade'}, expected: 'inbound-blocked', targetMs: TARGET.closedMs},
];

const HOSTILE: Array<{name: string; scenario: RouterScenario}> = [
	{name: '10% loss (forward-all, loss 0.1)', scenario: {kind: 'forward-all', ports: FULL, loss: 0.1}},
	{name: 'rate limit 300/s (forward-all, ratelimit 300)', scenario: {kind: 'forward-all', ports: FULL, ratelimit: 300}},
];

/** 1. Full range, all open / all closed, against each server. */
export async function measureFullRange(context: BenchContext): Promise<Group[]> {
	const {lab} = context;
	const groups: Group[] = [];
	const fullArgs = ['--json', '--ports', `${FULL[0]}-${FULL[1]}`];
	for (const sc of SCENARIOS) {
		await lab.setRouter(sc.scenario);
		for (const server of SERVERS) {
			const group: Group = {
				name: sc.name,
				server: server.name,
				expected: sc.expected,
				portCount: FULL_COUNT,
				runs: [],
				targetMs: sc.targetMs,
			};
			for (let i = 1; i <= context.runs; i++) {
				await lab.flushConntrack();
				const label = `${sc.name} / ${server.name} #${i}`;
				const run = await runFwcheck(context, label, [...fullArgs, '--stun', server.host]);
				const judgement = judge(run.report, sc.expected, FULL_COUNT);
				group.runs.push({...run, judgement});
				log(
					`${label}: wall ${ms(run.wallMs)}, report ${ms(run.report?.durationMs)}, rss ${mb(run.rssKb)}, ${codesText(judgement.codes)}${judgement.exact ? '' : ' (NOT EXACT)'}`,
				);
			}
			groups.push(group);
		}
	}
	return groups;
}

/** The ports Debian's stun client is timed on: spread over the full range, even (it uses P and P+1). */
export const STUN_SAMPLE_PORTS = Array.from(
	{length: STUN_SAMPLE},
	(_, i) => FULL[0] + Math.floor((i * (FULL_COUNT - 2)) / STUN_SAMPLE / 2) * 2,
);

/** 2. Debian's stun client, one port at a time, on a sample. */
export async function measureStunClient({lab}: BenchContext): Promise<StunBaseline[]> {
	const baselines: StunBaseline[] = [];
	for (const sc of SCENARIOS) {
		await lab.setRouter(sc.scenario);
		for (const server of SERVERS) {
			const baseline: StunBaseline = {scenario: sc.name, server: server.name, times: [], classes: [], failures: 0};
			for (const port of STUN_SAMPLE_PORTS) {
				await lab.flushConntrack();
				const started = performance.now();
				const r = await lab.debianStun(server.ip, port);
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
	return baselines;
}

/** 3. The floor: a bare Node script binding every port and sending one Binding from each. */
export async function measureFloor({lab, tmp, runs}: BenchContext): Promise<FloorRun[]> {
	await lab.setRouter({kind: 'forward-all', ports: FULL});
	const floorFile = path.join(tmp, 'floor.mjs');
	writeFileSync(floorFile, FLOOR_SCRIPT);
	const floors: FloorRun[] = [];
	for (let i = 1; i <= runs; i++) {
		await lab.flushConntrack();
		const started = performance.now();
		const r = await lab.exec(
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
			floors.push({wallMs, summary: undefined, error: `exit ${r.exitCode ?? r.signal}: ${r.stderr.trim().slice(0, 300)}`});
			log(`floor #${i}: CRASH ${r.stderr.trim().slice(0, 500)}`);
		}
	}
	return floors;
}

/** 4. Loss and rate limit on a smaller range, coturn, all ok expected. */
export async function measureHostile(context: BenchContext): Promise<Group[]> {
	const {lab} = context;
	const hostileGroups: Group[] = [];
	for (const h of HOSTILE) {
		await lab.setRouter(h.scenario);
		const group: Group = {name: h.name, server: 'coturn', expected: 'ok', portCount: SMALL_COUNT, runs: []};
		for (let i = 1; i <= context.runs; i++) {
			await lab.flushConntrack();
			const label = `${h.name} #${i}`;
			const run = await runFwcheck(context, label, ['--json', '--ports', `${SMALL[0]}-${SMALL[1]}`, '--stun', HOSTS.coturn]);
			const judgement = judge(run.report, 'ok', SMALL_COUNT);
			group.runs.push({...run, judgement});
			log(
				`${label}: wall ${ms(run.wallMs)}, report ${ms(run.report?.durationMs)}, ${codesText(judgement.codes)}${judgement.exact ? '' : ' (NOT EXACT)'}, slowdowns ${run.report?.pacing.slowdowns.length ?? '-'}`,
			);
		}
		hostileGroups.push(group);
	}
	return hostileGroups;
}
