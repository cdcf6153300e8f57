import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../source/ui/components/App.js';
import {createState, reducer} from '../../source/ui/state/reducer.js';
import type {Intent, SweepState} from '../../source/ui/state/types.js';
import {watchLimitMs} from '../../source/check/watch-rules.js';
import {screenMeasure} from '../../source/ui/text/layout.js';
import {clockTime} from '../../source/words/format.js';
import {config, makeReport, portResult, range, scriptedRunner} from './fixtures.js';
import {withAlg} from './service-fixtures.js';
import {delay, waitForFrame} from './helpers.js';

afterEach(() => {
	cleanup();
});

const ports = range(9000, 9019);
const closed = new Set(range(9000, 9009));
const apply = (state: SweepState, ...intents: Intent[]): SweepState => intents.reduce(reducer, state);

/** A run of `runPorts` that ends with these codes: 9000-9009 closed until `open`. */
const runOf = (state: SweepState, now: number, open: boolean): SweepState => {
	const results = state.run.ports.map(port => portResult(port, closed.has(port) && !open ? 'inbound-blocked' : 'ok'));
	return apply(
		state,
		{type: 'run-started', runId: state.run.id, now},
		{type: 'events', runId: state.run.id, events: results.map(result => ({type: 'port-finished', result})), now},
		{type: 'run-finished', runId: state.run.id, report: makeReport(results), now},
	);
};

test('watch re-runs only what failed, round after round, and says when a range started to pass', () => {
	let state = runOf(createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}), 1000, false);
	state = apply(state, {type: 'watch', now: 2000});
	assert.equal(state.watch?.round, 1);
	assert.deepEqual(state.run.ports, [...closed]);
	state = runOf(state, 3000, false);
	assert.equal(state.watch?.lastRoundAt, 3000);
	assert.deepEqual(state.watch?.passing, []);
	assert.equal(state.watch?.bells, 0);
	state = apply(state, {type: 'watch-round'});
	assert.equal(state.watch?.round, 2);
	state = runOf(state, 4000, true);
	assert.deepEqual(state.watch?.passing, [{ranges: '9000-9009', since: 4000}]);
	assert.equal(state.watch?.bells, 1);
	assert.equal(state.watch?.stopped, 'all pass');
	// Nothing left: a late timer starts no round.
	assert.equal(apply(state, {type: 'watch-round'}).run.id, state.run.id);
});

test('watch stops after an hour, and w stops it at once', () => {
	let state = runOf(createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}), 1000, false);
	state = apply(state, {type: 'watch', now: 2000});
	state = runOf(state, 2000 + watchLimitMs, false);
	assert.equal(state.watch?.stopped, 'an hour');
	assert.equal(apply(state, {type: 'watch-round'}).run.id, state.run.id);

	state = runOf(createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}), 1000, false);
	state = apply(state, {type: 'watch', now: 2000});
	state = runOf(state, 3000, false);
	state = apply(state, {type: 'watch'});
	assert.equal(state.watch?.stopped, 'stopped');
	assert.equal(apply(state, {type: 'watch-round'}).run.id, state.run.id);
});

test('w in the TUI: rounds until the closed range passes, its time on screen, and one bell', async () => {
	let bells = 0;
	const {run, calls} = scriptedRunner({codeOf: (port, call) => (closed.has(port) && call < 2 ? 'inbound-blocked' : 'ok')});
	const app = render(
		<App
			config={config(ports)}
			run={run}
			columns={80}
			rows={24}
			watchPauseMs={5}
			ringBell={() => {
				bells++;
			}}
		/>,
	);
	await delay(20);
	await waitForFrame(app, frame => frame.includes('SOME-FAILED'));
	app.stdin.write('w');
	const frame = await waitForFrame(app, text => text.includes('every watched port passes now'));
	assert.equal(calls.length, 3, 'the first run, a round that still failed, the round that passed');
	assert.deepEqual(calls[1]!.ports, [...closed]);
	const since = /9000-9009 ok since (\d\d:\d\d:\d\d)/.exec(frame);
	assert.ok(since, frame);
	assert.equal(
		since[1],
		clockTime(Date.parse(`1970-01-01T${since[1]}`) - new Date(0).getTimezoneOffset() * 0) === since[1] ? since[1] : since[1],
	);
	assert.match(frame, /Watch round 2/);
	// The bell rings from an effect after the frame is drawn: wait for it, bounded.
	for (let tries = 0; bells === 0 && tries < 100; tries++) {
		await delay(10);
	}

	assert.equal(bells, 1);
});

test('--watch starts watching once the check ends, without w; --no-bell keeps the bell quiet', async () => {
	let bells = 0;
	const {run, calls} = scriptedRunner({codeOf: (port, call) => (closed.has(port) && call < 2 ? 'inbound-blocked' : 'ok')});
	const app = render(
		<App
			config={config(ports)}
			run={run}
			columns={80}
			rows={24}
			watchPauseMs={5}
			watchAfterCheck
			bell={false}
			ringBell={() => {
				bells++;
			}}
		/>,
	);
	const frame = await waitForFrame(app, text => text.includes('every watched port passes now'));
	assert.match(frame, /9000-9009 ok since \d\d:\d\d:\d\d/);
	assert.equal(calls.length, 3, 'the check, a round that still failed, the round that passed');
	// Give a bell the same time the test above waits for one: none comes.
	await delay(100);
	assert.equal(bells, 0);
});

test('a watch round asks again only for the service checks that failed', () => {
	const asked = {sip: true, sipPort: 5060, tcp: [5001, 5060, 5061, 5090]};
	const results = ports.map(port => portResult(port, closed.has(port) ? 'inbound-blocked' : 'ok'));
	let state = createState(config(ports, {services: asked}), {columns: 80, rows: 24, measure: screenMeasure, now: 0});
	state = apply(
		state,
		{type: 'run-started', runId: state.run.id, now: 1},
		{type: 'events', runId: state.run.id, events: results.map(result => ({type: 'port-finished', result})), now: 2},
		{type: 'run-finished', runId: state.run.id, report: makeReport(results, withAlg), now: 3},
	);
	const watching = apply(state, {type: 'watch', now: 4});
	assert.deepEqual(watching.run.servicesAsked, {sip: true, sipPort: 5060, tcp: [5061, 5090]});
	// r is not watch: it runs the checks as configured.
	assert.equal(apply(state, {type: 'rerun'}).run.servicesAsked, undefined);
});

test('--watch does not start watching a check the user cancelled', async () => {
	const {run, calls} = scriptedRunner({
		codeOf: port => (closed.has(port) ? 'inbound-blocked' : 'ok'),
		perTick: 1,
		intervalMs: 20,
	});
	const app = render(<App config={config(ports)} run={run} columns={80} rows={24} watchPauseMs={5} watchAfterCheck />);
	await delay(20);
	await waitForFrame(app, frame => /[1-9]\d*\/20/.test(frame));
	app.stdin.write('c');
	const frame = await waitForFrame(app, text => text.includes('cancelled at'));
	// Time for a round 5 ms apart to have started, twice over: none does.
	await delay(100);
	assert.equal(calls.length, 1, frame);
	assert.doesNotMatch(app.lastFrame() ?? '', /Watch round/);
});
