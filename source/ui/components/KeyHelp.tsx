import {words} from '../../catalog/index.js';
import {ScrollPane} from './ScrollPane.js';
import {paneLines} from '../text/layout.js';
import type {SweepState} from '../state/types.js';

export function KeyHelp({state, height}: {state: SweepState; height: number}) {
	return state.pane.kind === 'help' ? (
		<ScrollPane
			tag={state.tag}
			title={words().tui.panes.help}
			lines={paneLines(state)}
			scroll={state.pane.scroll}
			height={height}
			columns={state.viewport.columns}
		/>
	) : null;
}
