/**
 * Which characters the TUI draws its symbols with. Unicode everywhere but Windows: there the
 * console decides a symbol's width itself. conhost on a Chinese, Japanese or Korean Windows
 * measures the font's glyph and gives ambiguous-width symbols (●, →, …, █) and even ⏎ two cells;
 * Windows Terminal has drawn text-presentation emoji such as ✔ wide; Wine draws ✔ ● › ⏎ as two.
 * Any of these moves the rest of the row one cell right and wraps it at the edge. ASCII is one
 * cell on every console.
 */
export type GlyphSet = 'unicode' | 'ascii';

export const glyphSetFor = (platform: NodeJS.Platform): GlyphSet => (platform === 'win32' ? 'ascii' : 'unicode');

/**
 * One ASCII character for each symbol the TUI draws, so a line keeps the width it was laid out
 * with: the layout measures the Unicode text, and each of these is one cell there too.
 */
export const asciiFor: Readonly<Record<string, string>> = {
	'✔': '+',
	'✘': 'x',
	'●': '*',
	'◐': '~',
	'◉': 'o',
	'■': '#',
	'⇄': '=',
	'≠': '!',
	'–': '-',
	'·': '|',
	'…': '~',
	'•': '*',
	'→': '>',
	'←': '<',
	'↑': '^',
	'↓': 'v',
	'›': '>',
	'⏎': '<',
	'█': '#',
	'░': '.',
	'▏': '_',
	'§': 'S',
	// The spinner's frames (cli-spinners' "dots"): a turning bar still says "working".
	'⠋': '|',
	'⠙': '/',
	'⠹': '-',
	'⠸': '\\',
	'⠼': '|',
	'⠴': '/',
	'⠦': '-',
	'⠧': '\\',
	'⠇': '|',
	'⠏': '/',
};

const symbols = new RegExp(`[${Object.keys(asciiFor).join('').replaceAll('\\', '\\\\')}]`, 'gu');

/** Text as the terminal should get it: the symbols swapped for ASCII in the ASCII set. */
export const drawnWith = (glyphs: GlyphSet, text: string): string =>
	glyphs === 'unicode' ? text : text.replaceAll(symbols, symbol => asciiFor[symbol] ?? symbol);
