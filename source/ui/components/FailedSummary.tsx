import {words} from '../../catalog/index.js';
import {ScrollPane} from './ScrollPane.js';
import {paneLines} from '../text/layout.js';
import type {SweepState} from '../state/types.js';

/** The F pane: failed and busy ranges, and the checklist for each kind of failure. */
export function FailedSummary({state, height}: {state: SweepState; height: number}) {
	return state.pane.kind === 'summary' ? (
		<ScrollPane
			tag={state.tag}
			title={words().tui.panes.summary}
			lines={paneLines(state)}
			scroll={state.pane.scroll}
			height={height}
			columns={state.viewport.columns}
		/>
	) : null;
}
