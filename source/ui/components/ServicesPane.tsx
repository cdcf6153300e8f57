import {words} from '../../catalog/index.js';
import {ScrollPane} from './ScrollPane.js';
import {paneLines} from '../text/layout.js';
import type {SweepState} from '../state/types.js';

/** The v pane: SIP ALG (sent vs received per rewritten line), the SIP port's answer, TCP ports, what to do. */
export function ServicesPane({state, height}: {state: SweepState; height: number}) {
	return state.pane.kind === 'services' ? (
		<ScrollPane
			tag={state.tag}
			title={words().tui.panes.services}
			lines={paneLines(state)}
			scroll={state.pane.scroll}
			height={height}
			columns={state.viewport.columns}
		/>
	) : null;
}
