/**
 * Screenshots of a real run for readme.md: `npm run build && sudo node --import tsx scripts/media.ts`.
 *
 * Builds the network lab (lab/): coturn on the fake internet, a router forwarding 9000-9149
 * 1:1 and masquerading the rest, a process holding UDP 9160 on the PBX. Then runs the TUI in a
 * private tmux server at 80x24 inside the PBX namespace:
 *   ip netns exec fwl-pbx node dist/cli.js --stun coturn.fwl.test --ports 9000-9199
 * and captures, with colours (`capture-pane -e`): the final screen, the failed-only table (`f`,
 * `/9170` Enter), the drill-down of inbound-blocked port 9170 (Enter) and the F summary. Then a
 * second run, whose cursor jumps to 9142 as soon as the sweep starts, for a screen in progress
 * (the first run's is used instead when its rows show as many kinds of state). Each becomes media/<name>.svg (rendered here: one fixed x per terminal cell, so
 * symbols from fallback fonts cannot shift a column), media/<name>.txt (plain text) and
 * media/<name>.ansi (the coloured capture, for re-rendering). With rsvg-convert (Debian
 * librsvg2-bin) it also writes PNGs to a temporary directory to look at.
 *
 *   --render-only   re-render media/*.ansi to SVG (and PNG) without the lab (no root needed)
 *
 * When another lab is up (one per machine, /tmp/fwl-lab.lock), waits for it: up to 10 minutes,
 * retrying every 15 s. Only lab addresses are contacted; every wait is bounded; the tmux server
 * and the lab are torn down on every path.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {HOSTS, NS, createLabWhenFree, labSupport} from '../lab/lab.js';
import type {Lab} from '../lab/lab.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CLI = path.join(REPO, 'dist', 'cli.js');
const MEDIA = path.join(REPO, 'media');
const COLUMNS = 80;
const ROWS = 24;
const FORWARDED: [number, number] = [9000, 9149];
const BUSY_PORT = 9160;
const BLOCKED_PORT = 9170;
/** Where the mid-sweep shot's cursor goes: the forwarded range ends at 9149, 9160 is busy. */
const SWEEP_JUMP = '9142';
const PORTS = '9000-9199';
const LAB_WAIT_TRIES = 40; // x 15 s = 10 min
const LAB_WAIT_MS = 15_000;
const SWEEP_TIMEOUT_MS = 180_000;
const SCREEN_TIMEOUT_MS = 10_000;
const WATCHDOG_MS = 20 * 60_000;

const COMMAND_LINE = `fwcheck --stun ${HOSTS.coturn} --ports ${PORTS}`;

const log = (line: string): void => {
	process.stderr.write(`[media] ${line}\n`);
};

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

// ---------------------------------------------------------------------------------------------
// ANSI (tmux capture-pane -e) to SVG

type Rgb = readonly [number, number, number];

type Style = {
	fg: Rgb | undefined;
	bg: Rgb | undefined;
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
	inverse: boolean;
	strike: boolean;
};

type Cell = {text: string; style: Style; width: number};

const PLAIN: Style = {
	fg: undefined,
	bg: undefined,
	bold: false,
	dim: false,
	italic: false,
	underline: false,
	inverse: false,
	strike: false,
};

// A dark theme (One Dark-like): the 16 ANSI colours, then the default foreground and background.
const ANSI16: readonly Rgb[] = [
	[0x3f, 0x44, 0x4e],
	[0xe0, 0x6c, 0x75],
	[0x98, 0xc3, 0x79],
	[0xe5, 0xc0, 0x7b],
	[0x61, 0xaf, 0xef],
	[0xc6, 0x78, 0xdd],
	[0x56, 0xb6, 0xc2],
	[0xab, 0xb2, 0xbf],
	[0x6b, 0x72, 0x80],
	[0xff, 0x86, 0x8f],
	[0xb5, 0xe8, 0x90],
	[0xff, 0xd6, 0x8a],
	[0x82, 0xc4, 0xff],
	[0xde, 0x9b, 0xf0],
	[0x7f, 0xd3, 0xde],
	[0xff, 0xff, 0xff],
];
const DEFAULT_FG: Rgb = [0xd7, 0xda, 0xe0];
const DEFAULT_BG: Rgb = [0x1e, 0x22, 0x28];
const CHROME_BG: Rgb = [0x2a, 0x2f, 0x37];

