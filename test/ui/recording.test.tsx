import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {redraw, screenText} from '../../scripts/media/redraw.js';
import {App} from '../../source/ui/components/App.js';
import type {RecordedEntry} from '../../source/ui/state/recording.js';
import {config, range, scriptedRunner} from './fixtures.js';
import {delay, keys, waitForFrame} from './helpers.js';

afterEach(() => {
	cleanup();
});

test('a recorded run replays to the state on screen: after the sweep, a filter and a drill-down', async () => {
	const entries: RecordedEntry[] = [];
	// Through JSON, as the file FWCHECK_RECORD_TUI writes keeps them.
	const record = (entry: RecordedEntry) => entries.push(JSON.parse(JSON.stringify(entry)) as RecordedEntry);
	const app = render(
		<App
			config={config(range(9000, 9199))}
			run={scriptedRunner({perTick: 20, codeOf: port => (port >= 9150 ? 'inbound-blocked' : 'ok')}).run}
			columns={80}
			rows={24}
			color
			record={record}
		/>,
	);
	await delay(20);
	const intents = () => entries.length - 1;
	const same = () => assert.equal(redraw(entries, intents()), screenText(app.lastFrame() ?? ''));

	await waitForFrame(app, frame => /\btook \d/.test(frame));
	assert.ok('start' in entries[0]!, 'the start comes first');
	same();
	app.stdin.write('f');
	await waitForFrame(app, frame => frame.includes('[failed'));
	same();
	app.stdin.write(keys.enter);
	await waitForFrame(app, frame => frame.includes('· details'));
	same();
	// Fewer intents draw an earlier screen: the count matters.
	assert.notEqual(redraw(entries, intents() - 1), screenText(app.lastFrame() ?? ''));
});

test('without a recorder nothing is recorded and the app runs as before', async () => {
	const app = render(<App config={config(range(9000, 9009))} run={scriptedRunner().run} columns={80} rows={24} />);
	await waitForFrame(app, frame => /\btook \d/.test(frame));
});
