/**
 * The user's side of a run: cancel, quit, re-run what failed (saving is save-flow's). The engine
 * is driven by effects that watch what these change (the run id, the phase).
 */
import {words} from '../../catalog/index.js';
import {newRun} from './initial-state.js';
import {back, settle} from './navigation.js';
import {isRunning, rerunPorts} from './selectors.js';
import type {SweepState} from './types.js';

const sweeping = (state: SweepState): boolean => state.run.phase === 'starting' || state.run.phase === 'running';

const stop = (state: SweepState): SweepState =>
	sweeping(state) ? {...state, run: {...state.run, phase: 'cancelling'}, notice: null} : state;

export const cancel = (state: SweepState): SweepState =>
	isRunning(state) ? stop(state) : {...state, notice: {text: words().tui.notices.nothingToCancel, tone: 'muted'}};

/** First Ctrl+C stops the sweep; the next one (or one after it stopped) quits. */
export const interrupt = (state: SweepState): SweepState => (sweeping(state) ? stop(state) : {...state, quitting: true});

/** q closes what is open; over the table it stops a sweep first (and arms a second q), else quits. */
export const quit = (state: SweepState): SweepState => {
	if (state.prompt !== null || state.pane.kind !== 'table') {
		return back(state);
	}

	return sweeping(state) ? {...stop(state), quitArmed: true} : {...state, quitting: true};
};

export const rerun = (state: SweepState): SweepState => {
	if (isRunning(state)) {
		return {
			...state,
			notice: {text: words().tui.notices.stillRunning, tone: 'warn'},
		};
	}

	const ports = rerunPorts(state.rows);
	if (ports.length === 0) {
		return {...state, notice: {text: words().tui.notices.nothingToRerun, tone: 'muted'}};
	}

	const again = new Set(ports);
	const rows = state.rows.map(row => (again.has(row.port) ? {...row, phase: 'queued' as const} : row));
	return settle({
		...state,
		rows,
		run: newRun(state.run.id + 1, ports),
		pacing: null,
		follow: true,
		pane: {kind: 'table'},
		notice: null,
		quitArmed: false,
	});
};
