import {currentLanguage, english, words} from './active.js';
import type {Messages} from './messages.js';

type NoteKey = keyof Messages['notes'];
type Reading = {key: NoteKey; pattern: RegExp};

/** Stands in for each value while the English entry is turned into a pattern. */
const slot = (index: number): string => `\u0000${index}\u0000`;

/** An entry with its values: a sentence as it is, or a function of the values. */
const say = (entry: unknown, values: string[]): string =>
	typeof entry === 'function' ? (entry as (...values: string[]) => string)(...values) : String(entry);

const escape = (text: string): string => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each English note entry as a pattern that finds it in a finished note, its values captured:
 * `${tool} is not installed` reads "tracepath is not installed" back as tool = "tracepath".
 * Entries with more fixed words come first, so that a short one cannot swallow a longer one.
 */
const readings: Reading[] = Object.entries(english.notes)
	.map(([key, entry]) => {
		const text = say(
			entry,
			Array.from({length: typeof entry === 'function' ? entry.length : 0}, (_, index) => slot(index)),
		);
		const source = escape(text).replaceAll(/\0(\d+)\0/g, '([\\s\\S]*?)');
		return {key: key as NoteKey, pattern: new RegExp(`^${source}$`), fixed: text.replaceAll(/\0\d+\0/g, '').length};
	})
	.sort((a, b) => b.fixed - a.fixed)
	.map(({key, pattern}) => ({key, pattern}));

const said = new Map<string, string>();

const sentenceEnd = /\. [\p{Lu}\d]/u;

/** The note said through the one entry it was made from, if any entry made it. */
const sayWhole = (note: string, catalog: Messages): string | undefined => {
	for (const {key, pattern} of readings) {
		const match = pattern.exec(note);
		// A value that runs over a sentence's end is two entries read as one: try the next.
		if (match && !match.slice(1).some(value => sentenceEnd.test(value))) {
			return say(catalog.notes[key], match.slice(1));
		}
	}

	return undefined;
};

/**
 * A note the engine wrote (in English, as the report keeps it) in the chosen language: the same
 * entry of the catalog, with the same values. A note no entry matches is shown as it is.
 */
export const sayNote = (note: string): string => {
	const catalog = words();
	if (catalog === english) {
		return note;
	}

	const cacheKey = `${currentLanguage()}\u0000${note}`;
	let text = said.get(cacheKey);
	if (text === undefined) {
		text = sayWhole(note, catalog);
		if (text === undefined) {
			// A note made of two entries (a finding, then what could not be read): each sentence alone.
			const sentences = note.split(/(?<=\.) (?=[\p{Lu}\d])/u);
			text =
				sentences.length > 1
					? sentences.map(sentence => sayWhole(sentence, catalog) ?? sentence).join(catalog.common.sentenceJoiner)
					: note;
		}

		if (said.size > 2048) {
			said.clear();
		}

		said.set(cacheKey, text);
	}

	return text;
};
