import {LineView} from './Lines.js';
import {isRunning, visibleRows} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {type Line, line} from '../text/line.js';

const keys = (pairs: Array<[string, string]>): Line =>
	pairs.flatMap(([key, what], index) => [
		{text: `${index === 0 ? '' : '  '}${key}`, bold: true},
		{text: ` ${what}`, tone: 'muted' as const},
	]);

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
		return [
			...where,
			...keys([
				['q', 'quit'],
				['r', 're-run failed'],
				['s', 'save'],
				['⏎', 'details'],
				['F', 'summary'],
				['?', 'keys'],
			]),
		];
	}

	if (isRunning(state)) {
		return [
			...where,
			...keys([
				['↑↓', 'move'],
				['⏎', 'details'],
				['f', 'filter'],
				['/', 'jump'],
				['c', 'cancel'],
				['?', 'keys'],
			]),
		];
	}

	// Short, so that quit and help still fit at 80 columns beside "[all 2000/2000]"; jump is under ?.
	return [
		...where,
		...keys([
			['⏎', 'details'],
			['f', 'filter'],
			['F', 'summary'],
			['r', 're-run'],
			['s', 'save'],
			['q', 'quit'],
			['?', 'keys'],
		]),
	];
};

export function Footer({state}: {state: SweepState}) {
	return <LineView line={footerLine(state)} />;
}
