/**
 * Saving the report: `s` asks, an effect (hooks/use-save-report) writes the files and reports
 * back. When a place cannot be written the effect names the next one, and `s` again saves there;
 * the report stays in memory whatever the files do. ui/text/save-lines words every step.
 */
import {settle} from './navigation.js';
import {isRunning} from './selectors.js';
import type {IntentOf, SweepState} from './types.js';

export const save = (state: SweepState): SweepState => {
	if (isRunning(state) || !state.report) {
		return {...state, notice: {about: 'nothing-to-save'}};
	}

	const {phase, offer, directory} = state.save;
	// Back to the table, where the banner will say where the files went.
	return settle({
		...state,
		pane: {kind: 'table'},
		save: {
			request: state.save.request + 1,
			phase: 'saving',
			// After a failure the offered place; else where the last save went.
			directory: phase === 'failed' && offer !== null ? offer : directory,
			paths: null,
			failure: null,
			offer: null,
		},
		notice: {about: 'save'},
	});
};

export const saved = (state: SweepState, {request, paths}: IntentOf<'saved'>): SweepState => {
	if (request !== state.save.request) {
		return state;
	}

	return {...state, save: {...state.save, phase: 'saved', paths}, notice: {about: 'save'}};
};

export const saveFailed = (state: SweepState, {request, failure, offer}: IntentOf<'save-failed'>): SweepState =>
	request === state.save.request
		? {...state, save: {...state.save, phase: 'failed', failure, offer}, notice: {about: 'save'}}
		: state;
