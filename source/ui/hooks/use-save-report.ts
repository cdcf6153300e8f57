import {type Dispatch, useEffect, useEffectEvent} from 'react';
import {saveReport} from '../../report/save.js';
import type {Intent, SweepState} from '../state/types.js';

/** Writes the report when the reducer accepts a save request, and reports back where. */
export const useSaveReport = (state: SweepState, dispatch: Dispatch<Intent>, directory: string): void => {
	const {request, phase} = state.save;
	const {report} = state;
	const save = useEffectEvent(() => {
		if (phase !== 'saving' || !report) {
			return;
		}

		saveReport(report, directory).then(
			paths => {
				dispatch({type: 'saved', request, paths});
			},
			(error: unknown) => {
				dispatch({type: 'save-failed', request, error: error instanceof Error ? error.message : String(error)});
			},
		);
	});
	// One write per request, whatever else changes meanwhile.
	useEffect(() => {
		save();
	}, [request]);
};
