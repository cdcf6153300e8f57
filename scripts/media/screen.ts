// A captured terminal screen (tmux `capture-pane -e`: text with SGR codes, one line per row)
// read back as cells by a real terminal emulator, @xterm/headless: it owns SGR parsing (colour
// modes, sub-parameters, resets) and cell widths (wide CJK characters take two cells, combining
// marks join the cell before), so this module only translates its cells into our styles.
import xterm from '@xterm/headless';
import type {IBufferCell} from '@xterm/headless';
import {xterm256} from './palette.js';
import type {Rgb} from './palette.js';

export type Style = {
	fg: Rgb | undefined;
	bg: Rgb | undefined;
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
	inverse: boolean;
	strike: boolean;
};

/** One character on screen: a wide one has width 2 and no cell of its own for its right half. */
export type Cell = {text: string; style: Style; width: number};

export type ScreenSize = {columns: number; rows: number};

const rgbOf = (value: number): Rgb => [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];

function colour(mode: 'fg' | 'bg', cell: IBufferCell): Rgb | undefined {
	if (mode === 'fg' ? cell.isFgDefault() : cell.isBgDefault()) return undefined;
	const value = mode === 'fg' ? cell.getFgColor() : cell.getBgColor();
	return (mode === 'fg' ? cell.isFgRGB() : cell.isBgRGB()) ? rgbOf(value) : xterm256(value);
}

const styleOf = (cell: IBufferCell): Style => ({
	fg: colour('fg', cell),
	bg: colour('bg', cell),
	bold: cell.isBold() !== 0,
	dim: cell.isDim() !== 0,
	italic: cell.isItalic() !== 0,
	underline: cell.isUnderline() !== 0,
	inverse: cell.isInverse() !== 0,
	strike: cell.isStrikethrough() !== 0,
});

/**
 * The screen as rows of cells, every row `columns` wide (blank cells are spaces in the default
 * style). Lines past `rows` are left out rather than scrolling the first ones away.
 */
export async function readScreen(ansi: string, {columns, rows}: ScreenSize): Promise<Cell[][]> {
	const terminal = new xterm.Terminal({cols: columns, rows, convertEol: true, allowProposedApi: true, scrollback: 0});
	try {
		// No newline after the last row: it would scroll the screen up by one.
		const lines = ansi.replace(/\n$/, '').split('\n').slice(0, rows);
		await new Promise<void>(resolve => terminal.write(lines.join('\n'), resolve));
		const buffer = terminal.buffer.active;
		const screen: Cell[][] = [];
		for (let y = 0; y < rows; y++) {
			const line = buffer.getLine(buffer.viewportY + y);
			const cells: Cell[] = [];
			for (let x = 0; x < columns; x++) {
				const cell = line?.getCell(x);
				// Width 0: the right half of the wide character before it.
				if (!cell || cell.getWidth() === 0) continue;
				cells.push({text: cell.getChars() || ' ', style: styleOf(cell), width: cell.getWidth()});
			}
			screen.push(cells);
		}
		return screen;
	} finally {
		terminal.dispose();
	}
}
