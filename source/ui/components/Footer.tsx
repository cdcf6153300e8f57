import {LineView} from './Lines.js';
import {words} from '../../catalog/index.js';
import {type KeyName, keyEntry, keyWords} from '../state/key-table.js';
import {isFollowing, isRunning, servicesOf, visibleRows} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {type Line, line} from '../text/line.js';
import {width} from '../text/wrap.js';

/** A footer item: a key of the table, with the footer's own word for it here when given. */
type Item = KeyName | [KeyName, string] | [KeyName, string, string];

const pairOf = (item: Item): [string, string] => {
	if (typeof item === 'string') {
		return [keyEntry(item).footerKey, keyWords(item).footer];
	}

	const [name, word, keys] = item;
	return [keys ?? keyEntry(name).footerKey, word];
};

const keys = (items: Item[]): Line =>
	items
		.map(item => pairOf(item))
		.flatMap(([key, what], index) => [
			{text: `${index === 0 ? '' : '  '}${key}`, bold: true},
			{text: ` ${what}`, tone: 'muted' as const},
		]);

const lineWidth = (value: Line): number => value.reduce((sum, segment) => sum + width(segment.text), 0);

/** Left out first when a language's words make the line too long: the ? pane still lists them all. */
const dropOrder: KeyName[] = ['filter', 'move', 'jump', 'save', 'summary', 'rerun', 'details'];

const nameOf = (item: Item): KeyName => (typeof item === 'string' ? item : item[0]);

/** The keys after `where`, leaving out the least needed until the line fits (English always fits). */
const fitted = (columns: number, where: Line, items: Item[]): Line => {
	let kept = items;
	for (const name of dropOrder) {
		if (lineWidth([...where, ...keys(kept)]) <= columns) {
			break;
		}

		kept = kept.filter(item => nameOf(item) !== name);
	}

	return [...where, ...keys(kept)];
};

/**
 * The table's keys, with v for the SIP/TCP pane when those checks ran and the line has room for
 * it (at 80 columns it rarely has: the header's SIP/TCP line names v itself).
 */
const tableKeys = (state: SweepState, where: Line, items: Item[]): Line => {
	if (servicesOf(state)) {
		const help = items.indexOf('help');
		const withV = [...where, ...keys(items.toSpliced(help < 0 ? items.length : help, 0, 'services'))];
		if (lineWidth(withV) <= state.viewport.columns) {
			return withV;
		}
	}

	return fitted(state.viewport.columns, where, items);
};

const footerLine = (state: SweepState): Line => {
	const said = words().tui;
	if (state.prompt !== null) {
		return line(
			{text: said.footer.jumpTo, bold: true},
			{text: `${state.prompt}▏`, tone: 'info'},
			{text: said.footer.jumpKeys, tone: 'muted'},
		);
	}

	if (state.pane.kind === 'detail') {
		return keys([['move', said.footer.scroll], 'step', 'back', 'help']);
	}

	if (state.pane.kind !== 'table') {
		return keys([['move', said.footer.scroll, '↑↓ PgUp PgDn'], 'back']);
	}

	const list = visibleRows(state.rows, state.filter);
	const position = list.findIndex(row => row.port === state.selected) + 1;
	// Said on screen, so a cursor that moves by itself is not a surprise; any move key stops it.
	const following = isFollowing(state) ? said.footer.follow : '';
	const where: Line = [{text: `[${said.filters[state.filter]} ${position}/${list.length}${following}] `, tone: 'info'}];
	if (state.quitArmed || (state.run.cancelledAt && !isRunning(state))) {
		return tableKeys(state, where, ['quit', ['rerun', said.footer.rerunFailed], 'save', 'details', 'summary', 'help']);
	}

	if (isRunning(state)) {
		return tableKeys(state, where, ['move', 'details', 'filter', 'jump', 'cancel', 'help']);
	}

	// Short, so that quit and help still fit at 80 columns beside "[all 2000/2000]"; jump is under ?.
	return tableKeys(state, where, ['details', 'filter', 'summary', 'rerun', 'save', 'quit', 'help']);
};

export function Footer({state}: {state: SweepState}) {
	return <LineView line={footerLine(state)} columns={state.viewport.columns} />;
}