function xterm256(n: number): Rgb {
	if (n < 16) return ANSI16[n] ?? DEFAULT_FG;
	if (n < 232) {
		const steps = [0, 95, 135, 175, 215, 255];
		const i = n - 16;
		return [steps[Math.floor(i / 36)] ?? 0, steps[Math.floor(i / 6) % 6] ?? 0, steps[i % 6] ?? 0];
	}
	const grey = 8 + (n - 232) * 10;
	return [grey, grey, grey];
}

/** Applies one SGR sequence's parameters ("1;32", "38;5;208", "38:2::1:2:3") to a style. */
function applySgr(style: Style, params: string): Style {
	const next = {...style};
	const parts = params === '' ? ['0'] : params.split(';');
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i] ?? '0';
		// Colon sub-parameters: 38:5:n, 38:2::r:g:b or 38:2:r:g:b.
		if (part.includes(':')) {
			const sub = part.split(':').map(v => (v === '' ? undefined : Number(v)));
			const [kind, mode] = sub;
			if (kind === 38 || kind === 48) {
				const values = sub.slice(2).filter((v): v is number => v !== undefined);
				const rgb: Rgb | undefined =
					mode === 5 && values[0] !== undefined
						? xterm256(values[0])
						: mode === 2 && values.length >= 3
							? [values.at(-3)!, values.at(-2)!, values.at(-1)!]
							: undefined;
				if (kind === 38) next.fg = rgb;
				else next.bg = rgb;
			} else if (kind === 4) {
				next.underline = mode !== 0;
			}
			continue;
		}
		const code = Number(part);
		if (code === 38 || code === 48) {
			let rgb: Rgb | undefined;
			if (parts[i + 1] === '5') {
				rgb = xterm256(Number(parts[i + 2]));
				i += 2;
			} else if (parts[i + 1] === '2') {
				rgb = [Number(parts[i + 2]), Number(parts[i + 3]), Number(parts[i + 4])];
				i += 4;
			}
			if (code === 38) next.fg = rgb;
			else next.bg = rgb;
			continue;
		}
		if (code === 0) Object.assign(next, PLAIN);
		else if (code === 1) next.bold = true;
		else if (code === 2) next.dim = true;
		else if (code === 3) next.italic = true;
		else if (code === 4) next.underline = true;
		else if (code === 7) next.inverse = true;
		else if (code === 9) next.strike = true;
		else if (code === 21 || code === 22) {
			next.bold = false;
			next.dim = false;
		} else if (code === 23) next.italic = false;
		else if (code === 24) next.underline = false;
		else if (code === 27) next.inverse = false;
		else if (code === 29) next.strike = false;
		else if (code >= 30 && code <= 37) next.fg = ANSI16[code - 30];
		else if (code === 39) next.fg = undefined;
		else if (code >= 40 && code <= 47) next.bg = ANSI16[code - 40];
		else if (code === 49) next.bg = undefined;
		else if (code >= 90 && code <= 97) next.fg = ANSI16[code - 90 + 8];
		else if (code >= 100 && code <= 107) next.bg = ANSI16[code - 100 + 8];
	}
	return next;
}

/** Terminal cells of one code point: 0 (combining), 2 (East Asian wide, emoji) or 1. */
function cellWidth(cp: number): number {
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3) return 0;
	const wide =
		(cp >= 0x1100 && cp <= 0x115f) ||
		(cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
		(cp >= 0xac00 && cp <= 0xd7a3) ||
		(cp >= 0xf900 && cp <= 0xfaff) ||
		(cp >= 0xfe30 && cp <= 0xfe4f) ||
		(cp >= 0xff00 && cp <= 0xff60) ||
		(cp >= 0xffe0 && cp <= 0xffe6) ||
		(cp >= 0x1f300 && cp <= 0x1f64f) ||
		(cp >= 0x1f900 && cp <= 0x1f9ff) ||
		(cp >= 0x20000 && cp <= 0x3fffd);
	return wide ? 2 : 1;
}

