/**
 * A TUI run as its reducer saw it: what the state started from, then every intent in order.
 * Replaying the first n intents rebuilds the state the screen showed after them, so a recorded
 * screenshot can be drawn again and compared (`npm run media` records one per session).
 */
import type {CheckConfig} from '../../check/types.js';
import {createState} from './initial-state.js';
import {reducer} from './reducer.js';
import type {Intent, ScreenMeasure, SweepState} from './types.js';

/** createState's inputs but the measure (a function: the replay brings its own). */
export interface RecordedStart {
	config: CheckConfig;
	columns: number;
	rows: number;
	now: number;
	localAddress?: string;
	caption?: string;
	tag?: string;
}

export type RecordedEntry = {start: RecordedStart} | {intent: Intent};

/** The state after the start and the first `intents` intents of a recording. */
export const replayRecording = (entries: readonly RecordedEntry[], intents: number, measure: ScreenMeasure): SweepState => {
	const [first, ...rest] = entries;
	if (!first || !('start' in first)) {
		throw new Error('a recording starts with its start entry');
	}

	if (intents > rest.length) {
		throw new Error(`the recording holds ${rest.length} intents, not ${intents}`);
	}

	let state = createState(first.start.config, {...first.start, measure});
	for (const entry of rest.slice(0, intents)) {
		if (!('intent' in entry)) {
			throw new Error('a recording has one start entry, first');
		}

		state = reducer(state, entry.intent);
	}

	return state;
};
