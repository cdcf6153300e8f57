import {words} from '../../catalog/index.js';
import {ScrollPane} from './ScrollPane.js';
import {paneLines} from '../text/layout.js';
import type {SweepState} from '../state/types.js';

/** Drill-down for one port: both tests, addresses, the busy port's owner, and what to do. */
export function PortDetail({state, height}: {state: SweepState; height: number}) {
	if (state.pane.kind !== 'detail') {
		return null;
	}

	return (
		<ScrollPane
			tag={state.tag}
			title={words().tui.panes.detail(state.pane.port)}
			lines={paneLines(state)}
			scroll={state.pane.scroll}
			height={height}
			columns={state.viewport.columns}
		/>
	);
}
