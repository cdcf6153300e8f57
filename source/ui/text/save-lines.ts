import {words} from '../../catalog/index.js';
import type {SaveFailure, SweepState} from '../state/types.js';
import type {Tone} from '../tone.js';

/** What stopped a save, in a person's words; the system's message when there are none. */
const reasonOf = (failure: SaveFailure): string => {
	const reasons: Record<string, string> = words().tui.save.reasons;
	return (failure.code === null ? undefined : reasons[failure.code]) ?? (failure.message.split('\n')[0] ?? '').trim();
};

const failedText = (failure: SaveFailure, offer: string | null): string => {
	const said = words().tui.save;
	const kept = failure.kept ? said.onlyKept(failure.kept) : '';
	const next = offer === null || offer === failure.directory ? said.tryAgain : said.saveIn(offer);
	return said.couldNotSave(failure.directory, reasonOf(failure), kept, next);
};

/** The notice about saving: asked too early, under way, saved, or failed with the next place to try. */
export const saveNotice = (state: SweepState, about: 'save' | 'nothing-to-save'): {text: string; tone: Tone} => {
	const {save} = state;
	const said = words().tui.save;
	if (about === 'nothing-to-save') {
		return {text: said.nothingYet, tone: 'warn'};
	}

	if (save.phase === 'saved' && save.paths) {
		return {text: said.saved(save.paths.markdownPath, save.paths.jsonPath), tone: 'ok'};
	}

	if (save.phase === 'failed' && save.failure) {
		return {text: failedText(save.failure, save.offer), tone: 'bad'};
	}

	return {text: save.directory === null ? said.saving : said.savingIn(save.directory), tone: 'info'};
};
