// An SVG of a terminal screen: every cell at its own x (so symbols from fallback fonts cannot
// shift a column), backgrounds as runs of rectangles, block elements as rectangles (seamless
// bars whatever font the viewer has), and a window title bar.
import {CHROME_BG, DEFAULT_BG, DEFAULT_FG, hex, mix} from './palette.js';
import type {Rgb} from './palette.js';
import {readScreen} from './screen.js';
import type {Cell, ScreenSize, Style} from './screen.js';

function colorsOf(style: Style): {fg: Rgb; bg: Rgb | undefined} {
	let fg = style.fg ?? DEFAULT_FG;
	let bg = style.bg;
	if (style.inverse) [fg, bg] = [bg ?? DEFAULT_BG, fg];
	// Dim (faint): halfway to the background, as most terminals draw it.
	if (style.dim) fg = mix(fg, bg ?? DEFAULT_BG, 0.45);
	return {fg, bg};
}

const escapeXml = (text: string): string =>
	text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');

// [left, width] as fractions of the cell, and the opacity of the foreground colour.
const BLOCKS: Record<string, {x: number; w: number; opacity: number}> = {
	'█': {x: 0, w: 1, opacity: 1},
	'▓': {x: 0, w: 1, opacity: 0.75},
	'▒': {x: 0, w: 1, opacity: 0.5},
	'░': {x: 0, w: 1, opacity: 0.28},
	'▌': {x: 0, w: 0.5, opacity: 1},
	'▐': {x: 0.5, w: 0.5, opacity: 1},
	'▏': {x: 0, w: 0.125, opacity: 1},
	'▎': {x: 0, w: 0.25, opacity: 1},
	'▍': {x: 0, w: 0.375, opacity: 1},
	'▋': {x: 0, w: 0.625, opacity: 1},
	'▊': {x: 0, w: 0.75, opacity: 1},
	'▉': {x: 0, w: 0.875, opacity: 1},
};

export type SvgOptions = {title?: string};

const FONT_SIZE = 14;
const CELL_W = 8.4; // 0.6 em: the advance of DejaVu Sans Mono, Menlo, Consolas
const CELL_H = 18;
const BASELINE = 13.5;
const PAD = 14;
const TITLE_H = 30;
const FONT_FAMILY = "'DejaVu Sans Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace";

const num = (value: number): string => String(Math.round(value * 100) / 100);

/** The picture's size in pixels for a screen of columns x rows. */
export function svgSize({columns, rows}: ScreenSize, options: SvgOptions = {}): {width: number; height: number} {
	const top = options.title === undefined ? PAD : TITLE_H + PAD / 2;
	return {width: PAD * 2 + columns * CELL_W, height: top + rows * CELL_H + PAD};
}

