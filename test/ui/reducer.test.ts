import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {CheckReport, PortResult, SweepEvent} from '../../source/check/types.js';
import {verdict} from '../../source/check/verdicts.js';
import {layoutOf, paneLines, screenMeasure} from '../../source/ui/text/layout.js';
import {saveNotice} from '../../source/ui/text/save-lines.js';
import {createState, reducer} from '../../source/ui/state/reducer.js';
import {countRows, exitCodeOf, problemRanges, visibleRows, progressOf} from '../../source/ui/state/selectors.js';
import type {Intent, SweepState} from '../../source/ui/state/types.js';
import {config, makeReport, mixedCode, portResult, range, server} from './fixtures.js';

const ports = [5060, ...range(9000, 9999)];
const results = (): PortResult[] => ports.map(port => portResult(port, mixedCode(port)));

const apply = (state: SweepState, ...intents: Intent[]): SweepState => intents.reduce(reducer, state);
const events = (list: SweepEvent[], runId = 1): Intent => ({type: 'events', runId, events: list, now: 1000});
const finished = (list: PortResult[]): SweepEvent[] =>
	list.flatMap(result => [
		{type: 'port-started', port: result.port},
		{type: 'port-finished', result},
	]);

const started = (size = {columns: 80, rows: 24}): SweepState =>
	apply(createState(config(ports), {...size, measure: screenMeasure, now: 0}), {type: 'run-started', runId: 1, now: 0});

/** A first run that ended with the mixed result. */
const done = (): SweepState => {
	const all = results();
	return apply(
		started(),
		events([{type: 'server-ready', server, localAddress: '192.168.1.20'}, {type: 'sweep-started', ports}, ...finished(all)]),
		{
			type: 'run-finished',
			runId: 1,
			report: makeReport(all),
			now: 2000,
		},
	);
};

test('port events fill the rows and count each port once', () => {
	const all = results();
	let state = apply(
		started(),
		events([
			{type: 'server-ready', server, localAddress: '192.168.1.20'},
			{type: 'sweep-started', ports},
			...finished(all.slice(0, 700)),
		]),
	);
	assert.equal(state.run.finished, 700);
	assert.equal(state.publicIp, '203.0.113.7');
	assert.equal(state.server?.info?.host, 'stun.example.net');
	// The engine sends a busy port again once its owner is known: not a second port.
	const busy = all[0]!;
	state = apply(state, events([{type: 'port-finished', result: {...busy, owner: {pid: 1, name: 'x'}}}]));
	assert.equal(state.run.finished, 700);
	assert.equal(state.rows[0]!.result?.owner?.name, 'x');
	const counts = countRows(state.rows);
	assert.equal(counts.pending, ports.length - 700);
	assert.equal(counts.busy, 1);
	assert.deepEqual(
		counts.failed.map(({code}) => code),
		['inbound-blocked', 'port-translated'],
	);
});

test('rechecks show as such, count ports once, and keep the bar short of full until done', () => {
	const all = results();
	let state = apply(started(), events(finished(all)));
	assert.deepEqual(progressOf(state), {done: ports.length, total: ports.length});
	state = apply(
		state,
		events([
			{type: 'confirming', ports: [9500, 9501], reason: 'Rechecking failures slowly'},
			{type: 'port-started', port: 9500},
		]),
	);
	assert.equal(state.rows[state.rowIndex.get(9500)!]!.phase, 'rechecking');
	assert.equal(state.run.rechecking?.left, 2);
	assert.deepEqual(progressOf(state), {done: ports.length, total: ports.length + 2, label: ' rechecking 0/2'});
	state = apply(state, events(finished([all[state.rowIndex.get(9500)!]!])));
	assert.equal(progressOf(state).label, ' rechecking 1/2');
	state = apply(state, events(finished([all[state.rowIndex.get(9501)!]!])));
	assert.equal(state.run.rechecking, null);
	assert.equal(state.run.finished, ports.length);
	assert.deepEqual(progressOf(state), {done: ports.length, total: ports.length});
});

test('the window follows the sweep until the user moves', () => {
	const all = results();
	let state = apply(started(), events(finished(all.slice(0, 300))));
	const height = layoutOf(state).tableRows;
	assert.equal(state.selected, all[299]!.port);
	assert.ok(state.scrollTop > 0 && state.scrollTop <= 299 && 299 < state.scrollTop + height);
	state = apply(state, {type: 'move', delta: -1}, events(finished(all.slice(300, 400))));
	assert.equal(state.follow, false);
	assert.equal(state.selected, all[298]!.port);
});

test('a sweep nobody steered ends with the cursor on the first failure', () => {
	const state = done();
	assert.equal(state.selected, 9500);
	const {tableRows} = layoutOf(state);
	const index = state.rowIndex.get(9500)!;
	assert.ok(state.scrollTop <= index && index < state.scrollTop + tableRows);
});

