// The SIP ALG, SIP port and TCP results in the TUI: one header line that fits 80 columns without
// colour for a failing, a clean and a skipped check; the v pane with each rewritten line sent vs
// received, the SIP port's answer, TCP ports one per row and the checklist; keys to open and close.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {CheckReport, SweepEvent} from '../../source/check/types.js';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, makeReport, portResult, range} from './fixtures.js';
import {delay, keys, lineCount, waitForFrame, waitForText} from './helpers.js';
import {asterisk, clean, serviceEvents, unavailable, withAlg} from './service-fixtures.js';

afterEach(() => {
	cleanup();
});

type Results = Pick<CheckReport, 'services' | 'sip' | 'sipService' | 'tcp'>;
const results = range(9000, 9029).map(port => portResult(port, 'ok'));

/** A finished sweep whose engine ran the services beside it: their two events, then done. */
const runner = (services: Results, report: CheckReport, extra: SweepEvent[] = []): SweepRunner => {
	const base = instantRunner(results, report);
	return async (checkConfig, options) =>
		base(checkConfig, {
			...options,
			onEvent(event) {
				if (event.type === 'done') {
					for (const serviceEvent of [...serviceEvents(services), ...extra]) {
						options.onEvent(serviceEvent);
					}
				}

				options.onEvent(event);
			},
		});
};

const start = async (services: Results, options: {columns?: number; inReport?: boolean} = {}) => {
	const report = makeReport(results, options.inReport === false ? {} : services);
	const app = render(
		<App
			config={config(results.map(result => result.port))}
			run={runner(services, report)}
			columns={options.columns ?? 80}
			rows={24}
			color={false}
		/>,
	);
	await delay(20);
	return app;
};

const assertFits = (frame: string, columns: number): void => {
	assert.ok(lineCount(frame) <= 23, `${lineCount(frame)} lines`);
	for (const row of frame.split('\n')) {
		assert.ok(stringWidth(row) <= columns, `${stringWidth(row)} cells: ${row}`);
	}
};

test('an ALG that rewrites: one header line at 80 columns with the transports, the SIP port and TCP', async () => {
	const app = await start(withAlg);
	const frame = await waitForText(app, 'SIP ALG');
	const header = frame.split('\n').find(row => row.startsWith('SIP ALG'))!;
	assert.match(header, /UDP ✘ rewritten 3 {2}TCP ✔ untouched · SIP 5060 ✔ 401 · TCP ✘ 1\/4 ok {2}v$/);
	assertFits(frame, 80);
});

test('a clean path reads untouched; a wider terminal gets the long words and the hint', async () => {
	const app = await start(clean, {columns: 100});
	const frame = await waitForText(app, 'SIP ALG');
	assert.match(frame, /^SIP ALG {2}UDP ✔ untouched {2}TCP ✔ untouched · SIP 5060 ✔ answers 401 · TCP ✔ 2\/2 ok {2}v details$/m);
	assert.match(frame, /v sip\/tcp/, 'the footer has room for the key at 100 columns');
	assertFits(frame, 100);
});

test('a server without the services: one short skipped line, and the pane says what to run', async () => {
	const app = await start(unavailable);
	const frame = await waitForText(app, 'SIP/TCP');
	assert.match(frame, /^SIP\/TCP – skipped: needs a server run with `fwcheck serve`$/m);
	assert.doesNotMatch(frame, /SIP ALG/);
	assertFits(frame, 80);
	app.stdin.write('v');
	const pane = await waitForText(app, 'Skipped:');
	assert.match(pane, /fwcheck serve --primary A --alternate B/);
});

test('no services events and no fields: no line, nothing else changes', async () => {
	const app = render(<App config={config([9000])} run={instantRunner([portResult(9000, 'ok')])} columns={80} rows={24} />);
	await delay(20);
	const frame = await waitForText(app, '✔ 1 ok');
	assert.doesNotMatch(frame, /SIP|TCP/);
	app.stdin.write('v');
	assert.match(await waitForText(app, 'did not run'), /--no-sip/);
});

