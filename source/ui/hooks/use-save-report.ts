import path from 'node:path';
import {type Dispatch, useEffect, useEffectEvent, useMemo} from 'react';
import {SaveError, saveReport} from '../../report/save.js';
import {placeAfter, savePlaces} from '../../report/save-places.js';
import type {Intent, SaveFailure, SweepState} from '../state/types.js';

const failureOf = (error: unknown, directory: string): SaveFailure =>
	error instanceof SaveError
		? {directory: error.directory, code: error.code ?? null, message: error.message, kept: error.kept}
		: {directory, code: null, message: error instanceof Error ? error.message : String(error), kept: null};

/**
 * Writes the report when the reducer accepts a save request, and reports back where; when a
 * place cannot be written, names the next one (the state directory, then the temp dir).
 */
export const useSaveReport = (state: SweepState, dispatch: Dispatch<Intent>, directory: string): void => {
	const {request, phase, directory: target} = state.save;
	const {report} = state;
	const places = useMemo(() => savePlaces(directory), [directory]);
	const save = useEffectEvent(() => {
		if (phase !== 'saving' || !report) {
			return;
		}

		const wanted = path.resolve(target ?? directory);
		const place = places.find(each => each.directory === wanted) ?? places[0]!;
		saveReport(report, place.directory, new Date(), {createDirectory: place.create, mode: place.mode}).then(
			paths => {
				dispatch({type: 'saved', request, paths});
			},
			(error: unknown) => {
				const failure = failureOf(error, place.directory);
				dispatch({type: 'save-failed', request, failure, offer: placeAfter(places, failure.directory).directory});
			},
		);
	});
	// One write per request, whatever else changes meanwhile.
	useEffect(() => {
		save();
	}, [request]);
};