test('move, page and edges keep the cursor inside the list and the window', () => {
	let state = done();
	const height = layoutOf(state).tableRows;
	state = apply(state, {type: 'edge', to: 'first'});
	assert.equal(state.selected, 5060);
	assert.equal(state.scrollTop, 0);
	state = apply(state, {type: 'move', delta: -5});
	assert.equal(state.selected, 5060);
	state = apply(state, {type: 'page', delta: 1});
	assert.equal(state.selected, ports[height]);
	assert.equal(state.scrollTop, 1);
	state = apply(state, {type: 'edge', to: 'last'});
	assert.equal(state.selected, 9999);
	assert.equal(state.scrollTop, ports.length - height);
	state = apply(state, {type: 'press', text: 'k'}, {type: 'press', text: 'k'});
	assert.equal(state.selected, 9997);
	state = apply(state, {type: 'press', text: 'g'});
	assert.equal(state.selected, 5060);
});

test('f cycles the filter and the selection stays on a row the filter shows', () => {
	let state = apply(done(), {type: 'jump', port: 9400});
	state = apply(state, {type: 'press', text: 'f'});
	assert.equal(state.filter, 'failed');
	// Nearest failed row at or after the one selected.
	assert.equal(state.selected, 9500);
	assert.ok(visibleRows(state.rows, state.filter).every(row => row.result?.status === 'fail'));
	state = apply(state, {type: 'press', text: 'f'});
	assert.equal(state.filter, 'busy');
	assert.deepEqual(
		visibleRows(state.rows, state.filter).map(row => row.port),
		[5060, 9700],
	);
	assert.equal(state.selected, 9700);
	state = apply(state, {type: 'press', text: 'f'});
	assert.equal(state.filter, 'ok');
	state = apply(state, {type: 'press', text: 'f'});
	assert.equal(state.filter, 'all');
	// Esc in the table puts a filter back to all.
	state = apply(state, {type: 'filter', next: 'failed'}, {type: 'back'});
	assert.equal(state.filter, 'all');
});

test('the jump prompt takes digits, ignores letters, and jumps on Enter', () => {
	let state = apply(done(), {type: 'press', text: '/'});
	assert.equal(state.prompt, '');
	state = apply(
		state,
		{type: 'press', text: '9'},
		{type: 'press', text: 'q'},
		{type: 'press', text: '65'},
		{type: 'prompt-backspace'},
		{type: 'press', text: '50'},
	);
	assert.equal(state.prompt, '9650');
	assert.equal(state.quitting, false);
	state = apply(state, {type: 'enter'});
	assert.equal(state.prompt, null);
	assert.equal(state.selected, 9650);
	// A pasted number with its Enter, and keys that arrive in one chunk.
	state = apply(state, {type: 'press', text: ':'}, {type: 'press', text: '9800\r'});
	assert.equal(state.selected, 9800);
	state = apply(state, {type: 'press', text: '/9001\r'});
	assert.equal(state.selected, 9001);
	state = apply(state, {type: 'press', text: 'jjj'});
	assert.equal(state.selected, 9004);
	state = apply(state, {type: 'jump', port: 9800});
	// Esc closes the prompt without jumping.
	state = apply(state, {type: 'press', text: '/'}, {type: 'press', text: '9001'}, {type: 'back'});
	assert.equal(state.prompt, null);
	assert.equal(state.selected, 9800);
});

test('a jump to a port the filter hides shows all; an unknown port only says so', () => {
	let state = apply(done(), {type: 'filter', next: 'failed'}, {type: 'jump', port: 9001});
	assert.equal(state.filter, 'all');
	assert.equal(state.selected, 9001);
	state = apply(state, {type: 'jump', port: 12_345});
	assert.equal(state.selected, 9001);
	assert.match(state.notice?.text ?? '', /12345 is not among/);
});

test('Enter opens the drill-down, arrows step ports, Esc and q go back', () => {
	let state = apply(done(), {type: 'jump', port: 9500}, {type: 'enter'});
	assert.deepEqual(state.pane, {kind: 'detail', port: 9500, scroll: 0});
	state = apply(state, {type: 'step', delta: 1});
	assert.deepEqual(state.pane, {kind: 'detail', port: 9501, scroll: 0});
	assert.equal(state.selected, 9501);
	state = apply(state, {type: 'back'});
	assert.equal(state.pane.kind, 'table');
	state = apply(state, {type: 'enter'}, {type: 'quit'});
	assert.equal(state.pane.kind, 'table');
	assert.equal(state.quitting, false);
});

test('pane scrolling stops at the end of the content', () => {
	let state = apply(done(), {type: 'jump', port: 5060}, {type: 'enter'});
	const lines = paneLines(state).length;
	const page = layoutOf(state).paneRows;
	assert.ok(lines > page, 'the busy port details are longer than a 24-row screen');
	state = apply(state, {type: 'edge', to: 'last'});
	assert.equal(state.pane.kind === 'detail' && state.pane.scroll, lines - page);
	state = apply(state, {type: 'move', delta: 5});
	assert.equal(state.pane.kind === 'detail' && state.pane.scroll, lines - page);
	state = apply(state, {type: 'page', delta: -100});
	assert.equal(state.pane.kind === 'detail' && state.pane.scroll, 0);
});

