import type {Intent} from './types.js';

/** The keys Ink reports that mean something here (a subset of Ink's `Key`, so this stays pure). */
export interface KeyFlags {
	ctrl: boolean;
	meta: boolean;
	escape: boolean;
	return: boolean;
	backspace: boolean;
	delete: boolean;
	upArrow: boolean;
	downArrow: boolean;
	leftArrow: boolean;
	rightArrow: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home: boolean;
	end: boolean;
}

/**
 * A key as an intent. Printable text goes on as a `press`, because what a letter means depends
 * on the state (a digit is a port number while the jump prompt is open): deciding here would
 * read a state that may be a render behind fast typing.
 */
export const keyIntent = (input: string, key: KeyFlags): Intent | undefined => {
	if (key.ctrl && input === 'c') {
		return {type: 'interrupt'};
	}

	// Ink sets key.meta on a bare Esc too, so Esc is tested before anything reads meta.
	if (key.escape) {
		return {type: 'back'};
	}

	if (key.return) {
		return {type: 'enter'};
	}

	if (key.backspace || key.delete) {
		return {type: 'prompt-backspace'};
	}

	const special: Array<[boolean, Intent]> = [
		[key.upArrow, {type: 'move', delta: -1}],
		[key.downArrow, {type: 'move', delta: 1}],
		[key.pageUp, {type: 'page', delta: -1}],
		[key.pageDown, {type: 'page', delta: 1}],
		[key.home, {type: 'edge', to: 'first'}],
		[key.end, {type: 'edge', to: 'last'}],
		[key.leftArrow, {type: 'step', delta: -1}],
		[key.rightArrow, {type: 'step', delta: 1}],
	];
	const found = special.find(([pressed]) => pressed);
	if (found) {
		return found[1];
	}

	return !key.ctrl && !key.meta && input !== '' ? {type: 'press', text: input} : undefined;
};

/** Command letters, when the jump prompt is not taking them as text. */
export const letterIntents: Readonly<Record<string, Intent>> = {
	k: {type: 'move', delta: -1},
	j: {type: 'move', delta: 1},
	g: {type: 'edge', to: 'first'},
	G: {type: 'edge', to: 'last'},
	f: {type: 'filter'},
	'/': {type: 'prompt-open'},
	':': {type: 'prompt-open'},
	F: {type: 'summary'},
	n: {type: 'router'},
	v: {type: 'services'},
	'?': {type: 'help'},
	c: {type: 'cancel'},
	q: {type: 'quit'},
	r: {type: 'rerun'},
	s: {type: 'save'},
};

export const letterIntent = (letter: string): Intent | undefined =>
	Object.hasOwn(letterIntents, letter) ? letterIntents[letter] : undefined;

/**
 * Text that came in one piece (a paste, or keys typed faster than the terminal sends them apart,
 * "/9500⏎") as one intent per character, a newline being Enter; undefined for a single key.
 */
export const splitPress = (text: string): Intent[] | undefined => {
	const chars = [...text];
	return chars.length > 1
		? chars.map((char): Intent => (char === '\r' || char === '\n' ? {type: 'enter'} : {type: 'press', text: char}))
		: undefined;
};
