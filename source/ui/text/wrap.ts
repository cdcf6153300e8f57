import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import {currentLocale} from '../../catalog/index.js';
import {breakLines, hasCjk} from '../../words/line-break.js';
import {type Line, type Segment} from './line.js';

/**
 * Answers kept per string, a bounded number. string-width segments graphemes and checks each
 * against emoji and East Asian Width tables: tens of microseconds for a short non-ASCII string
 * on Node 20, while the table asks again for the same cells ("⠋ checking", "✔ pass 23.4ms")
 * on every tick.
 */
const remembered = <T>(compute: (key: string) => T, limit = 4096): ((key: string) => T) => {
	const answers = new Map<string, T>();
	return key => {
		let answer = answers.get(key);
		if (answer === undefined) {
			if (answers.size >= limit) {
				answers.clear();
			}

			answer = compute(key);
			answers.set(key, answer);
		}

		return answer;
	};
};

/**
 * Terminal cells, as Ink counts them: CJK and other wide characters take two, combining marks
 * none. Everything here measures with it, so a Japanese process name or a localized `tasklist`
 * stays inside the columns it was given.
 */
export const width: (text: string) => number = remembered(text => stringWidth(text));

/**
 * cli-truncate keeps a wide character whole when the cut falls in its middle (slice-ansi keeps
 * graphemes intact), which makes the result one cell too wide: cut again a cell shorter then.
 */
const truncateNow = (text: string, size: number, position: 'start' | 'end'): string => {
	for (let room = size; room > 0; room--) {
		const cut = cliTruncate(text, room, {position});
		if (width(cut) <= size) {
			return cut;
		}
	}

	return '';
};

/** Keyed "position\0size\0text"; the text comes last, so whatever it holds cannot shift the rest. */
const truncated = remembered(key => {
	const [position, size] = key.split('\0', 2) as ['start' | 'end', string];
	return truncateNow(key.slice(position.length + size.length + 2), Number(size), position);
});

const truncate = (text: string, size: number, position: 'start' | 'end'): string =>
	width(text) <= size ? text : truncated(`${position}\0${size}\0${text}`);

/** Cut to `size` cells (with an ellipsis when something was cut) and pad to exactly `size`. */
export const fit = (text: string, size: number): string => {
	if (size <= 0) {
		return '';
	}

	const cut = truncate(text, size, 'end');
	return cut + ' '.repeat(size - width(cut));
};

/** Like fit, but cut at the start: for addresses, where the port at the end matters most. */
export const fitEnd = (text: string, size: number): string =>
	width(text) > size && size > 1 ? fit(truncate(text, size, 'start'), size) : fit(text, size);

const wrapped = remembered(key => {
	const size = key.slice(0, key.indexOf('\0'));
	const text = key.slice(size.length + 1);
	// Japanese puts no spaces between words: break where its word segmenter and line rules allow.
	return Object.freeze(
		hasCjk(text) ? breakLines(text, Number(size), currentLocale()) : wrapAnsi(text, Number(size), {hard: true}).split('\n'),
	);
}, 512);

/**
 * Word wrap to `size` cells; words longer than a line are split. Keeps explicit newlines.
 * Text in Japanese breaks between its words, never before 、。）」 nor after （「.
 */
export const wrap = (text: string, size: number): readonly string[] => wrapped(`${Math.max(1, size)}\0${text}`);

/** A paragraph as lines: the first line starts with `first`, the following ones with `indent`. */
export const paragraph = (text: string, size: number, style: Omit<Segment, 'text'> = {}, first = '', indent = first): Line[] =>
	wrap(text, size - Math.max(width(first), width(indent))).map((part, index) => [
		{text: index === 0 ? first : indent},
		{...style, text: part},
	]);

/**
 * A line cut to `size` cells as Ink's truncate-end would (an ellipsis at the cut), but never
 * through a wide character: Ink keeps the whole character, one cell past the edge, which wraps
 * the row and pushes the frame down.
 */
export const clip = (value: Line, size: number): Line => {
	const full = value.map(segment => segment.text).join('');
	if (width(full) <= size) {
		return value;
	}

	const cut = truncate(full, size, 'end');
	const kept = cut.endsWith('…') ? cut.slice(0, -1) : cut;
	if (!full.startsWith(kept)) {
		return [{...value[0], text: cut}];
	}

	const clipped: Line = [];
	let left = kept.length;
	for (const segment of value) {
		if (left <= 0) {
			break;
		}

		clipped.push({...segment, text: segment.text.slice(0, left)});
		left -= segment.text.length;
	}

	const last = clipped.at(-1);
	if (cut !== kept) {
		if (last) {
			last.text += '…';
		} else {
			clipped.push({...value[0], text: '…'});
		}
	}

	return clipped;
};

const lineWidth = (value: Line): number => value.reduce((sum, segment) => sum + width(segment.text), 0);

/**
 * Lay out short items on lines, two spaces apart; line i is at most limits[i] wide (the last
 * limit repeats). With `maxLines`, stops there and says how many items fit.
 */
export const pack = (items: Line[], limits: number[], maxLines = Number.POSITIVE_INFINITY): {lines: Line[]; count: number} => {
	const lines: Line[] = [];
	let current: Line = [];
	let used = 0;
	let count = 0;
	for (const item of items) {
		const itemWidth = lineWidth(item);
		const limit = limits[Math.min(lines.length, limits.length - 1)] ?? Number.POSITIVE_INFINITY;
		if (used > 0 && used + 2 + itemWidth > limit) {
			if (lines.length + 1 >= maxLines) {
				break;
			}

			lines.push(current);
			current = [];
			used = 0;
		}

		if (used > 0) {
			current.push({text: '  '});
			used += 2;
		}

		current.push(...item);
		used += itemWidth;
		count++;
	}

	if (current.length > 0) {
		lines.push(current);
	}

	return {lines, count};
};

const chopped = remembered(key => {
	const size = key.slice(0, key.indexOf('\0'));
	return Object.freeze(
		wrapAnsi(key.slice(size.length + 1), Number(size), {hard: true, wordWrap: false, trim: false}).split('\n'),
	);
}, 1024);

/** Raw command output: cut into chunks by width, never at spaces, so column alignment survives. */
export const chop = (text: string, size: number): readonly string[] => chopped(`${Math.max(1, size)}\0${text}`);
