// The screenshot path of scripts/media.ts: a tmux capture (text + SGR codes) read by a headless
// xterm into cells, then drawn as SVG with one fixed x per cell.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ANSI16, DEFAULT_BG, hex} from '../../scripts/media/palette.js';
import {readScreen} from '../../scripts/media/screen.js';
import type {Cell} from '../../scripts/media/screen.js';
import {ansiToSvg, renderSvg, svgSize} from '../../scripts/media/svg.js';

const SMALL = {columns: 20, rows: 4};
const ESC = '\u001B';

/** Each cell's first column, as the SVG places it. */
const columnsOf = (cells: Cell[]): Array<[string, number]> => {
	let column = 0;
	return cells.map(cell => {
		const at: [string, number] = [cell.text, column];
		column += cell.width;
		return at;
	});
};

/** The x of a glyph drawn in the SVG (PAD 14 + column × 8.4, a wide one centred on its two cells). */
const glyphX = (svg: string, glyph: string): number | undefined => {
	const match = new RegExp(`<tspan x="([\\d.]+)">${glyph}</tspan>`).exec(svg);
	return match ? Number(match[1]) : undefined;
};

test('colours: 16-colour, bright, 256-colour and true colour, in both SGR spellings', async () => {
	const [row] = await readScreen(
		`${ESC}[31mr${ESC}[92mg${ESC}[38;5;208mo${ESC}[38;2;1;2;3mt${ESC}[38:2::10:20:30mc${ESC}[39md${ESC}[44mb`,
		SMALL,
	);
	const fg = row!.slice(0, 7).map(cell => cell.style.fg);
	assert.deepEqual(fg, [ANSI16[1], ANSI16[10], [255, 135, 0], [1, 2, 3], [10, 20, 30], undefined, undefined]);
	assert.deepEqual(row![6]!.style.bg, ANSI16[4]);
	const svg = renderSvg([row!], SMALL.columns);
	assert.match(svg, new RegExp(`<tspan fill="${hex(ANSI16[1]!)}"><tspan x="14">r</tspan>`));
	assert.match(svg, /<tspan fill="#ff8700"><tspan x="30.8">o<\/tspan>/);
	// The background as a rectangle under the last cell.
	assert.match(svg, new RegExp(`<rect x="64.4" y="14" width="8.4" height="18" fill="${hex(ANSI16[4]!)}"/>`));
});

test('bold, dim and underline show; a reset ends them, also across lines', async () => {
	const screen = await readScreen(`${ESC}[1;4mB${ESC}[22mu\n${ESC}[2md${ESC}[0mn`, SMALL);
	const [b, u] = screen[0]!;
	const [d, n] = screen[1]!;
	assert.deepEqual([b!.style.bold, b!.style.underline, u!.style.bold, u!.style.underline], [true, true, false, true]);
	assert.deepEqual([d!.style.dim, d!.style.underline, n!.style.dim, n!.style.underline], [true, true, false, false]);
	const svg = renderSvg(screen, SMALL.columns);
	assert.match(svg, /font-weight="bold"><tspan x="14">B<\/tspan>/);
	assert.doesNotMatch(svg, /font-weight="bold"><tspan x="22.4">u/);
});

test('inverse swaps foreground and background', async () => {
	const [row] = await readScreen(`${ESC}[32;7mI${ESC}[27mo`, SMALL);
	assert.equal(row![0]!.style.inverse, true);
	assert.equal(row![1]!.style.inverse, false);
	const svg = renderSvg([row!], SMALL.columns);
	// Green background cell, the glyph in the terminal's background colour on it.
	assert.match(svg, new RegExp(`<rect x="14" y="14" width="8.4" height="18" fill="${hex(ANSI16[2]!)}"/>`));
	assert.match(svg, new RegExp(`<tspan fill="${hex(DEFAULT_BG)}"><tspan x="14">I</tspan>`));
});

test('a wide (CJK) character takes two cells; box drawing takes one each', async () => {
	const screen = await readScreen('漢字x\n┌─┐│x', SMALL);
	assert.deepEqual(columnsOf(screen[0]!).slice(0, 3), [
		['漢', 0],
		['字', 2],
		['x', 4],
	]);
	assert.deepEqual(
		screen[0]!.slice(0, 2).map(cell => cell.width),
		[2, 2],
	);
	assert.deepEqual(columnsOf(screen[1]!).slice(0, 5), [
		['┌', 0],
		['─', 1],
		['┐', 2],
		['│', 3],
		['x', 4],
	]);
	// Every row is the terminal's width in cells.
	for (const cells of screen)
		assert.equal(
			cells.reduce((sum, cell) => sum + cell.width, 0),
			SMALL.columns,
		);
	const svg = renderSvg(screen, SMALL.columns);
	assert.equal(glyphX(svg, '漢'), 14 + 4.2);
	assert.equal(glyphX(svg, '字'), 14 + 2 * 8.4 + 4.2);
	assert.equal(glyphX(svg, '─'), 14 + 8.4);
	assert.equal(glyphX(svg, '│'), 14 + 3 * 8.4);
});

test('lines beyond the screen are left out, not scrolled in', async () => {
	const screen = await readScreen('1\n2\n3\n4\n5\n', SMALL);
	assert.deepEqual(
		screen.map(cells => cells[0]!.text),
		['1', '2', '3', '4'],
	);
});

const MEDIA = fileURLToPath(new URL('../../media/', import.meta.url));

test('the committed media/*.ansi captures become 80x24 SVGs showing the captured text', async () => {
	const names = readdirSync(MEDIA).filter(file => file.endsWith('.ansi'));
	assert.ok(names.length > 0, 'no media/*.ansi');
	const size = {columns: 80, rows: 24};
	const expected = svgSize(size, {title: 't'});
	for (const file of names) {
		const ansi = readFileSync(path.join(MEDIA, file), 'utf8');
		const svg = await ansiToSvg(ansi, size, {title: 't'});
		assert.match(svg, new RegExp(`^<svg [^>]*width="${expected.width}" height="${expected.height}"`), file);
		const desc = /<desc>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
		const text = readFileSync(path.join(MEDIA, file.replace(/\.ansi$/, '.txt')), 'utf8');
		const plain = (value: string): string =>
			value
				.split('\n')
				.map(line => line.trimEnd())
				.join('\n')
				.trimEnd();
		const unescape = (value: string): string =>
			value
				.replaceAll('&lt;', '<')
				.replaceAll('&gt;', '>')
				.replaceAll('&quot;', '"')
				.replaceAll('&apos;', "'")
				.replaceAll('&amp;', '&');
		assert.equal(unescape(desc), plain(text), file);
	}
});
