import {Box, Text} from 'ink';
import {words} from '../../catalog/index.js';
import {useMemo} from 'react';
import {PortRow, columnsFor} from './PortRow.js';
import {visibleRows} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {fit} from '../text/wrap.js';

const emptyText = (filter: SweepState['filter']): string => {
	const said = words().tui.table;
	return {all: said.emptyAll, failed: said.emptyFailed, busy: said.emptyBusy, ok: said.emptyOk}[filter];
};

/** The window of rows that fits; the other rows are never handed to Ink at all. */
export function PortTable({state, height}: {state: SweepState; height: number}) {
	const columns = useMemo(() => columnsFor(state.viewport.columns), [state.viewport.columns]);
	const list = visibleRows(state.rows, state.filter);
	const window = list.slice(state.scrollTop, state.scrollTop + height);
	const said = words().tui.table;
	const head =
		'  ' +
		fit(said.port, columns.port) +
		fit(said.test1, columns.test1) +
		fit(said.test2, columns.test2) +
		(columns.test3 > 0 ? fit(said.test3, columns.test3) : '') +
		(columns.mapped > 0 ? fit(said.mapped, columns.mapped) : '') +
		fit(said.verdict, columns.verdict).trimEnd();
	return (
		<Box flexDirection="column">
			<Text bold underline wrap="truncate-end">
				{head}
			</Text>
			{window.length === 0 ? (
				<Text dimColor wrap="truncate-end">
					{fit('  ' + emptyText(state.filter), state.viewport.columns).trimEnd()}
				</Text>
			) : (
				// Keyed by place, not by port: while the table follows the sweep every row scrolls each
				// frame, and port keys would unmount and mount all of them (Ink and Yoga nodes included).
				window.map((row, slot) => {
					const moving = row.phase === 'running' || row.phase === 'rechecking' || row.test3 === 'confirming';
					return (
						<PortRow
							key={slot}
							row={row}
							columns={columns}
							selected={row.port === state.selected}
							frame={moving ? state.frame : 0}
						/>
					);
				})
			)}
		</Box>
	);
}
