import {words} from '../../catalog/index.js';
import {keyTable, keyWords} from '../state/key-table.js';
import {type Line, blank} from './line.js';
import {fit, paragraph} from './wrap.js';

const keyColumn = 18;

/** The ? pane: each key with what it does, wrapped under its description on a narrow screen. */
export const helpLines = (size: number): Line[] => [
	...keyTable.flatMap(({name, keys: key}) => {
		const [first, ...rest] = paragraph(keyWords(name).help, size, {}, `  ${fit(key, keyColumn - 2)}`, ' '.repeat(keyColumn));
		return [[{text: first![0]!.text, tone: 'info' as const, bold: true}, ...first!.slice(1)], ...rest];
	}),
	blank,
	...paragraph(words().tui.noColour, size, {tone: 'muted'}),
];
