import {keyTable} from '../state/key-table.js';
import {type Line, blank} from './line.js';
import {fit, paragraph} from './wrap.js';

const keyColumn = 18;

/** The ? pane: each key with what it does, wrapped under its description on a narrow screen. */
export const helpLines = (size: number): Line[] => [
	...keyTable.flatMap(({keys: key, help: what}) => {
		const [first, ...rest] = paragraph(what, size, {}, `  ${fit(key, keyColumn - 2)}`, ' '.repeat(keyColumn));
		return [[{text: first![0]!.text, tone: 'info' as const, bold: true}, ...first!.slice(1)], ...rest];
	}),
	blank,
	...paragraph('Verdicts show a symbol and a word, so they read without colour (NO_COLOR is honoured).', size, {tone: 'muted'}),
];
