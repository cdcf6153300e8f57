// Ink turns every frame into text cell by cell: each line is split into grapheme and escape
// tokens, placed on a width x height grid of style objects, and each grid row is turned back
// into text by comparing the styles of neighbouring cells. For a 2000-port sweep that was the
// largest part of a frame, and the functions doing it were optimised by V8 and thrown away
// several times in a 2-second run. Most rows of a frame are a line the frame before had too
// (the table scrolls, the spinner returns to the same glyph), so the bundles give Ink this
// Output instead (see tui-bundling.mjs): a row written by one line is Ink's own text for that
// line, computed once by Ink's Output on a one-row grid and then kept. Rows written by several
// lines are laid out by Ink's Output on a one-row grid each frame; frames with clipping are
// left to Ink's Output as a whole. test/unit/ink-row-cache.test.ts checks the output equals Ink's.

const lineLimit = 2000;

/** Ink's Output class with rows built from cached lines; same constructor, write, clip and get. */
export function withRowCache(InkOutput) {
	const lines = new Map();

	/** Ink's text for one line alone on a row, starting at column 0. */
	const lineText = line => {
		let text = lines.get(line);
		if (text === undefined) {
			const row = new InkOutput({width: 0, height: 1});
			row.write(0, 0, line, {transformers: []});
			text = row.get().output;
			if (lines.size >= lineLimit) {
				lines.clear();
			}

			lines.set(line, text);
		}

		return text;
	};

	return class RowCachedOutput extends InkOutput {
		get() {
			const {width, height} = this;
			// What each row gets, in the order Ink would write it: [x, line] pairs.
			const rows = Array.from({length: height}, () => []);
			for (const operation of this.operations) {
				const {x, y} = operation;
				if (operation.type !== 'write') {
					return super.get(); // clipping
				}

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
				if (row.length === 0) {
					return '';
				}

				if (row.length === 1) {
					const [x, line] = row[0];
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
