// Ink measures every line of every frame with string-width, whose non-ASCII path (our rows hold
// ✔ · █ and the like) segments graphemes and tests Unicode regexes: the largest cost in a frame.
// The bundle routes string-width through this cache. A line is split at spaces that follow an ASCII
// character and precede no extending one (those never share a grapheme cluster with a neighbour,
// and only add their own cell), so each word is measured once and lines that differ in a port
// number or a time reuse the other words' widths.
// Lines with escape sequences other than colours, and calls with options, go to string-width as is.
import stringWidth, {type Options} from 'string-width';

// A colour code starts with the escape character: matching it is the point.
// eslint-disable-next-line no-control-regex
const colours = /\u001B\[[\d;]*m/g;
const ascii = /^[\u0020-\u007E]*$/;
// What may join a space before it into one cluster: marks, format characters (ZWJ, tags), emoji
// skin tones, halfwidth voiced marks. Over-inclusive is safe: the space then stays in its word.
const extending = /^[\p{M}\p{Cf}\u{1F3FB}-\u{1F3FF}\uFF9E\uFF9F]/u;
const words = new Map<string, number>();
const wordLimit = 10_000;

const wordWidth = (word: string): number => {
	let width = words.get(word);
	if (width === undefined) {
		width = stringWidth(word);
		if (words.size >= wordLimit) {
			words.clear();
		}

		words.set(word, width);
	}

	return width;
};

/** string-width's own signature: the bundle hands this to every module that imports it. */
export default function cachedStringWidth(text: string, options?: Options): number {
	// Its callers in the bundle are plain JavaScript: whatever is not a string goes to string-width.
	if (options !== undefined || typeof text !== 'string') {
		return stringWidth(text, options);
	}

	const plain = text.includes('\u001B') ? text.replace(colours, '') : text;
	if (ascii.test(plain)) {
		return plain.length;
	}

	if (plain.includes('\u001B') || plain.includes('\u009B')) {
		return stringWidth(text);
	}

	let width = 0;
	let start = 0;
	for (let space = plain.indexOf(' '); space !== -1; space = plain.indexOf(' ', space + 1)) {
		// A space after a non-ASCII character may share its cluster: a Prepend character (U+11F02,
		// say) joins whatever follows it. It stays in the word, measured whole.
		if (space > start && plain.charCodeAt(space - 1) > 0x7e) {
			continue;
		}

		// A space before an extending character (a mark, a skin tone) shares that one's cluster.
		if (extending.test(plain.slice(space + 1, space + 3))) {
			continue;
		}

		width += (space > start ? wordWidth(plain.slice(start, space)) : 0) + 1;
		start = space + 1;
	}

	return width + (start < plain.length ? wordWidth(plain.slice(start)) : 0);
}
