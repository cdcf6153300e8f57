import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {columnsFor} from '../../source/ui/components/PortRow.js';
import {bannerLines} from '../../source/ui/text/banner-lines.js';
import {detailLines} from '../../source/ui/text/detail-lines.js';
import {verdictText} from '../../source/ui/text/format.js';
import {createState, reducer} from '../../source/ui/state/reducer.js';
import type {Intent, SweepState} from '../../source/ui/state/types.js';
import {screenMeasure} from '../../source/ui/text/layout.js';
import {plainText} from '../../source/ui/text/line.js';
import {spinnerFrame} from '../../source/ui/text/spinner.js';
import {chop, fit, fitEnd, pack, wrap} from '../../source/ui/text/wrap.js';
import {config, makeReport, mixedCode, portResult, range} from './fixtures.js';

test('fit pads and cuts to exact widths; fitEnd keeps the port of an address', () => {
	assert.equal(fit('9500', 7), '9500   ');
	assert.equal(fit('inbound-blocked', 8), 'inbound…');
	assert.equal(fitEnd('203.0.113.7:9500', 8), '….7:9500');
	assert.equal(fitEnd('1.2.3.4:5', 12), '1.2.3.4:5   ');
});

test('wrap breaks at spaces, splits long words, keeps newlines', () => {
	assert.deepEqual(wrap('Add a static forward on the router', 12), ['Add a static', 'forward on', 'the router']);
	assert.deepEqual(wrap('a\nb', 10), ['a', 'b']);
	assert.ok(wrap('x'.repeat(25), 10).every(line => line.length <= 10));
});

test('chop cuts raw output by width without touching spaces', () => {
	assert.deepEqual(chop('UNCONN 0      0', 7), ['UNCONN ', '0      ', '0']);
	assert.deepEqual(chop('short', 80), ['short']);
});

test('wide characters count two cells: fit, fitEnd, wrap and chop never overflow or split one', () => {
	assert.equal(fit('電話交換機', 7), '電話交…');
	// Cutting in the middle of a wide character leaves it out and pads the cell it would have half filled.
	assert.equal(fit('電話交換機', 6), '電話… ');
	assert.equal(fitEnd('電話:5060', 8), '…話:5060');
	assert.deepEqual(wrap('会社の ネットワーク', 12), ['会社の', 'ネットワーク']);
	assert.deepEqual(chop('ab日本語', 3), ['ab', '日', '本', '語']);

	const text = fc
		.array(fc.constantFrom('a', ' ', '0', ':', 'é', '日', 'ー', '。', '👍'), {maxLength: 60})
		.map(chars => chars.join(''));
	fc.assert(
		fc.property(text, fc.integer({min: 2, max: 30}), (value, size) => {
			assert.equal(stringWidth(fit(value, size)), size);
			assert.equal(stringWidth(fitEnd(value, size)), size);
			const wrapped = wrap(value, size);
			assert.ok(wrapped.every(line => stringWidth(line) <= size));
			assert.equal(wrapped.join('').replaceAll(' ', ''), value.replaceAll(' ', ''), 'wrap keeps every character');
			const chunks = chop(value, size);
			assert.ok(chunks.every(chunk => stringWidth(chunk) <= size));
			assert.equal(chunks.join(''), value, 'chop keeps every character, spaces too');
		}),
		{numRuns: 500},
	);
});

test('remembered answers never mix sizes, ends or texts', () => {
	const name = '電話交換機サービス';
	assert.equal(fit(name, 9), '電話交換…');
	assert.equal(fitEnd(name, 9), '…サービス');
	assert.equal(fit(name, 7), '電話交…');
	assert.deepEqual(wrap('aaa bbb', 3), ['aaa', 'bbb']);
	assert.deepEqual(wrap('aaa bbb', 7), ['aaa bbb']);
	// A separator inside the text (the keys use NUL) is just text: all of it is cut, not only "a".
	const cut = fit('a\u0000b\u0000ccccccc', 5);
	assert.ok(cut.startsWith('a\u0000b\u0000') && cut.includes('…'), JSON.stringify(cut));
	assert.equal(stringWidth(cut), 5);
});

test('pack fills lines and stops at maxLines, saying how many items fit', () => {
	const items = ['aaaa', 'bbbb', 'cccc', 'dddd'].map(text => [{text}]);
	const {lines, count} = pack(items, [10], 2);
	assert.deepEqual(lines.map(plainText), ['aaaa  bbbb', 'cccc  dddd']);
	assert.equal(count, 4);
	assert.equal(pack(items, [10], 1).count, 2);
});

