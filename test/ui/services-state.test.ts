// The reducer's side of the SIP ALG, SIP port and TCP checks: their two events, the header line's
// height in the layout, the v pane as an intent, and where the results come from after a re-run.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {SweepEvent} from '../../source/check/types.js';
import {headerHeightOf, layoutOf, paneLines, screenMeasure} from '../../source/ui/text/layout.js';
import {createState, reducer} from '../../source/ui/state/reducer.js';
import {servicesOf} from '../../source/ui/state/selectors.js';
import type {Intent, SweepState} from '../../source/ui/state/types.js';
import {plainText} from '../../source/ui/text/line.js';
import {config, makeReport, portResult, range, server} from './fixtures.js';
import {serviceEvents, unavailable, withAlg} from './service-fixtures.js';

const ports = range(9000, 9099);
const apply = (state: SweepState, ...intents: Intent[]): SweepState => intents.reduce(reducer, state);
const events = (list: SweepEvent[], runId = 1): Intent => ({type: 'events', runId, events: list, now: 1000});
const started = (): SweepState =>
	apply(
		createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}),
		{type: 'run-started', runId: 1, now: 0},
		events([
			{type: 'server-ready', server, localAddress: '192.168.1.20'},
			{type: 'sweep-started', ports},
		]),
	);

test('services-started shows the checks as running; services-finished carries every result', () => {
	const before = started();
	assert.equal(before.services, null);
	assert.equal(servicesOf(before), null);
	const [begin, end] = serviceEvents(withAlg);
	const running = apply(before, events([begin!]));
	assert.deepEqual(running.services, {phase: 'running', sipPort: 5060, tcpPorts: [5001, 5060, 5061, 5090], results: {}});
	// One more header line, one table row fewer: the frame keeps its height.
	assert.equal(headerHeightOf(running), headerHeightOf(before) + 1);
	assert.equal(
		layoutOf(running).tableRows + layoutOf(running).banner.length,
		layoutOf(before).tableRows + layoutOf(before).banner.length - 1,
	);
	const done = apply(running, events([end!]));
	assert.equal(done.services?.phase, 'finished');
	assert.equal(done.services?.results.sip?.udp.rewritten.length, 3);
	assert.equal(done.services?.results.tcp?.length, 4);
	assert.equal(done.services?.results.sipService?.udp.statusLine, 'SIP/2.0 401 Unauthorized');
	assert.equal(headerHeightOf(done), headerHeightOf(before) + 1);
});

test('services events of an earlier run change nothing', () => {
	const state = started();
	assert.equal(apply(state, events(serviceEvents(withAlg), 7)), state);
});

test('v opens and closes the services pane; Esc goes back; the pane has sent and received', () => {
	const state = apply(started(), events(serviceEvents(withAlg)));
	const open = apply(state, {type: 'press', text: 'v'});
	assert.deepEqual(open.pane, {kind: 'services', scroll: 0});
	const text = paneLines(open).map(line => plainText(line));
	assert.ok(text.includes('    sent      c=IN IP4 192.168.1.20'), text.join('\n'));
	assert.ok(text.includes('    received  c=IN IP4 203.0.113.7'));
	assert.deepEqual(apply(open, {type: 'move', delta: 3}).pane, {kind: 'services', scroll: 3});
	assert.deepEqual(apply(open, {type: 'press', text: 'v'}).pane, {kind: 'table'});
	assert.deepEqual(apply(open, {type: 'back'}).pane, {kind: 'table'});
});

test('the report is the source once it has the results; a re-run without them keeps the events', () => {
	const results = ports.map(port => portResult(port, 'ok'));
	const fromEvents = apply(started(), events(serviceEvents(withAlg)), {
		type: 'run-finished',
		runId: 1,
		report: makeReport(results),
		now: 2000,
	});
	assert.equal(servicesOf(fromEvents)?.results.sip?.udp.alg, true, 'an engine that leaves them out of the report');
	const fromReport = apply(started(), events(serviceEvents(withAlg)), {
		type: 'run-finished',
		runId: 1,
		report: makeReport(results, unavailable),
		now: 2000,
	});
	assert.equal(servicesOf(fromReport)?.results.services?.offered, false, 'the report wins over the events');
	assert.equal(servicesOf(fromReport)?.phase, 'finished');
});

test("the busy SIP port's drill-down says what the OPTIONS from the internet found", () => {
	const busy = portResult(5060, 'port-in-use', {owner: {pid: 812, name: 'asterisk'}});
	const state = apply(
		createState(config([5060, 9000]), {columns: 80, rows: 24, measure: screenMeasure, now: 0}),
		{type: 'run-started', runId: 1, now: 0},
		events([
			{type: 'sweep-started', ports: [5060, 9000]},
			{type: 'port-finished', result: busy},
			{type: 'port-finished', result: {...busy, port: 9000}},
			...serviceEvents(withAlg),
		]),
		{type: 'open', port: 5060},
	);
	const text = paneLines(state).map(line => plainText(line));
	assert.ok(text.includes('SIP from the internet  ✔ answers 401'), text.join('\n'));
	const other = apply(state, {type: 'open', port: 9000});
	assert.ok(
		paneLines(other).some(line => plainText(line).startsWith('Held by')),
		'another busy port',
	);
	assert.ok(!paneLines(other).some(line => plainText(line).includes('SIP from the internet')));
});
