// The router view in the TUI: a header line for the path once it is known (the frame still fits
// 80×24), the n pane with the router, the path's evidence, windowed mappings and hairpin, and
// checklists that lead with the right box.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {CheckReport} from '../../source/check/types.js';
import type {PathReport, RouterView} from '../../source/router/types.js';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, localIp, makeReport, portResult, range} from './fixtures.js';
import {delay, keys, lineCount, waitForFrame, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

const mappings = range(9000, 9059).map(port => ({
	protocol: 'UDP',
	externalPort: port,
	internalHost: port < 9010 ? '192.168.1.50' : localIp,
	internalPort: port,
	description: `map ${port}`,
}));
const router: RouterView = {
	gateway: '192.168.1.1',
	wanAddress: '192.168.0.2',
	wanSource: 'nat-pmp',
	answered: ['nat-pmp', 'upnp'],
	mappings,
	notes: [],
};
const path: PathReport = {
	verdict: 'double-nat',
	hops: ['192.168.1.1', '192.168.0.1', '198.51.100.10'],
	evidence: ['hop 2 192.168.0.1 is a private (LAN) address'],
	outerNat: '192.168.0.1',
};
const results = range(9000, 9019).map(port => portResult(port, port < 9010 ? 'inbound-blocked' : 'ok'));

/** A finished sweep that reports the router view the way withNetworkView does: an event, then done. */
const runner = (report: CheckReport): SweepRunner => {
	const base = instantRunner(results, report);
	return async (checkConfig, options) =>
		base(checkConfig, {
			...options,
			onEvent(event) {
				if (event.type === 'done') options.onEvent({type: 'network', router, path});
				options.onEvent(event);
			},
		});
};

const start = async (report: CheckReport) => {
	const app = render(<App config={config(results.map(result => result.port))} run={runner(report)} columns={80} rows={24} />);
	await delay(20);
	return app;
};

test('the header shows the path once known; the frame still fits', async () => {
	const app = await start(makeReport(results, {router, path, hairpin: 'fail'}));
	const frame = await waitForText(app, 'path double NAT (192.168.0.1)');
	assert.ok(lineCount(frame) <= 23, `${lineCount(frame)} lines`);
});

test('n opens the router pane: path and why, router, mappings scrolled as a window, hairpin; listed under ?', async () => {
	const app = await start(makeReport(results, {router, path, hairpin: 'fail'}));
	await waitForText(app, 'path double NAT');
	app.stdin.write('n');
	const pane = await waitForText(app, 'Router and path');
	assert.match(pane, /hops {2}192\.168\.1\.1 → 192\.168\.0\.1 → 198\.51\.100\.10/);
	assert.match(pane, /hop 2 192\.168\.0\.1 is a private/);
	assert.match(pane, /Router 192\.168\.1\.1: NAT-PMP and UPnP answer; WAN 192\.168\.0\.2; 60 mappings\./);
	assert.match(pane, /UDP 9000 → 192\.168\.1\.50:9000/);
	assert.ok(lineCount(pane) <= 23);
	assert.doesNotMatch(pane, /map 9059/, 'only the window is drawn');
	app.stdin.write(keys.end);
	const bottom = await waitForText(app, 'Hairpin: does not work');
	assert.match(bottom, /map 9059/);
	app.stdin.write(keys.escape);
	await waitForFrame(app, frame => !frame.includes('Router and path'));
	app.stdin.write('?');
	assert.match(await waitForText(app, 'Keys'), /n +router and path/);
});

test('the F summary leads the inbound-blocked checklist with both boxes and names the other host', async () => {
	const app = await start(makeReport(results, {router, path}));
	await waitForText(app, 'path double NAT');
	app.stdin.write('F');
	const summary = await waitForText(app, 'inbound-blocked: 9000-9009');
	assert.match(summary, /1\. A second NAT sits in front of your router/);
	assert.match(summary, /forwards UDP 9000-9009 to 192\.168\.1\.50/);
});

test('no router view: no path line, and the pane says why', async () => {
	const app = render(<App config={config([9000])} run={instantRunner([portResult(9000, 'ok')])} columns={80} rows={24} />);
	await delay(20);
	const frame = await waitForText(app, '✔ 1 ok');
	assert.doesNotMatch(frame, /^path /m);
	app.stdin.write('n');
	assert.match(await waitForText(app, 'not asked'), /--no-router/);
});
