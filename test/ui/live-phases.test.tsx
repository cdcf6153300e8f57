import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {SweepEvent} from '../../source/check/types.js';
import {Footer} from '../../source/ui/components/Footer.js';
import {PortTable} from '../../source/ui/components/PortTable.js';
import {createState, reducer} from '../../source/ui/state/reducer.js';
import {progressOf} from '../../source/ui/state/selectors.js';
import type {Intent, SweepState} from '../../source/ui/state/types.js';
import {screenMeasure} from '../../source/ui/text/layout.js';
import {config, portResult, range, server} from './fixtures.js';
import {plain} from './helpers.js';

const ports = range(9000, 9009);
const apply = (state: SweepState, ...intents: Intent[]): SweepState => intents.reduce(reducer, state);
const events = (list: SweepEvent[]): Intent => ({type: 'events', runId: 1, events: list, now: 1000});

const sweeping = (): SweepState =>
	apply(
		createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}),
		{type: 'run-started', runId: 1, now: 0},
		events([
			{type: 'server-ready', server, localAddress: '192.168.1.20'},
			{type: 'sweep-started', ports},
			{type: 'test3-started', ports},
		]),
	);

const rowText = (state: SweepState, port: number): string => {
	const app = render(<PortTable state={state} height={ports.length} />);
	const line = plain(app.lastFrame() ?? '')
		.split('\n')
		.find(text => text.includes(String(port)));
	cleanup();
	return line ?? '';
};

const rowOf = (state: SweepState, port: number) => state.rows[state.rowIndex.get(port)!]!;

test('the Test 3 pass moves the bar from its first port and names the test running', () => {
	let state = sweeping();
	assert.deepEqual(progressOf(state), {done: 0, total: 20, label: ' Test 3 0/10 (0 in) · Tests 1-2 0/10'});
	state = apply(
		state,
		events([
			{type: 'test3-port', port: 9000, outcome: 'pass', attempt: 1},
			{type: 'port-started', port: 9000},
			{type: 'test3-port', port: 9001, outcome: 'fail', attempt: 1},
			{type: 'test3-port', port: 9002, outcome: 'fail', attempt: 1},
		]),
	);
	assert.deepEqual(progressOf(state), {done: 3, total: 20, label: ' Test 3 3/10 (1 in) · Tests 1-2 0/10'});
	state = apply(state, events([{type: 'test3-rechecking', ports: [9001, 9002], reason: 'Test 3: rechecking'}]));
	assert.equal(progressOf(state).label, ' Test 3 3/10 · recheck 9001-9002 · Tests 1-2 0/10');
	// A recheck is not a second port: the count stays.
	state = apply(state, events([{type: 'test3-port', port: 9001, outcome: 'fail', attempt: 2}]));
	assert.equal(progressOf(state).done, 3);
	// The failure stood: Tests 1-2 start on it, and the chunk's recheck is over.
	state = apply(state, events([{type: 'port-started', port: 9001}]));
	assert.equal(progressOf(state).label, ' Test 3 3/10 (1 in) · Tests 1-2 0/10');
	state = apply(
		state,
		events([
			{type: 'port-finished', result: portResult(9000, 'ok')},
			{type: 'test3-finished', passed: 1, failed: 9, skippedReason: null},
		]),
	);
	assert.deepEqual(progressOf(state), {done: 11, total: 20, label: ' Tests 1-2 1/10'});
});

test('rows show a Test 3 failure as provisional until it stands, then the verdict', () => {
	let state = sweeping();
	assert.match(rowText(state, 9003), /9003\s+·\s+·\s+·\s+· queued/);
	state = apply(state, events([{type: 'test3-port', port: 9003, outcome: 'fail', attempt: 1}]));
	assert.equal(rowOf(state, 9003).test3, 'fail?');
	assert.match(rowText(state, 9003), /✘ fail\?\s+· to confirm/);
	state = apply(state, events([{type: 'test3-rechecking', ports: [9003], reason: 'Test 3: rechecking'}]));
	assert.match(rowText(state, 9003), /✘ fail\?\s+\S confirming/);
	state = apply(state, events([{type: 'port-started', port: 9003}]));
	assert.equal(rowOf(state, 9003).test3, 'fail');
	assert.match(rowText(state, 9003), /✘ fail\s+\S checking/);
	state = apply(state, events([{type: 'port-finished', result: portResult(9003, 'inbound-blocked')}]));
	assert.equal(rowOf(state, 9003).test3, undefined);
	assert.doesNotMatch(rowText(state, 9003), /fail\?|checking|confirm/);
	// A passed Test 3 shows at once, before Tests 1-2 answer.
	state = apply(state, events([{type: 'test3-port', port: 9004, outcome: 'pass', attempt: 1}]));
	assert.match(rowText(state, 9004), /✔ pass\s+· queued/);
});

test('a Test 3 told for a port already decided changes nothing', () => {
	let state = sweeping();
	state = apply(
		state,
		events([
			{type: 'port-started', port: 9005},
			{type: 'port-finished', result: portResult(9005, 'port-in-use')},
		]),
	);
	const before = state.rows;
	state = apply(state, events([{type: 'test3-port', port: 9005, outcome: 'busy', attempt: 1}]));
	assert.equal(rowOf(state, 9005), before[state.rowIndex.get(9005)!]);
});

test('the footer says while the cursor follows the sweep, and any move key stops it where the user put it', () => {
	const footer = (state: SweepState): string => {
		const app = render(<Footer state={state} />);
		const text = plain(app.lastFrame() ?? '');
		cleanup();
		return text;
	};

	let state = apply(sweeping(), events([{type: 'port-started', port: 9006}]));
	assert.equal(state.selected, 9006);
	assert.match(footer(state), /^\[all 7\/10 follow\] /);
	for (const intent of [
		{type: 'move', delta: -1},
		{type: 'page', delta: 1},
		{type: 'edge', to: 'first'},
		{type: 'step', delta: 1},
	] as Intent[]) {
		const moved = apply(state, intent);
		assert.equal(moved.follow, false, intent.type);
		const where = moved.selected;
		const later = apply(moved, events([{type: 'port-started', port: 9008}]));
		assert.equal(later.selected, where, `${intent.type}: the sweep does not move the cursor`);
		assert.doesNotMatch(footer(later), /follow/);
	}

	// Nothing has started: nothing to follow, and the footer does not claim it.
	state = sweeping();
	assert.doesNotMatch(footer(state), /follow/);
});
