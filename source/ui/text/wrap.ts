import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import {type Line, type Segment} from './line.js';

/**
 * Terminal cells, as Ink counts them: CJK and other wide characters take two, combining marks
 * none. Everything here measures with it, so a Japanese process name or a localized `tasklist`
 * stays inside the columns it was given.
 */
export const width = (text: string): number => stringWidth(text);

/**
 * cli-truncate keeps a wide character whole when the cut falls in its middle (slice-ansi keeps
 * graphemes intact), which makes the result one cell too wide: cut again a cell shorter then.
 */
const truncate = (text: string, size: number, position: 'start' | 'end'): string => {
	for (let room = size; room > 0; room--) {
		const cut = cliTruncate(text, room, {position});
		if (width(cut) <= size) {
			return cut;
		}
	}

	return '';
};

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

/** Word wrap to `size` cells; words longer than a line are split. Keeps explicit newlines. */
export const wrap = (text: string, size: number): string[] => wrapAnsi(text, Math.max(1, size), {hard: true}).split('\n');

/** A paragraph as lines: the first line starts with `first`, the following ones with `indent`. */
export const paragraph = (text: string, size: number, style: Omit<Segment, 'text'> = {}, first = '', indent = first): Line[] =>
	wrap(text, size - Math.max(width(first), width(indent))).map((part, index) => [
		{text: index === 0 ? first : indent},
		{...style, text: part},
	]);

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

/** Raw command output: cut into chunks by width, never at spaces, so column alignment survives. */
export const chop = (text: string, size: number): string[] =>
	wrapAnsi(text, Math.max(1, size), {hard: true, wordWrap: false, trim: false}).split('\n');
