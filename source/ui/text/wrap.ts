import {type Line, type Segment} from './line.js';

// Terminal cells per character: the symbols used here (✔ ✘ ● ⇄ ≠ ■ braille) are one cell wide.
export const width = (text: string): number => [...text].length;

/** Cut to `size` cells (with an ellipsis when something was cut) and pad to exactly `size`. */
export const fit = (text: string, size: number): string => {
	if (size <= 0) {
		return '';
	}

	const chars = [...text];
	if (chars.length > size) {
		return `${chars.slice(0, size - 1).join('')}…`;
	}

	return text + ' '.repeat(size - chars.length);
};

/** Like fit, but cut at the start: for addresses, where the port at the end matters most. */
export const fitEnd = (text: string, size: number): string => {
	const chars = [...text];
	return chars.length > size && size > 1 ? `…${chars.slice(chars.length - size + 1).join('')}` : fit(text, size);
};

/** Greedy word wrap; words longer than a line are split. Keeps explicit newlines. */
export const wrap = (text: string, size: number): string[] => {
	const limit = Math.max(1, size);
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let current = '';
		for (const word of paragraph.split(' ')) {
			let rest = word;
			while (width(rest) > limit) {
				const room = current === '' ? limit : limit - width(current) - 1;
				if (room < 8 && current !== '') {
					lines.push(current);
					current = '';
					continue;
				}

				const chars = [...rest];
				const head = chars.slice(0, room).join('');
				rest = chars.slice(room).join('');
				lines.push(current === '' ? head : `${current} ${head}`);
				current = '';
			}

			if (current === '') {
				current = rest;
			} else if (width(current) + 1 + width(rest) <= limit) {
				current = `${current} ${rest}`;
			} else {
				lines.push(current);
				current = rest;
			}
		}

		lines.push(current);
	}

	return lines;
};

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
export const chop = (text: string, size: number): string[] => {
	const chars = [...text];
	const limit = Math.max(1, size);
	if (chars.length <= limit) {
		return [text];
	}

	const chunks: string[] = [];
	for (let start = 0; start < chars.length; start += limit) {
		chunks.push(chars.slice(start, start + limit).join(''));
	}

	return chunks;
};
