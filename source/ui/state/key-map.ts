import {type Binding, type KeyFlags, type SpecialKey, keyTable} from './key-table.js';
import type {Intent} from './types.js';

export type {KeyFlags} from './key-table.js';

const bindings: readonly Binding[] = keyTable.flatMap(entry => entry.bindings);

const ctrlIntents = new Map(bindings.flatMap(binding => ('ctrl' in binding ? [[binding.ctrl, binding.intent] as const] : [])));

const specialIntents: ReadonlyArray<readonly [SpecialKey, Intent]> = bindings.flatMap(binding =>
	'special' in binding ? [[binding.special, binding.intent] as const] : [],
);

/**
 * A key as an intent. Printable text goes on as a `press`, because what a letter means depends
 * on the state (a digit is a port number while the jump prompt is open): deciding here would
 * read a state that may be a render behind fast typing.
 */
export const keyIntent = (input: string, key: KeyFlags): Intent | undefined => {
	const withCtrl = key.ctrl ? ctrlIntents.get(input) : undefined;
	if (withCtrl) {
		return withCtrl;
	}

	// Backspace edits the jump prompt: not a command, so not in the key table.
	if (key.backspace || key.delete) {
		return {type: 'prompt-backspace'};
	}

	// Ink sets key.meta on a bare Esc too, so the special keys are read before anything reads meta.
	const found = specialIntents.find(([special]) => key[special]);
	if (found) {
		return found[1];
	}

	return !key.ctrl && !key.meta && input !== '' ? {type: 'press', text: input} : undefined;
};

/** Command letters, when the jump prompt is not taking them as text. */
export const letterIntents: Readonly<Record<string, Intent>> = Object.fromEntries(
	bindings.flatMap(binding => ('letter' in binding ? [[binding.letter, binding.intent]] : [])),
);

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