/** The SVG of screen rows read by readScreen (columns: the terminal's width). */
export function renderSvg(grid: Cell[][], columns: number, options: SvgOptions = {}): string {
	const rows = grid.length;
	const top = options.title === undefined ? PAD : TITLE_H + PAD / 2;
	const {width: widthPx, height: heightPx} = svgSize({columns, rows}, options);
	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${num(widthPx)}" height="${num(heightPx)}" viewBox="0 0 ${num(widthPx)} ${num(heightPx)}" role="img" aria-label="${escapeXml(options.title ?? 'terminal')}">`,
		`<desc>${escapeXml(
			grid
				.map(cells =>
					cells
						.map(cell => cell.text)
						.join('')
						.trimEnd(),
				)
				.join('\n')
				.trimEnd(),
		)}</desc>`,
		`<rect width="100%" height="100%" rx="8" fill="${hex(DEFAULT_BG)}"/>`,
	);
	if (options.title !== undefined) {
		out.push(
			`<path d="M0 8a8 8 0 0 1 8-8h${num(widthPx - 16)}a8 8 0 0 1 8 8v${TITLE_H - 8}h-${num(widthPx)}z" fill="${hex(CHROME_BG)}"/>`,
			...[0xff5f57, 0xfebc2e, 0x28c840].map(
				(color, i) => `<circle cx="${PAD + 6 + i * 20}" cy="${TITLE_H / 2}" r="6" fill="#${color.toString(16)}"/>`,
			),
			`<text x="${num(widthPx / 2)}" y="${TITLE_H / 2 + 4.5}" text-anchor="middle" font-family="${FONT_FAMILY}" font-size="12" fill="${hex(mix(DEFAULT_FG, CHROME_BG, 0.35))}">${escapeXml(options.title)}</text>`,
		);
	}
	const rects: string[] = [];
	const texts: string[] = [];
	grid.forEach((cells, row) => {
		const y = top + row * CELL_H;
		let column = 0;
		const placed = cells.map(cell => {
			const at = column;
			column += cell.width;
			return {...cell, column: at};
		});
		// Backgrounds: runs of one colour.
		for (let i = 0; i < placed.length; ) {
			const {bg} = colorsOf(placed[i]!.style);
			let j = i + 1;
			while (j < placed.length && hex(colorsOf(placed[j]!.style).bg ?? DEFAULT_BG) === hex(bg ?? DEFAULT_BG)) j++;
			if (bg) {
				const first = placed[i]!;
				const last = placed[j - 1]!;
				const x = PAD + first.column * CELL_W;
				const w = (last.column + last.width - first.column) * CELL_W;
				rects.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${CELL_H}" fill="${hex(bg)}"/>`);
			}
			i = j;
		}
		// Glyphs: runs of one style, each character at its cell's x.
		const spans: string[] = [];
		for (let i = 0; i < placed.length; ) {
			const cell = placed[i]!;
			const {fg} = colorsOf(cell.style);
			const block = BLOCKS[cell.text];
			if (block) {
				rects.push(
					`<rect x="${num(PAD + (cell.column + block.x) * CELL_W)}" y="${num(y)}" width="${num(block.w * CELL_W + (block.w === 1 ? 0.05 : 0))}" height="${CELL_H}" fill="${hex(fg)}"${block.opacity < 1 ? ` fill-opacity="${block.opacity}"` : ''}/>`,
				);
				i++;
				continue;
			}
			if (cell.text === ' ' && !cell.style.underline && !cell.style.strike) {
				i++;
				continue;
			}
			const key = JSON.stringify(cell.style);
			let j = i;
			const run: typeof placed = [];
			while (j < placed.length) {
				const next = placed[j]!;
				if (JSON.stringify(next.style) !== key || BLOCKS[next.text]) break;
				run.push(next);
				j++;
			}
			// One positioned tspan per glyph: each sits on its own cell whatever the viewer's font
			// (librsvg, for one, ignores a list of x values). Spaces keep their slot, draw nothing.
			const glyphs = run.filter(c => c.text !== ' ');
			if (glyphs.length > 0) {
				const attributes = [
					`fill="${hex(fg)}"`,
					cell.style.bold ? 'font-weight="bold"' : '',
					cell.style.italic ? 'font-style="italic"' : '',
				]
					.filter(Boolean)
					.join(' ');
				const positioned = glyphs
					.map(c => `<tspan x="${num(PAD + c.column * CELL_W + (c.width === 2 ? CELL_W / 2 : 0))}">${escapeXml(c.text)}</tspan>`)
					.join('');
				spans.push(`<tspan ${attributes}>${positioned}</tspan>`);
			}
			if (cell.style.underline || cell.style.strike) {
				const first = run[0]!;
				const last = run.at(-1)!;
				const x = PAD + first.column * CELL_W;
				const w = (last.column + last.width - first.column) * CELL_W;
				if (cell.style.underline)
					rects.push(`<rect x="${num(x)}" y="${num(y + BASELINE + 2)}" width="${num(w)}" height="1" fill="${hex(fg)}"/>`);
				if (cell.style.strike)
					rects.push(`<rect x="${num(x)}" y="${num(y + BASELINE - 4.5)}" width="${num(w)}" height="1" fill="${hex(fg)}"/>`);
			}
			i = Math.max(j, i + 1);
		}
		if (spans.length > 0) texts.push(`<text y="${num(y + BASELINE)}">${spans.join('')}</text>`);
	});
	out.push(`<g shape-rendering="crispEdges">${rects.join('')}</g>`);
	out.push(
		`<g font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}" text-rendering="geometricPrecision">`,
		...texts,
		'</g>',
		'</svg>',
		'',
	);
	return out.join('\n');
}

/** A tmux capture (`capture-pane -e`) of a columns x rows terminal as an SVG. */
export async function ansiToSvg(ansi: string, size: ScreenSize, options: SvgOptions = {}): Promise<string> {
	return renderSvg(await readScreen(ansi, size), size.columns, options);
}
