import type {SaveFailure, SweepState} from '../state/types.js';
import type {Tone} from '../tone.js';

/** What stopped a save, in a person's words; the system's message when there are none. */
const reasons: Record<string, string> = {
	ENOSPC: 'the disk is full',
	EDQUOT: 'the disk quota is used up',
	EACCES: 'no permission to write there',
	EPERM: 'no permission to write there',
	EROFS: 'the file system is read-only',
	ENOENT: 'the directory does not exist',
	ENOTDIR: 'it is not a directory',
};

const reasonOf = (failure: SaveFailure): string =>
	(failure.code === null ? undefined : reasons[failure.code]) ?? (failure.message.split('\n')[0] ?? '').trim();

const failedText = (failure: SaveFailure, offer: string | null): string => {
	const kept = failure.kept ? ` (only ${failure.kept} was written)` : '';
	const next = offer === null || offer === failure.directory ? 'Press s to try again.' : `Press s to save in ${offer}.`;
	return `Could not save in ${failure.directory}: ${reasonOf(failure)}${kept}. ${next}`;
};

/** The notice about saving: asked too early, under way, saved, or failed with the next place to try. */
export const saveNotice = (state: SweepState, about: 'save' | 'nothing-to-save'): {text: string; tone: Tone} => {
	const {save} = state;
	if (about === 'nothing-to-save') {
		return {text: 'Nothing to save yet: the report is ready when the check stops.', tone: 'warn'};
	}

	if (save.phase === 'saved' && save.paths) {
		return {text: `Saved ${save.paths.markdownPath} and ${save.paths.jsonPath}`, tone: 'ok'};
	}

	if (save.phase === 'failed' && save.failure) {
		return {text: failedText(save.failure, save.offer), tone: 'bad'};
	}

	return {text: save.directory === null ? 'Saving the report…' : `Saving the report in ${save.directory}…`, tone: 'info'};
};
