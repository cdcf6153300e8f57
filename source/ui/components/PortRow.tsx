import {Text} from 'ink';
import {memo} from 'react';
import {words} from '../../catalog/index.js';
import {formatOwner} from '../../words/format.js';
import type {Row, Test3Seen} from '../state/types.js';
import {testCell, toneOfCode, verdictText} from '../text/format.js';
import type {Segment} from '../text/line.js';
import {spinnerFrame} from '../text/spinner.js';
import {fit, fitEnd} from '../text/wrap.js';
import {colorOf, drawn} from '../theme.js';
import {useTheme} from '../hooks/use-theme.js';

export interface Columns {
	port: number;
	test1: number;
	test2: number;
	test3: number;
	mapped: number;
	verdict: number;
}

const verdictMin = 18;

/** Column widths for a terminal this wide; the verdict takes what is left, and narrow screens lose the mapped address, then Test 3. */
export const columnsFor = (width: number): Columns => {
	// Test 3 goes after the mapped address when even that leaves the verdict too little room.
	const test3 = width - (2 + 7 + 13 + 13) - 9 >= verdictMin ? 9 : 0;
	const base = 2 + 7 + 13 + 13 + test3;
	const room = width - base - verdictMin;
	const mapped = width >= 100 ? 24 : room >= 22 ? 22 : room >= 12 ? room : 0;
	return {port: 7, test1: 13, test2: 13, test3, mapped, verdict: Math.max(8, width - base - mapped)};
};

const muted = {text: '·', tone: 'muted' as const};

/** The Test 3 cell before the verdict: what this run's Test 3 has said so far. */
const test3Cell = (seen: Test3Seen): Segment => {
	const said = words().tui.table;
	switch (seen) {
		case 'pass': {
			return {text: said.pass, tone: 'ok'};
		}

		case 'busy': {
			return {text: said.busy, tone: 'warn'};
		}

		case 'fail': {
			return {text: said.fail, tone: 'bad'};
		}

		default: {
			return {text: said.failMaybe, tone: 'bad'};
		}
	}
};

/** The verdict cell before the verdict: waiting, a Test 3 failure not yet confirmed, or checking. */
const pendingWord = (row: Row, frame: number): Segment => {
	const said = words().tui.table;
	if (row.test3 === 'confirming') {
		return {text: said.confirming(spinnerFrame(frame)), tone: 'info'};
	}

	if (row.phase === 'running') {
		return {text: said.checking(spinnerFrame(frame)), tone: 'info'};
	}

	return row.test3 === 'fail?' ? {text: said.toConfirm, tone: 'muted'} : {text: said.queued, tone: 'muted'};
};

const cells = (row: Row, frame: number): Segment[] => {
	const {result} = row;
	if (row.phase === 'queued' || row.phase === 'running') {
		return [muted, muted, row.test3 ? test3Cell(row.test3) : muted, {text: ''}, pendingWord(row, frame)];
	}

	// A skipped port with a code shows it, and the tests it ran (a cancel's unconfirmed findings).
	if (!result || !result.code) {
		const none = {text: '–', tone: 'muted' as const};
		return [none, none, none, {text: ''}, {text: words().tui.table.notChecked, tone: 'muted'}];
	}

	const verdictCell: Segment =
		row.phase === 'rechecking'
			? {text: words().tui.table.rechecking(spinnerFrame(frame)), tone: 'info'}
			: {
					text:
						result.status === 'busy' && result.owner
							? `${verdictText(result)} ${formatOwner(result.owner)}`
							: verdictText(result),
					tone: toneOfCode(result.code),
				};
	return [
		testCell(result.test1, 1),
		testCell(result.test2, 2),
		testCell(result.test3, 3),
		{text: result.mapped ?? '', tone: result.mapped?.endsWith(`:${row.port}`) === false ? 'bad' : undefined},
		verdictCell,
	];
};

function PortRowView({row, columns, selected, frame}: {row: Row; columns: Columns; selected: boolean; frame: number}) {
	const theme = useTheme();
	const widths = [columns.test1, columns.test2, columns.test3, columns.mapped, columns.verdict];
	// The mapped address (index 3) is cut from the left so its port stays; the verdict (4) takes the rest.
	return (
		<Text wrap="truncate-end" inverse={selected} bold={selected}>
			{selected ? drawn(theme, '› ') : '  '}
			{fit(String(row.port), columns.port)}
			{cells(row, frame).map((cell, index) =>
				widths[index] === 0 ? null : (
					<Text key={index} color={colorOf(theme, cell.tone)} dimColor={cell.tone === 'muted' && !selected}>
						{drawn(
							theme,
							(index === 3 ? fitEnd : fit)(cell.text, widths[index]! - (index === 4 ? 0 : 1)) + (index === 4 ? '' : ' '),
						)}
					</Text>
				),
			)}
		</Text>
	);
}

// Rows that did not change skip rendering; the spinner frame only reaches rows that show it.
export const PortRow = memo(PortRowView);
