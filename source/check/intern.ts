/**
 * Values that every port result of a large check would otherwise hold a copy of. A check keeps
 * every result to the end, 32000 of them for a large range: each has three tests' reply sources
 * (nearly always the server's two addresses), lists that are nearly always empty, and sometimes
 * the same note as its neighbours. One shared copy of each keeps the report small.
 */

/** The one empty list results share: frozen, so no result can add to another's. */
export const noStrings: readonly string[] = Object.freeze([]);

/** `items` as a result keeps it: the shared empty list when there are none, else an exact-size copy (push leaves room for 17). */
export const keptList = (items: readonly string[]): readonly string[] => (items.length === 0 ? noStrings : items.slice());

/** Enough for every address and note a check repeats; a flood of distinct ones just starts over. */
const limit = 256;
const known = new Map<string, string>();

/** The one string kept for this text: the first seen equal to it. */
export const internText = (text: string): string => {
	const found = known.get(text);
	if (found !== undefined) {
		return found;
	}

	if (known.size >= limit) {
		known.clear();
	}

	known.set(text, text);
	return text;
};
