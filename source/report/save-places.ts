import {tmpdir} from 'node:os';
import path from 'node:path';
import {stateDirectory} from '../system/recent-checks-file.js';

/** A directory a report may be saved in, and how fwcheck treats it. */
export interface SavePlace {
	directory: string;
	/** fwcheck's own places are created when missing; the user's choice is not. */
	create: boolean;
	/** Mode of the files there: private where other users may look (the temp dir). */
	mode: number;
}

/**
 * Where `s` saves, in order: the directory the user chose, then fwcheck's state directory
 * ($XDG_STATE_HOME/fwcheck or ~/.local/state/fwcheck), then the OS temp dir; each once.
 */
export const savePlaces = (
	chosen: string,
	{state = stateDirectory(), temporary = tmpdir()}: {state?: string; temporary?: string} = {},
): SavePlace[] => {
	const places: SavePlace[] = [
		{directory: path.resolve(chosen), create: false, mode: 0o666},
		{directory: path.resolve(state), create: true, mode: 0o666},
		{directory: path.resolve(temporary), create: false, mode: 0o600},
	];
	return places.filter((place, index) => places.findIndex(each => each.directory === place.directory) === index);
};

/** The place to offer after `failed`: the next one, and after the last the first again. */
export const placeAfter = (places: SavePlace[], failed: string): SavePlace => {
	const index = places.findIndex(place => place.directory === path.resolve(failed));
	return places[(index + 1) % places.length]!;
};
