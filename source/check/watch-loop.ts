/**
 * Watching without a screen (--watch): after the first check, the failed and busy ports are
 * checked again every pause until they pass, the user stops it, or an hour is up. Each round is
 * an ordinary check of those ports through the same runner, so the pacer and the recheck rules
 * hold; the service checks run again only when they failed (watch-rules.ts decides all of it).
 */
import type {Clock} from '../net/clock.js';
import type {SweepRunner} from './sweep.js';
import type {CheckConfig, CheckReport} from './types.js';
import type {VerdictCode} from './verdict-types.js';
import {failingServiceCode} from './report-model.js';
import {type WatchStop, mergeWatchRound, servicesToRecheck, startedToPass, watchStop, watchedPorts} from './watch-rules.js';

/** What one round found. */
export interface WatchRound {
	/** 1 for the first round after the check. */
	round: number;
	/** When the round ended, on the wall clock (Date.now()'s scale). */
	at: number;
	/** Watched ports that pass now. */
	passing: number[];
	/** Watched ports that still fail but with another verdict, by their new verdict. */
	changed: Array<{code: VerdictCode; ports: number[]}>;
	/** Ports still failing or busy. */
	left: number[];
	/** When the round ran the failed service checks again: their first failing code now, or null when they pass. */
	services?: {before: VerdictCode | null; after: VerdictCode | null};
	/** The round could not run (no server answered): its results were left out, watching goes on. */
	notRun?: string;
	/** The whole report after the round. */
	report: CheckReport;
}

export interface WatchOptions {
	pauseMs: number;
	signal: AbortSignal;
	/** The pauses and the hour (virtual in tests). */
	clock: Clock;
	/** The time a person reads, for "ok since 14:03:12". */
	wallClock: () => number;
	onRound: (round: WatchRound) => void;
}

export interface WatchOutcome {
	/** The last complete result: a round cut short by a stop is left out. */
	report: CheckReport;
	stopped: WatchStop;
	rounds: number;
}

/** Resolves true after `ms`, or false at once when `signal` aborts first. */
const pause = async (clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> =>
	new Promise(resolve => {
		if (signal.aborted) {
			resolve(false);
			return;
		}

		const onAbort = () => {
			clock.clearTimeout(timer);
			resolve(false);
		};

		const timer = clock.setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve(true);
		}, ms);
		signal.addEventListener('abort', onAbort, {once: true});
	});

/** Ports whose verdict changed without passing, grouped by the new verdict. */
const changedVerdicts = (before: CheckReport, after: CheckReport, watched: readonly number[]): WatchRound['changed'] => {
	const was = new Map(before.ports.map(result => [result.port, result.code]));
	const watchedSet = new Set(watched);
	const byCode = new Map<VerdictCode, number[]>();
	for (const result of after.ports) {
		if (watchedSet.has(result.port) && result.status !== 'pass' && result.code !== null && result.code !== was.get(result.port)) {
			byCode.set(result.code, [...(byCode.get(result.code) ?? []), result.port]);
		}
	}

	return [...byCode].map(([code, ports]) => ({code, ports}));
};

/** Rounds after `first` until every watched port passes, `signal` aborts, or an hour is up. */
export const watchUntilPass = async (
	config: CheckConfig,
	first: CheckReport,
	run: SweepRunner,
	{pauseMs, signal, clock, wallClock, onRound}: WatchOptions,
): Promise<WatchOutcome> => {
	const startedAt = clock.now();
	let report = first;
	let round = 0;
	// Bounded: watchStop ends it an hour after it started, whatever the rounds do.
	for (;;) {
		const ports = watchedPorts(report.ports);
		const stopped = watchStop({interrupted: signal.aborted, left: ports.length, elapsedMs: clock.now() - startedAt});
		if (stopped) {
			return {report, stopped, rounds: round};
		}

		if (!(await pause(clock, pauseMs, signal))) {
			return {report, stopped: 'stopped', rounds: round};
		}

		round++;
		const services = servicesToRecheck(config.services, report);
		const result = await run({...config, ports, services}, {signal, onEvent: () => undefined});
		if (signal.aborted || result.status === 'cancelled') {
			return {report, stopped: 'stopped', rounds: round - 1};
		}

		if (result.status === 'error') {
			onRound({round, at: wallClock(), passing: [], changed: [], left: ports, notRun: result.message, report});
			continue;
		}

		const next = mergeWatchRound(report, result);
		onRound({
			round,
			at: wallClock(),
			passing: startedToPass(ports, result.ports),
			changed: changedVerdicts(report, next, ports),
			left: watchedPorts(next.ports),
			...(services && {
				services: {before: failingServiceCode(report) ?? null, after: failingServiceCode(next) ?? null},
			}),
			report: next,
		});
		report = next;
	}
};