test('table columns fit the width; narrow terminals drop the mapped address first', () => {
	for (const width of [60, 70, 80, 100, 132]) {
		const columns = columnsFor(width);
		assert.ok(
			2 + columns.port + columns.test1 + columns.test2 + columns.test3 + columns.mapped + columns.verdict <= width,
			`width ${width}`,
		);
		assert.ok(columns.verdict >= 18);
	}

	assert.equal(columnsFor(60).mapped, 0);
	assert.equal(columnsFor(60).test3, 0, 'then Test 3 (the drill-down still shows it)');
	assert.equal(columnsFor(70).test3, 9);
	assert.equal(columnsFor(80).mapped, 18, 'an address such as 203.0.113.7:9500 still fits at 80 columns, beside Test 3');
});

test('after a cancelled sweep and a finished re-run, the banner says ports are still unchecked', () => {
	const ports = range(9000, 9999);
	const apply = (state: SweepState, ...intents: Intent[]) => intents.reduce(reducer, state);
	const checked = ports.slice(0, 600).map(port => portResult(port, mixedCode(port)));
	const partial = [...checked, ...ports.slice(600).map(port => portResult(port, 'skipped'))];
	let state = apply(
		createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}),
		{type: 'run-started', runId: 1, now: 0},
		{type: 'cancel'},
		{
			type: 'run-finished',
			runId: 1,
			report: makeReport(partial, {status: 'cancelled', code: 'cancelled'}),
			now: 1,
		},
	);
	assert.match(bannerLines(state).map(plainText).join('\n'), /■ cancelled at 600\/1000/);
	state = apply(state, {type: 'rerun'}, {type: 'run-started', runId: 2, now: 2});
	const again = state.run.ports.map(port => portResult(port, 'ok'));
	state = apply(state, {type: 'run-finished', runId: 2, report: makeReport(again), now: 3});
	const text = bannerLines(state).map(plainText).join('\n');
	assert.match(text, /■ incomplete: 400 ports not checked · an earlier run was cancelled/);
	assert.equal(state.report?.status, 'cancelled');
});

test('the spinner moves one frame per tick, never runs out, and keeps to one cell', () => {
	const turn = Array.from({length: 40}, (_, index) => spinnerFrame(index - 20));
	assert.notEqual(spinnerFrame(1), spinnerFrame(0));
	assert.ok(
		turn.every(frame => stringWidth(frame) === 1),
		'one cell, so rows keep their columns',
	);
});

test('after a cancel, a failure not yet rechecked reads as cancelled, with what its tests found and what was not done', () => {
	const apply = (state: SweepState, ...intents: Intent[]) => intents.reduce(reducer, state);
	const ports = [9000, 9001];
	const blocked = portResult(9001, 'inbound-blocked');
	const firstPass = {...blocked, test2: {...blocked.test2, attempts: 1}};
	const detail = 'Test 2 failed once, not rechecked: the check was cancelled before it could confirm.';
	const left = {
		...firstPass,
		status: 'skipped' as const,
		code: 'cancelled' as const,
		message: detail,
		provisional: {code: 'inbound-blocked' as const, detail},
	};
	const state = apply(
		createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}),
		{type: 'run-started', runId: 1, now: 0},
		{type: 'events', runId: 1, events: [{type: 'port-finished', result: firstPass}], now: 1},
		{type: 'cancel'},
		{
			type: 'run-finished',
			runId: 1,
			report: makeReport([portResult(9000, 'ok'), left], {status: 'cancelled', code: 'cancelled'}),
			now: 2,
		},
	);
	const row = state.rows.find(candidate => candidate.port === 9001)!;
	assert.equal(row.result?.code, 'cancelled', 'the first pass failure is not kept as the verdict');
	assert.equal(verdictText(row.result), '■ cancelled');
	// Read as a person does, across the wrapped lines.
	const lines = detailLines(state, row).map(plainText).join('\n').replaceAll(/\n */g, ' ');
	assert.match(lines, /■ cancelled/);
	assert.match(lines, /Test 2 failed once, not rechecked: the check was cancelled before it could confirm\./);
	assert.match(lines, /Found so far, not confirmed/);
	assert.match(lines, /The tests so far point to ✘ inbound-blocked; a failure stands only once a slow recheck confirms it\./);
	assert.match(lines, /Test 2 · 1:1 forwarding {2}✘ fail no accepted reply .* 1 pass/);
	assert.doesNotMatch(lines, /static forward/i, 'no advice to add a forward for what was never confirmed');
});
