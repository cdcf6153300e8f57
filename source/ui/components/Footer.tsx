import {LineView} from './Lines.js';
import {isRunning, servicesOf, visibleRows} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {type Line, line} from '../text/line.js';
import {width} from '../text/wrap.js';

const keys = (pairs: Array<[string, string]>): Line =>
	pairs.flatMap(([key, what], index) => [
		{text: `${index === 0 ? '' : '  '}${key}`, bold: true},
		{text: ` ${what}`, tone: 'muted' as const},
	]);

/**
 * The table's keys, with v for the SIP/TCP pane when those checks ran and the line has room for
 * it (at 80 columns it rarely has: the header's SIP/TCP line names v itself).
 */
const tableKeys = (state: SweepState, where: Line, pairs: Array<[string, string]>): Line => {
	if (servicesOf(state)) {
		const help = pairs.findIndex(([key]) => key === '?');
		const withV = [...where, ...keys(pairs.toSpliced(help < 0 ? pairs.length : help, 0, ['v', 'sip/tcp']))];
		if (withV.reduce((sum, segment) => sum + width(segment.text), 0) <= state.viewport.columns) {
			return withV;
		}
	}

	return [...where, ...keys(pairs)];
};

const footerLine = (state: SweepState): Line => {
	if (state.prompt !== null) {
		return line(
			{text: 'Jump to port: ', bold: true},
			{text: `${state.prompt}▏`, tone: 'info'},
			{text: '  Enter jumps · Esc cancels', tone: 'muted'},
		);
	}

	if (state.pane.kind === 'detail') {
		return keys([
			['↑↓', 'scroll'],
			['←→', 'prev/next port'],
			['Esc', 'back'],
			['?', 'keys'],
		]);
	}

	if (state.pane.kind !== 'table') {
		return keys([
			['↑↓ PgUp PgDn', 'scroll'],
			['Esc', 'back'],
		]);
	}

	const list = visibleRows(state.rows, state.filter);
	const position = list.findIndex(row => row.port === state.selected) + 1;
	const where: Line = [{text: `[${state.filter} ${position}/${list.length}] `, tone: 'info'}];
	if (state.quitArmed || (state.run.cancelledAt && !isRunning(state))) {
		return tableKeys(state, where, [
			['q', 'quit'],
			['r', 're-run failed'],
			['s', 'save'],
			['⏎', 'details'],
			['F', 'summary'],
			['?', 'keys'],
		]);
	}

	if (isRunning(state)) {
		return tableKeys(state, where, [
			['↑↓', 'move'],
			['⏎', 'details'],
			['f', 'filter'],
			['/', 'jump'],
			['c', 'cancel'],
			['?', 'keys'],
		]);
	}

	// Short, so that quit and help still fit at 80 columns beside "[all 2000/2000]"; jump is under ?.
	return tableKeys(state, where, [
		['⏎', 'details'],
		['f', 'filter'],
		['F', 'summary'],
		['r', 're-run'],
		['s', 'save'],
		['q', 'quit'],
		['?', 'keys'],
	]);
};

export function Footer({state}: {state: SweepState}) {
	return <LineView line={footerLine(state)} />;
}