test('v opens the drill-down: sent vs received per rewritten line, the SIP answer, TCP rows, the checklist; v and Esc close it', async () => {
	const app = await start(withAlg);
	await waitForText(app, 'SIP ALG');
	app.stdin.write('v');
	const pane = await waitForText(app, 'what the server received');
	assert.match(pane, /SIP ALG · UDP {2}✘ rewritten \(3 lines\)/);
	assert.match(
		pane,
		/^ {2}Contact\n {4}sent {6}Contact: <sip:fwcheck@192\.168\.1\.20:5060>\n {4}received {2}Contact: <sip:fwcheck@203\.0\.113\.7:5060>$/m,
	);
	assert.match(pane, /^ {4}sent {6}c=IN IP4 192\.168\.1\.20\n {4}received {2}c=IN IP4 203\.0\.113\.7$/m);
	assertFits(pane, 80);
	app.stdin.write(keys.end);
	const bottom = await waitForText(app, '● busy-reached (5060)');
	assert.match(bottom, /✘ tcp-refused \(5061\)\n {2}1\. Add a static forward on the router: TCP 5061/);
	assert.match(bottom, /held by asterisk \(pid 812\)/);
	app.stdin.write(keys.home);
	await waitForText(app, 'SIP ALG · UDP');
	for (let step = 0; step < 20; step++) {
		app.stdin.write(keys.down);
	}

	const middle = await waitForText(app, 'TCP ports · 1/4 ok, 1 busy');
	assert.match(middle, /^ {2}5060 +● busy-reached +busy here, answered from outside · asterisk \(pid 812\)$/m);
	assert.match(middle, /^ {2}5061 +✘ tcp-refused +refused$/m);
	assert.match(middle, /UDP ✔ answers 401 {2}SIP\/2\.0 401 Unauthorized/);
	app.stdin.write('v');
	await waitForFrame(app, frame => !frame.includes('what the server received') && frame.includes('SIP ALG UDP'));
	app.stdin.write('v');
	await waitForText(app, 'what the server received');
	app.stdin.write(keys.escape);
	await waitForFrame(app, frame => !frame.includes('what the server received') && frame.includes('SIP ALG UDP'));
	app.stdin.write('?');
	assert.match(await waitForText(app, 'this help'), /v +SIP ALG and TCP: each line an ALG rewrote/);
});

test('the summary names what needs doing and points at v', async () => {
	const app = await start(withAlg);
	await waitForText(app, 'SIP ALG');
	app.stdin.write('F');
	const summary = await waitForText(app, 'v shows');
	assert.match(summary, /✘ sip-alg \(UDP\): Something on the way rewrites/);
	assert.match(summary, /Every UDP port is forwarded 1:1\./);
	assert.doesNotMatch(summary, /Nothing to do/);
});

test('wide process names and a narrow terminal stay inside the columns', async () => {
	const owner = {...asterisk, name: '電話交換機サーバー'};
	const wide: Results = {
		...withAlg,
		sipService: {...withAlg.sipService!, process: owner},
		tcp: withAlg.tcp!.map(row => (row.process ? {...row, process: owner} : row)),
	};
	for (const columns of [80, 40]) {
		const app = await start(wide, {columns});
		const frame = await waitForText(app, 'SIP ALG');
		assertFits(frame, columns);
		app.stdin.write('v');
		await waitForText(app, 'SIP ALG ·');
		for (let page = 0; page < 12; page++) {
			assertFits(await waitForText(app, 'SIP'), columns);
			app.stdin.write(keys.pageDown);
			await delay(20);
		}

		const last = await waitForText(app, 'SIP');
		assertFits(last, columns);
		app.unmount();
	}
});

test('while the services run the header says so; the report fills the line in at the end', async () => {
	let finish: (() => void) | undefined;
	const run: SweepRunner = async (_config, {onEvent}) => {
		onEvent({type: 'sweep-started', ports: [9000]});
		onEvent({type: 'services-started', tcp: [5001, 5061], sipPort: 5060});
		onEvent({type: 'port-finished', result: portResult(9000, 'ok')});
		await new Promise<void>(resolve => {
			finish = resolve;
		});
		// An engine that puts the results only in the report still fills the line in.
		const report = makeReport([portResult(9000, 'ok')], clean);
		onEvent({type: 'done', report});
		return report;
	};

	const app = render(<App config={config([9000])} run={run} columns={80} rows={24} color={false} />);
	const running = await waitForText(app, 'SIP/TCP');
	assert.match(running, /checking SIP ALG, SIP 5060, 2 TCP ports…/);
	finish!();
	const done = await waitForText(app, 'UDP ✔ untouched');
	assert.doesNotMatch(done, /checking SIP ALG/);
});
