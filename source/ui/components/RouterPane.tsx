import {words} from '../../catalog/index.js';
import {ScrollPane} from './ScrollPane.js';
import {paneLines} from '../text/layout.js';
import type {SweepState} from '../state/types.js';

/** The n pane: the router's own view, the path and why, its mappings, hairpin. */
export function RouterPane({state, height}: {state: SweepState; height: number}) {
	return state.pane.kind === 'router' ? (
		<ScrollPane
			tag={state.tag}
			title={words().tui.panes.router}
			lines={paneLines(state)}
			scroll={state.pane.scroll}
			height={height}
			columns={state.viewport.columns}
		/>
	) : null;
}