test('cancel asks the engine to stop and the end says how far it got', () => {
	const all = results();
	let state = apply(started(), events(finished(all.slice(0, 250))), {type: 'press', text: 'c'});
	assert.equal(state.run.phase, 'cancelling');
	const partial = [...all.slice(0, 250), ...all.slice(250).map(result => portResult(result.port, 'skipped'))];
	const report: CheckReport = makeReport(partial, {
		status: 'cancelled',
		code: 'cancelled',
		message: verdict('cancelled').sentence,
	});
	state = apply(state, {type: 'run-finished', runId: 1, report, now: 3000});
	assert.equal(state.run.phase, 'finished');
	assert.deepEqual(state.run.cancelledAt, {done: 250, total: ports.length});
	assert.equal(countRows(state.rows).skipped, ports.length - 250);
	assert.equal(exitCodeOf(state), 130);
});

test('Ctrl+C cancels first and quits second; q while running cancels and arms', () => {
	let state = apply(started(), {type: 'interrupt'});
	assert.equal(state.run.phase, 'cancelling');
	assert.equal(state.quitting, false);
	state = apply(state, {type: 'interrupt'});
	assert.equal(state.quitting, true);

	state = apply(started(), {type: 'quit'});
	assert.equal(state.run.phase, 'cancelling');
	assert.equal(state.quitArmed, true);
	state = apply(state, {type: 'quit'});
	assert.equal(state.quitting, true);
});

test('r re-runs exactly the failed and busy ports and merges the new results', () => {
	let state = apply(done(), {type: 'press', text: 'r'});
	const again = [5060, ...range(9500, 9599), 9650, 9700, ...range(9800, 9803)];
	assert.equal(state.run.id, 2);
	assert.deepEqual(state.run.ports, again);
	assert.equal(state.rows[state.rowIndex.get(9500)!]!.phase, 'queued');
	assert.equal(state.follow, true);
	// Events from the first run that arrive late are not this run's.
	const before = state;
	state = apply(state, events([{type: 'port-finished', result: portResult(9500, 'ok')}], 1));
	assert.equal(state, before);

	const fixed = again.map(port => portResult(port, 'ok'));
	state = apply(state, {type: 'run-started', runId: 2, now: 5000}, events(finished(fixed), 2), {
		type: 'run-finished',
		runId: 2,
		report: makeReport(fixed, {durationMs: 100}),
		now: 6000,
	});
	assert.equal(state.report?.ports.length, ports.length);
	assert.equal(state.report?.code, 'ok');
	assert.equal(state.report?.status, 'pass');
	assert.equal(state.report?.durationMs, 4321 + 100);
	assert.equal(exitCodeOf(state), 0);
	assert.deepEqual(problemRanges(state.rows), []);
});

test('a re-run cut short keeps the earlier verdicts of the ports it did not reach', () => {
	let state = apply(done(), {type: 'rerun'}, {type: 'run-started', runId: 2, now: 5000});
	const again = state.run.ports;
	const first = portResult(again[0]!, 'ok');
	state = apply(state, events(finished([first]), 2), {type: 'cancel'});
	const report = makeReport([first, ...again.slice(1).map(port => portResult(port, 'skipped'))], {
		status: 'cancelled',
		code: 'cancelled',
	});
	state = apply(state, {type: 'run-finished', runId: 2, report, now: 6000});
	assert.equal(state.rows[state.rowIndex.get(9500)!]!.result?.code, 'inbound-blocked');
	assert.equal(state.rows[0]!.result?.code, 'ok');
	assert.equal(state.report?.code, 'some-failed');
	assert.deepEqual(state.run.cancelledAt, {done: 1, total: again.length});
});

test('r and s say why not while the sweep runs', () => {
	let state = apply(started(), {type: 'rerun'});
	assert.equal(state.run.id, 1);
	assert.match(state.notice?.text ?? '', /still running/);
	state = apply(state, {type: 'save'});
	assert.equal(state.save.request, 0);
	state = apply(done(), {type: 'save'});
	assert.equal(state.save.phase, 'saving');
	state = apply(state, {type: 'saved', request: 1, paths: {markdownPath: '/tmp/a.md', jsonPath: '/tmp/a.json'}});
	assert.deepEqual(state.notice, {about: 'save'});
	assert.match(saveNotice(state, 'save').text, /Saved \/tmp\/a\.md and \/tmp\/a\.json/);
});

test('an engine that throws ends the run with exit code 3', () => {
	const state = apply(started(), {type: 'run-failed', runId: 1, error: 'Cannot bind UDP port 9000: EACCES', now: 10});
	assert.equal(state.run.phase, 'failed');
	assert.equal(exitCodeOf(state), 3);
	assert.equal(countRows(state.rows).pending, 0);
});

test('the planned frame height stays below the terminal rows', () => {
	for (const rows of [12, 24, 50]) {
		for (const state of [started({columns: 80, rows}), apply(done(), {type: 'viewport', columns: 80, rows})]) {
			const {banner, tableRows} = layoutOf(state);
			// Header 4, banner, table head 1, rows, footer 1.
			assert.ok(4 + banner.length + 1 + tableRows + 1 <= rows - 1, `rows=${rows}`);
		}
	}
});
