/**
 * FWCHECK_RECORD_TUI=<file>: the TUI appends its start and every intent to the file, one JSON
 * line each (ui/state/recording.ts), so that `npm run media` can tie each screenshot to the
 * state it shows. Off unless set; a file that cannot be written ends the recording, not the run.
 */
import {appendFileSync} from 'node:fs';
import type {RecordedEntry} from '../ui/state/recording.js';

export const tuiRecorder = (env: NodeJS.ProcessEnv = process.env): ((entry: RecordedEntry) => void) | undefined => {
	const file = env.FWCHECK_RECORD_TUI;
	if (!file) {
		return undefined;
	}

	let failed = false;
	return entry => {
		if (failed) {
			return;
		}

		try {
			appendFileSync(file, `${JSON.stringify(entry)}\n`);
		} catch {
			// The screen is the user's: no message can go there, and the media script sees the gap.
			failed = true;
		}
	};
};
