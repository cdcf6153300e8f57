// Ink turns every frame into text cell by cell: each line is split into grapheme and escape
// tokens, placed on a width x height grid of style objects, and each grid row is turned back
// into text by comparing the styles of neighbouring cells. For a 2000-port sweep that was the
// largest part of a frame, and V8 optimised and threw away the functions doing it several times
// in a 2-second run. The bundles give Ink this Output instead (see tui-bundling.mjs). A row
// written by one line gets Ink's text for that line, worked out from the line's skeleton: the
// colour codes with each stretch of text between them replaced by one letter. The codes Ink
// writes depend only on the codes and on where text stands, so Ink's Output draws each skeleton
// once (the table's rows all share a handful) and the stretches of text go back in its place.
// Lines with other escapes, or with a character that would join the end of a code, go through
// Ink's Output whole. Rows written by several lines are laid out by Ink's Output on a one-row
// grid; frames with clipping are left to Ink's Output. test/unit/ink-row-cache.test.ts checks
// that the output equals Ink's.

/** How Ink passes a line through its transformers before writing it (Ink's OutputTransformer). */
type Transformer = (line: string, index: number) => string;

type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};

/** What Ink's Output records until get() draws it. */
type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};

/**
 * Ink's Output as the cache sees it. Ink exports neither the class nor its type (it is reached
 * by file, ink/build/output.js), and its own type keeps the operations private: they are what
 * the cache reads.
 */
export interface Output {
	readonly width: number;
	readonly height: number;
	readonly operations: readonly Operation[];
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	clip(clip: Clip): void;
	unclip(): void;
	get(): {output: string; height: number};
}

export type OutputClass = new (options: {width: number; height: number}) => Output;

type Skeleton = {skeleton: string; texts: string[]};

const skeletonLimit = 1000;
const placeholder = 'x';
// A colour code starts with the escape character: matching it is the point.
// eslint-disable-next-line no-control-regex
const colourCode = /\u001B\[[\d;]*m/g;
const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const joiners = new Map<string, boolean>();

/**
 * The line's colour codes with one placeholder for each stretch of text between them, and the
 * stretches; undefined when Ink could read the line otherwise: an escape that is not a colour
 * code, a C1 control sequence introducer, or a stretch whose first character joins the code's
 * final "m" into one grapheme (Ink then drops that character with the code).
 */
const skeleton = (line: string): Skeleton | undefined => {
	if (line.includes('\u009B')) {
		return undefined;
	}

	const texts: string[] = [];
	let shape = '';
	let from = 0;
	const stretch = (to: number): boolean => {
		if (to > from) {
			const text = line.slice(from, to);
			if (text.includes('\u001B') || (from > 0 && text.codePointAt(0)! > 0x7e && joinsCode(text))) {
				return false;
			}

			texts.push(text);
			shape += placeholder;
		}

		return true;
	};

	for (const match of line.matchAll(colourCode)) {
		if (!stretch(match.index)) {
			return undefined;
		}

		shape += match[0];
		from = match.index + match[0].length;
	}

	return stretch(line.length) ? {skeleton: shape, texts} : undefined;
};

/** True when the text's first character would join a code's final "m" into one grapheme. */
const joinsCode = (text: string): boolean => {
	// Whether a character extends the one before it is a property of that character alone.
	const first = String.fromCodePoint(text.codePointAt(0)!);
	let joins = joiners.get(first);
	if (joins === undefined) {
		const [grapheme] = graphemes.segment(`m${first}`);
		joins = grapheme!.segment.length > 1; // a non-empty text has a first grapheme
		if (joiners.size >= skeletonLimit) {
			joiners.clear();
		}

		joiners.set(first, joins);
	}

	return joins;
};

/** Ink's Output class with rows built from cached lines; same constructor, write, clip and get. */
export function withRowCache(InkOutput: OutputClass): OutputClass {
	const skeletons = new Map<string, string[]>();

	/** What Ink's Output draws for `line` alone on a row, starting at column 0. */
	const drawn = (line: string): string => {
		const row = new InkOutput({width: 0, height: 1});
		row.write(0, 0, line, {transformers: []});
		return row.get().output;
	};

	/** Ink's text for one line alone on a row, from the text of its skeleton. */
	const lineText = (line: string): string => {
		const parts = skeleton(line);
		if (parts === undefined) {
			return drawn(line);
		}

		let pieces = skeletons.get(parts.skeleton);
		if (pieces === undefined) {
			pieces = drawn(parts.skeleton).split(placeholder);
			if (skeletons.size >= skeletonLimit) {
				skeletons.clear();
			}

			skeletons.set(parts.skeleton, pieces);
		}

		if (pieces.length !== parts.texts.length + 1) {
			return drawn(line);
		}

		// pieces has one entry more than texts: checked above.
		let text = pieces[0]!;
		for (const [index, stretch] of parts.texts.entries()) {
			text += stretch + pieces[index + 1]!;
		}

		return text.trimEnd();
	};

	return class RowCachedOutput extends InkOutput {
		override get(): {output: string; height: number} {
			const {width, height} = this;
			// What each row gets, in the order Ink would write it: [x, line] pairs.
			const rows = Array.from({length: height}, (): Array<[x: number, line: string]> => []);
			for (const operation of this.operations) {
				if (operation.type !== 'write') {
					return super.get(); // clipping
				}

				const {x, y} = operation;
				// Ink drops what starts above the frame or left of it, and closes gaps past its width.
				if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x > width) {
					return super.get();
				}

				const texts = operation.text.split('\n');
				for (const [index, text] of texts.entries()) {
					const row = rows[y + index];
					if (row === undefined) {
						continue; // outside the frame, as in Ink
					}

					let line = text;
					for (const transformer of operation.transformers) {
						line = transformer(line, index);
					}

					row.push([x, line]);
				}
			}

			const output = rows.map(row => {
				const first = row[0];
				if (first === undefined) {
					return '';
				}

				if (row.length === 1) {
					const [x, line] = first;
					const text = lineText(line);
					return x === 0 || text === '' ? text : ' '.repeat(x) + text;
				}

				const shared = new InkOutput({width, height: 1});
				for (const [x, line] of row) {
					shared.write(x, 0, line, {transformers: []});
				}

				return shared.get().output;
			});
			return {output: output.join('\n'), height};
		}
	};
}
