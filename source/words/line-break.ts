import stringWidth from 'string-width';

/**
 * Line breaking for text without spaces between words (Japanese), by the rules Japanese readers
 * expect (kinsoku shori): no line starts with a closing bracket, a comma or full stop, a small
 * kana or a prolonged sound mark, and no line ends with an opening bracket. Words come from
 * Intl.Segmenter's dictionary; widths are terminal cells, so a wide character is never cut.
 */
const noLineStart = new Set(
	'、。，．,.)）]］}｝〕〉》」』】〙〗〟’”»‐゠–〜～?？!！‼⁇⁈⁉:：;；/・ー…‥ゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ%％',
);
const noLineEnd = new Set('(（[［{｛〔〈《「『【〘〖〝‘“«');

/** Text that needs this breaker: anything in the CJK blocks, where spaces do not mark words. */
export const hasCjk = (text: string): boolean => /[\u3000-\u30FF\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u.test(text);

const segmenters = new Map<string, Intl.Segmenter>();
const wordSegmenter = (locale: string): Intl.Segmenter => {
	let segmenter = segmenters.get(locale);
	if (segmenter === undefined) {
		segmenter = new Intl.Segmenter(locale, {granularity: 'word'});
		segmenters.set(locale, segmenter);
	}

	return segmenter;
};

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/**
 * Latin text inside Japanese breaks only at spaces, as it would alone: the segmenter splits
 * "9010-9019", "192.0.2.1:5060" and "-ano" at their punctuation, which must stay whole.
 */
const continuesLatinWord = (piece: string, first: string): boolean => {
	const last = [...piece].at(-1) ?? '';
	return latinWordCharacter(last) && latinWordCharacter(first);
};

const latinWordCharacter = (character: string): boolean =>
	character !== '' && !/\s/u.test(character) && !hasCjk(character) && !noLineEnd.has(character);

/**
 * The pieces a line may break between: the segmenter's words, with a piece that may not start a
 * line glued to the one before it, and one that may not end a line glued to the one after.
 */
const breakablePieces = (text: string, locale: string): string[] => {
	const pieces: string[] = [];
	let glueNext = false;
	for (const {segment} of wordSegmenter(locale).segment(text)) {
		const first = [...segment][0] ?? '';
		const last = [...segment].at(-1) ?? '';
		if (pieces.length > 0 && (glueNext || noLineStart.has(first) || continuesLatinWord(pieces.at(-1)!, first))) {
			// A comma after a space still belongs to the word before the space.
			if (!glueNext && pieces.length > 1 && pieces.at(-1)!.trim() === '') {
				const space = pieces.pop()!;
				pieces[pieces.length - 1] += space;
			}

			pieces[pieces.length - 1] += segment;
		} else {
			pieces.push(segment);
		}

		// An opening bracket stays with what follows it, across a space too.
		glueNext = noLineEnd.has(last) || (glueNext && segment.trim() === '');
	}

	return pieces;
};

/** A piece wider than a line, cut between graphemes into lines of at most `size` cells. */
const cutPiece = (piece: string, size: number): string[] => {
	const parts: string[] = [];
	let part = '';
	for (const {segment} of graphemes.segment(piece)) {
		if (part !== '' && stringWidth(part + segment) > size) {
			parts.push(part);
			part = '';
		}

		part += segment;
	}

	return part === '' ? parts : [...parts, part];
};

const breakParagraph = (text: string, size: number, locale: string): string[] => {
	const lines: string[] = [];
	let line = '';
	const finish = () => {
		lines.push(line.trimEnd());
		line = '';
	};

	for (const piece of breakablePieces(text, locale)) {
		const start = line === '' ? piece.trimStart() : piece;
		if (start === '') {
			continue;
		}

		if (stringWidth(line + start.trimEnd()) <= size) {
			line += start;
			continue;
		}

		if (line.trim() !== '') {
			finish();
		}

		const fresh = start.trimStart();
		if (stringWidth(fresh.trimEnd()) <= size) {
			line = fresh;
			continue;
		}

		const parts = cutPiece(fresh.trimEnd(), size);
		lines.push(...parts.slice(0, -1));
		line = parts.at(-1) ?? '';
	}

	if (line !== '' || lines.length === 0) {
		finish();
	}

	return lines;
};

/** Lines of at most `size` cells (explicit newlines kept), broken where a Japanese reader allows. */
export const breakLines = (text: string, size: number, locale: string): string[] =>
	text.split('\n').flatMap(paragraph => breakParagraph(paragraph, Math.max(1, size), locale));
