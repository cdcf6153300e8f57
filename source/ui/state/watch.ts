/**
 * Watch mode: the failed and busy ports are re-run round after round (each round a re-run, so the
 * pacer and the recheck rules hold) until they all pass, the user stops it, or an hour is up.
 * The pause between rounds is the hook's (hooks/use-watch.ts); what a round changed is decided here.
 */
import {words} from '../../catalog/index.js';
import {servicesToRecheck, startedToPass, watchStop} from '../../check/watch-rules.js';
import {describePorts} from '../../ports/ranges.js';
import {rerun} from './run-control.js';
import {isRunning, rerunPorts} from './selectors.js';
import type {SweepState, WatchState} from './types.js';

/** A re-run as a watch round: the service checks run again only if they failed. */
const rerunRound = (state: SweepState): SweepState => {
	const next = rerun(state);
	if (next.run.id === state.run.id) {
		return next;
	}

	const servicesAsked = state.report ? (servicesToRecheck(state.config.services, state.report) ?? null) : undefined;
	return servicesAsked === undefined ? next : {...next, run: {...next.run, servicesAsked}};
};

/** w: start watching (a first round at once), or stop. */
export const toggleWatch = (state: SweepState, now: number): SweepState => {
	if (state.watch && !state.watch.stopped) {
		return {
			...state,
			watch: {...state.watch, stopped: 'stopped'},
			notice: {text: words().tui.watch.noticeStopped, tone: 'muted'},
		};
	}

	if (isRunning(state)) {
		return {...state, notice: {text: words().tui.watch.stillRunning, tone: 'warn'}};
	}

	if (rerunPorts(state.rows).length === 0) {
		return {...state, notice: {text: words().tui.watch.nothingToWatch, tone: 'muted'}};
	}

	const watch: WatchState = {startedAt: now, round: 1, lastRoundAt: null, passing: [], bells: 0, stopped: null};
	return {...rerunRound(state), watch};
};

/** The pause is over: the next round, unless watch stopped or a run is going. */
export const watchRound = (state: SweepState): SweepState => {
	const {watch} = state;
	if (!watch || watch.stopped || isRunning(state)) {
		return state;
	}

	return {...rerunRound(state), watch: {...watch, round: watch.round + 1}};
};

/**
 * A round ended (`before` is the state as the run went, `after` as it ended): which ports started
 * to pass, and whether watch goes on. A bell is asked for once per round that brought a pass.
 */
export const afterWatchRound = (before: SweepState, after: SweepState, now: number): SweepState => {
	const {watch} = after;
	if (!watch || watch.stopped || !isRunning(before) || isRunning(after)) {
		return after;
	}

	const nowPass = startedToPass(
		before.run.ports,
		after.rows.flatMap(row => (row.result ? [row.result] : [])),
	);
	const ranges = nowPass.length > 0 ? describePorts(nowPass) : '';
	const stopped = watchStop({
		interrupted: after.run.phase === 'failed' || Boolean(after.run.cancelledAt),
		left: rerunPorts(after.rows).length,
		elapsedMs: now - watch.startedAt,
	});
	return {
		...after,
		watch: {
			...watch,
			lastRoundAt: now,
			passing: ranges ? [...watch.passing, {ranges, since: now}] : watch.passing,
			bells: watch.bells + (ranges ? 1 : 0),
			stopped,
		},
	};
};
