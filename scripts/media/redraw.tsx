// A recorded screenshot drawn again: the state after the first n intents of its session's
// recording, rendered by the TUI's own Screen with ink-testing-library, as plain text.
import {render} from 'ink-testing-library';
import {Screen} from '../../source/ui/components/Screen.js';
import {replayRecording} from '../../source/ui/state/recording.js';
import type {RecordedEntry} from '../../source/ui/state/recording.js';
import {screenMeasure} from '../../source/ui/text/layout.js';

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[\d;:]*m/g;

/** Text as a terminal shows it: no styles, no spaces at line ends, no empty lines at the bottom. */
export const screenText = (text: string): string =>
	`${text
		.replaceAll(SGR, '')
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n')
		.replace(/\n+$/, '')}\n`;

export function redraw(entries: readonly RecordedEntry[], intents: number): string {
	const state = replayRecording(entries, intents, screenMeasure);
	// Colours on, as in the terminal the recording came from: some marks differ without them.
	const app = render(<Screen state={state} columns={state.viewport.columns} color />);
	try {
		return screenText(app.lastFrame() ?? '');
	} finally {
		// This one only: cleanup() would unmount every app ink-testing-library has rendered.
		app.unmount();
	}
}