/** The capture as rows of cells; SGR state carries across lines as tmux writes it. */
export function parseAnsi(text: string, rows = ROWS): Cell[][] {
	const lines: Cell[][] = [];
	let style = PLAIN;
	for (const raw of text.replace(/\n$/, '').split('\n')) {
		const cells: Cell[] = [];
		// eslint-disable-next-line no-control-regex
		const tokens = raw.split(/(\u001B\[[0-9;:?]*[A-Za-z]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\))/);
		for (const token of tokens) {
			if (token.startsWith('\u001B')) {
				if (token.startsWith('\u001B[') && token.endsWith('m')) style = applySgr(style, token.slice(2, -1));
				continue;
			}
			for (const char of token) {
				const cp = char.codePointAt(0) ?? 32;
				if (cp < 32 || cp === 127) continue;
				const width = cellWidth(cp);
				const last = cells.at(-1);
				if (width === 0) {
					if (last) last.text += char;
					continue;
				}
				cells.push({text: char, style, width});
			}
		}
		lines.push(cells);
	}
	while (lines.length < rows) lines.push([]);
	return lines.slice(0, rows);
}

const hex = ([r, g, b]: Rgb): string =>
	`#${[r, g, b]
		.map(v =>
			Math.max(0, Math.min(255, Math.round(v)))
				.toString(16)
				.padStart(2, '0'),
		)
		.join('')}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

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

// Block elements drawn as rectangles, so bars are seamless whatever font the viewer has:
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

export type SvgOptions = {title?: string; columns?: number; rows?: number};

const FONT_SIZE = 14;
const CELL_W = 8.4; // 0.6 em: the advance of DejaVu Sans Mono, Menlo, Consolas
const CELL_H = 18;
const BASELINE = 13.5;
const PAD = 14;
const TITLE_H = 30;
const FONT_FAMILY = "'DejaVu Sans Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace";

const num = (value: number): string => String(Math.round(value * 100) / 100);

/** An SVG of a terminal screen: every cell at its own x, colours and bold from the SGR codes. */
export function renderSvg(ansi: string, options: SvgOptions = {}): string {
	const columns = options.columns ?? COLUMNS;
	const rows = options.rows ?? ROWS;
	const grid = parseAnsi(ansi, rows);
	const top = options.title === undefined ? PAD : TITLE_H + PAD / 2;
	const widthPx = PAD * 2 + columns * CELL_W;
	const heightPx = top + rows * CELL_H + PAD;
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
		for (let i = 0; i < placed.length;) {
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
		for (let i = 0; i < placed.length;) {
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

// ---------------------------------------------------------------------------------------------
// tmux

let tmuxSocket: string | undefined;
let currentSession = 'final';

function tmux(...args: string[]): {ok: boolean; stdout: string; stderr: string} {
	if (!tmuxSocket) throw new Error('no tmux server');
	const env = {...process.env};
	delete env.NO_COLOR;
	delete env.FORCE_COLOR;
	delete env.TMUX;
	const r = spawnSync('tmux', ['-L', tmuxSocket, '-f', '/dev/null', ...args], {encoding: 'utf8', timeout: 10_000, env});
	return {ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
}

function killTmux(): void {
	if (!tmuxSocket) return;
	spawnSync('tmux', ['-L', tmuxSocket, 'kill-server'], {stdio: 'ignore', timeout: 10_000});
	rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, tmuxSocket), {force: true});
	tmuxSocket = undefined;
}

const capture = (colour: boolean): string => tmux('capture-pane', '-p', ...(colour ? ['-e'] : []), '-t', currentSession).stdout;

const keys = (...names: string[]): void => {
	tmux('send-keys', '-t', currentSession, ...names);
};

/** Polls the screen (plain text) until `what` matches; bounded. */
async function waitFor(what: RegExp, limitMs = SCREEN_TIMEOUT_MS): Promise<string> {
	let last = '';
	for (const started = Date.now(); Date.now() - started < limitMs;) {
		last = capture(false);
		if (what.test(last)) return last;
		await sleep(100);
	}
	throw new Error(`the screen never showed ${what}:\n${last}`);
}

// ---------------------------------------------------------------------------------------------
// Output

type Shot = {name: string; ansi: string; text: string; note: string};

const screenLines = (text: string): number => text.replace(/\n+$/, '').split('\n').length;

function hasRsvg(): boolean {
	return spawnSync('rsvg-convert', ['--version'], {stdio: 'ignore', timeout: 5000}).status === 0;
}

function writeShot(shot: Shot, pngDir: string | undefined): void {
	mkdirSync(MEDIA, {recursive: true});
	writeFileSync(path.join(MEDIA, `${shot.name}.ansi`), shot.ansi);
	writeFileSync(path.join(MEDIA, `${shot.name}.txt`), shot.text.replace(/\n+$/, '\n'));
	const svgFile = path.join(MEDIA, `${shot.name}.svg`);
	writeFileSync(svgFile, renderSvg(shot.ansi, {title: COMMAND_LINE}));
	let png = '';
	if (pngDir) {
		const pngFile = path.join(pngDir, `${shot.name}.png`);
		const r = spawnSync('rsvg-convert', ['-o', pngFile, svgFile], {encoding: 'utf8', timeout: 30_000});
		png = r.status === 0 ? `, ${pngFile}` : ` (rsvg-convert failed: ${r.stderr.trim()})`;
	}
	log(`${shot.name}: media/${shot.name}.svg .txt .ansi${png} — ${shot.note}; ${screenLines(shot.text)} lines on screen`);
}

function pngDirectory(): string | undefined {
	if (!hasRsvg()) {
		log('rsvg-convert not found (apt-get install librsvg2-bin): no PNGs to look at');
		return undefined;
	}
	const dir = path.join(os.tmpdir(), 'fwcheck-media-png');
	mkdirSync(dir, {recursive: true});
	return dir;
}

function renderOnly(): number {
	const pngDir = pngDirectory();
	const names = existsSync(MEDIA) ? readdirSync(MEDIA).filter(file => file.endsWith('.ansi')) : [];
	if (names.length === 0) {
		log('no media/*.ansi to render: run without --render-only first (as root)');
		return 1;
	}
	for (const file of names) {
		const ansi = readFileSync(path.join(MEDIA, file), 'utf8');
		const name = file.slice(0, -'.ansi'.length);
		const textFile = path.join(MEDIA, `${name}.txt`);
		// eslint-disable-next-line no-control-regex
		const text = existsSync(textFile) ? readFileSync(textFile, 'utf8') : ansi.replaceAll(/\u001B\[[0-9;:?]*[A-Za-z]/g, '');
		writeShot({name, ansi, text, note: 're-rendered'}, pngDir);
	}
	return 0;
}

// ---------------------------------------------------------------------------------------------
// The run

const createLabWaiting = async (): Promise<Lab> =>
	createLabWhenFree({
		tries: LAB_WAIT_TRIES,
		intervalMs: LAB_WAIT_MS,
		onWait(why, attempt) {
			log(`${why}: waiting ${LAB_WAIT_MS / 1000} s (${attempt}/${LAB_WAIT_TRIES})`);
		},
	});

const progressOf = (screen: string): {done: number; total: number} | undefined => {
	const match = /(\d+)\/(\d+)\s+\d+%/.exec(screen);
	return match ? {done: Number(match[1]), total: Number(match[2])} : undefined;
};

/** How many different row states the table shows in its verdict column (ok, each failure, busy, checking, rechecking, queued). */
const rowKinds = (screen: string): number => {
	const kinds = new Set<string>();
	for (const row of screen.split('\n')) {
		if (!/^[ ›] \d+ /.test(row)) continue;
		// At 80 columns the verdict is the last column, from cell 59 on (PortRow.columnsFor).
		const verdict = [...row].slice(59).join('').trim();
		const kind = /\b(rechecking|checking|queued)\b/.exec(verdict)?.[1] ?? verdict.split(' ').slice(0, 2).join(' ');
		if (kind) kinds.add(kind);
	}
	return kinds.size;
};

type Candidate = {ansi: string; text: string; done: number; total: number; kinds: number};

/**
 * Starts the TUI in a new tmux session and polls it until the verdict shows. While it runs, keeps
 * the capture whose rows show the most kinds of state, then the one nearest 60% done; `whileRunning`
 * gets one call once the sweep is under way (to move the cursor, say).
 */
async function sweepSession(
	lab: Lab,
	session: string,
	whileRunning?: () => Promise<void>,
): Promise<{best: Candidate | undefined; tallest: number}> {
	const command = ['ip', 'netns', 'exec', NS.pbx, process.execPath, CLI, '--stun', HOSTS.coturn, '--ports', PORTS]
		.map(shellQuote)
		.join(' ');
	const created = tmux('new-session', '-d', '-s', session, '-x', String(COLUMNS), '-y', String(ROWS), '-c', REPO, command);
	if (!created.ok) throw new Error(`tmux new-session: ${created.stderr.trim()}`);
	tmux('set-option', '-g', 'status', 'off');
	currentSession = session;
	const size = tmux('display-message', '-p', '-t', session, '#{pane_width}x#{pane_height}').stdout.trim();
	log(
		`${session}: tmux pane ${size}, TERM ${tmux('show-options', '-g', '-v', 'default-terminal').stdout.trim()}: ${COMMAND_LINE} in ${NS.pbx}`,
	);
	let best: Candidate | undefined;
	let tallest = 0;
	let hooked = !whileRunning;
	const started = Date.now();
	const better = (a: Candidate, b: Candidate | undefined): boolean =>
		!b || a.kinds > b.kinds || (a.kinds === b.kinds && Math.abs(a.done / a.total - 0.6) < Math.abs(b.done / b.total - 0.6));
	while (Date.now() - started < SWEEP_TIMEOUT_MS) {
		const ansi = capture(true);
		const text = capture(false);
		tallest = Math.max(tallest, screenLines(text));
		if (/\btook \d/.test(text)) {
			log(`${session}: sweep over after ~${((Date.now() - started) / 1000).toFixed(1)} s; tallest screen ${tallest} lines`);
			return {best, tallest};
		}
		const progress = progressOf(text);
		if (!hooked && /Checking \d+ UDP ports/.test(text)) {
			hooked = true;
			await whileRunning?.();
			continue;
		}
		if (progress && /\belapsed \d/.test(text) && progress.done > 0) {
			const candidate = {ansi, text, ...progress, kinds: rowKinds(text)};
			if (better(candidate, best)) best = candidate;
		}
		await sleep(40);
	}
	throw new Error(`no verdict within ${SWEEP_TIMEOUT_MS} ms:\n${capture(false)}\n${await lab.routerState()}`);
}

async function quitSession(session: string): Promise<void> {
	keys('q');
	for (let i = 0; i < 50 && tmux('has-session', '-t', session).ok; i++) await sleep(100);
	if (tmux('has-session', '-t', session).ok) {
		log(`${session}: still there 5 s after q: killing it`);
		tmux('kill-session', '-t', session);
	}
}

async function shoot(lab: Lab, pngDir: string | undefined): Promise<Shot[]> {
	const shots: Shot[] = [];
	tmuxSocket = `fwcheck-media-${process.pid}`;

	// The run left alone: the final screen, then the keys a user would press.
	const natural = await sweepSession(lab, 'final');
	// (2) The final screen, once the last frame has landed.
	await sleep(500);
	shots.push({name: 'table', ansi: capture(true), text: capture(false), note: 'final screen'});

	// The failed-only table, with the cursor on the inbound-blocked port.
	keys('f');
	await waitFor(/\[failed \d+\/\d+\]/);
	keys('/');
	await waitFor(/Jump to port:/);
	keys('9', '1', '7', '0', 'Enter');
	await waitFor(new RegExp(`› ${BLOCKED_PORT} `));
	await sleep(300);
	shots.push({
		name: 'failed',
		ansi: capture(true),
		text: capture(false),
		note: `filter failed, cursor on ${BLOCKED_PORT} (f, /${BLOCKED_PORT} Enter)`,
	});

	// (3) Drill-down of the inbound-blocked port.
	keys('Enter');
	await waitFor(new RegExp(`Port ${BLOCKED_PORT} · details`));
	await sleep(300);
	shots.push({name: 'detail', ansi: capture(true), text: capture(false), note: `details of ${BLOCKED_PORT} (Enter)`});
	keys('Escape');
	await waitFor(/Port\s+Test 1 reach/);

	// (4) The F summary.
	keys('F');
	await waitFor(/Summary · failed ranges/);
	await sleep(300);
	shots.push({name: 'summary', ansi: capture(true), text: capture(false), note: 'F summary'});
	keys('Escape');
	await waitFor(/Port\s+Test 1 reach/);
	await quitSession('final');

	// (1) Mid-sweep. Left alone the cursor follows the newest port, so the rows on screen are all
	// "checking"; a second run jumps to the edge of the forwarded range as soon as the sweep starts
	// (`/9142` Enter), where finished, running and busy rows meet.
	await lab.flushConntrack();
	const jumped = await sweepSession(lab, 'sweep', async () => {
		keys('/', ...SWEEP_JUMP.split(''), 'Enter');
	});
	await quitSession('sweep');
	for (const [name, run] of [
		['left alone', natural],
		[`/${SWEEP_JUMP}`, jumped],
	] as const) {
		log(
			`mid-sweep candidate (${name}): ${run.best ? `${run.best.done}/${run.best.total}, ${run.best.kinds} kinds of row` : 'none'}`,
		);
	}
	// The run left alone unless the other one shows more.
	const best = natural.best && (!jumped.best || natural.best.kinds >= jumped.best.kinds) ? natural.best : jumped.best;
	if (best) {
		const how = best === jumped.best ? `second run, cursor moved with /${SWEEP_JUMP}` : 'first run, left alone';
		shots.unshift({
			name: 'sweep',
			ansi: best.ansi,
			text: best.text,
			note: `mid-sweep ${best.done}/${best.total}, ${best.kinds} kinds of row (${how})`,
		});
	} else {
		log('no mid-sweep screen caught (the sweep was too quick for the polls): skipped');
	}

	for (const shot of shots) writeShot(shot, pngDir);
	return shots;
}

async function main(): Promise<number> {
	if (process.argv.includes('--render-only')) return renderOnly();
	const support = labSupport();
	if (!support.ok) {
		log(`network lab unavailable: ${support.reason}`);
		return 2;
	}
	if (!existsSync(CLI)) {
		log(`${CLI} missing: run \`npm run build\` first`);
		return 1;
	}
	if (spawnSync('tmux', ['-V'], {stdio: 'ignore', timeout: 5000}).status !== 0) {
		log('tmux is not installed (apt-get install tmux)');
		return 1;
	}
	const pngDir = pngDirectory();
	const lab = await createLabWaiting();
	try {
		await lab.startCoturn();
		await lab.setRouter({kind: 'forward-part', ports: FORWARDED});
		await lab.holdPort(BUSY_PORT);
		log(`lab up: coturn ${HOSTS.coturn}, router forwards ${FORWARDED.join('-')} 1:1, UDP ${BUSY_PORT} held on the PBX`);
		const shots = await shoot(lab, pngDir);
		log(`${shots.length} screenshots in media/${pngDir ? `; PNGs in ${pngDir}` : ''}`);
		return 0;
	} finally {
		killTmux();
		await lab.teardown();
	}
}

process.on('exit', killTmux);
const watchdog = setTimeout(() => {
	log(`watchdog: still running after ${WATCHDOG_MS / 60_000} min, giving up`);
	process.exit(1); // the lab's exit handler tears it down, ours kills tmux
}, WATCHDOG_MS);
watchdog.unref();

try {
	process.exitCode = await main();
} catch (error) {
	log(`failed: ${(error as Error).stack ?? String(error)}`);
	process.exitCode = 1;
}
