// A demo is labelled on every screen: the caption above the table, and its tag at the head of the
// drill-down, the summary and the help pane.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, mixedCode, portResult, range} from './fixtures.js';
import {delay, keys, waitForFrame} from './helpers.js';

afterEach(() => {
	cleanup();
});

test('SIMULATION heads the table screen, the drill-down, the summary and the help pane at 80x24', async () => {
	const ports = range(9000, 9099);
	const app = render(
		<App
			config={config(ports)}
			run={instantRunner(ports.map(port => portResult(port, mixedCode(port))))}
			columns={80}
			rows={24}
			caption="SIMULATION (--demo --faults): a made-up router inside fwcheck. Nothing here is your network."
			tag="SIMULATION"
		/>,
	);
	await delay(20);
	const table = await waitForFrame(app, frame => frame.includes(' took '));
	assert.match(table, /SIMULATION \(--demo --faults\)/);

	const screens: Array<[string, RegExp]> = [
		[keys.enter, /^SIMULATION · Port \d+ · details/m],
		['F', /^SIMULATION · Summary/m],
		['?', /^SIMULATION · Keys/m],
	];
	for (const [key, title] of screens) {
		app.stdin.write(key);
		await waitForFrame(app, frame => title.test(frame));
		app.stdin.write(keys.escape);
		await waitForFrame(app, frame => frame.includes('SIMULATION (--demo --faults)'));
	}
});
