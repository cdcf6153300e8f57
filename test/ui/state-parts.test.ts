import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createState} from '../../source/ui/state/initial-state.js';
import {jump, submitPrompt, typeIntoPrompt} from '../../source/ui/state/jump.js';
import {type KeyFlags, keyIntent, letterIntent, splitPress} from '../../source/ui/state/key-map.js';
import {keyTable, keyWords} from '../../source/ui/state/key-table.js';
import {helpLines} from '../../source/ui/text/help-lines.js';
import {filters, nextFilter, windowTop} from '../../source/ui/state/navigation.js';
import {screenMeasure} from '../../source/ui/text/layout.js';
import {config, range} from './fixtures.js';

const noKey: KeyFlags = {
	ctrl: false,
	meta: false,
	escape: false,
	return: false,
	backspace: false,
	delete: false,
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageUp: false,
	pageDown: false,
	home: false,
	end: false,
};
const key = (flags: Partial<KeyFlags>): KeyFlags => ({...noKey, ...flags});

test('keys map to intents; Esc wins over the meta flag Ink also sets on it', () => {
	assert.deepEqual(keyIntent('', key({escape: true, meta: true})), {type: 'back'});
	assert.deepEqual(keyIntent('c', key({ctrl: true})), {type: 'interrupt'});
	assert.deepEqual(keyIntent('', key({return: true})), {type: 'enter'});
	assert.deepEqual(keyIntent('', key({delete: true})), {type: 'prompt-backspace'});
	assert.deepEqual(keyIntent('', key({upArrow: true})), {type: 'move', delta: -1});
	assert.deepEqual(keyIntent('', key({pageDown: true})), {type: 'page', delta: 1});
	assert.deepEqual(keyIntent('', key({home: true})), {type: 'edge', to: 'first'});
	assert.deepEqual(keyIntent('', key({rightArrow: true})), {type: 'step', delta: 1});
	assert.deepEqual(keyIntent('9', noKey), {type: 'press', text: '9'});
	// Other control and meta chords, and empty input, mean nothing.
	assert.equal(keyIntent('x', key({ctrl: true})), undefined);
	assert.equal(keyIntent('x', key({meta: true})), undefined);
	assert.equal(keyIntent('', noKey), undefined);
});

test('letters are commands only when they are in the map', () => {
	assert.deepEqual(letterIntent('j'), {type: 'move', delta: 1});
	assert.deepEqual(letterIntent('F'), {type: 'summary'});
	assert.equal(letterIntent('x'), undefined);
	assert.equal(letterIntent('constructor'), undefined);
});

test('the key table is the one source: each letter bound once, each key in the ? pane', () => {
	const letters = keyTable.flatMap(entry => entry.bindings.flatMap(binding => ('letter' in binding ? [binding.letter] : [])));
	assert.equal(new Set(letters).size, letters.length);
	for (const letter of letters) {
		assert.ok(letterIntent(letter), letter);
	}

	const help = helpLines(100).map(line => line.map(segment => segment.text).join(''));
	for (const entry of keyTable) {
		assert.ok(
			help.some(text => text.includes(entry.keys) && text.includes(keyWords(entry.name).help.split(' ')[0]!)),
			`? names ${entry.keys}`,
		);
	}

	// A letter the ? pane names but nothing binds would be a key that does nothing.
	const named = keyTable.flatMap(entry => entry.keys.split(/\s+/)).filter(name => name.length === 1 && /\p{L}|[/:?]/u.test(name));
	for (const name of named) {
		assert.ok(letterIntent(name), `${name} is bound`);
	}
});

test('a paste splits into one intent per character, newlines becoming Enter', () => {
	assert.equal(splitPress('9'), undefined);
	// A wide character is one key, not two halves of a surrogate pair.
	assert.equal(splitPress('𝟡'), undefined);
	assert.deepEqual(splitPress('/95\r'), [
		{type: 'press', text: '/'},
		{type: 'press', text: '9'},
		{type: 'press', text: '5'},
		{type: 'enter'},
	]);
});

test('f steps through every filter and comes back to all', () => {
	let filter = filters[0]!;
	const seen = [filter];
	for (let index = 1; index < filters.length; index++) {
		filter = nextFilter(filter);
		seen.push(filter);
	}

	assert.deepEqual(new Set(seen).size, filters.length);
	assert.equal(nextFilter(filter), 'all');
});

test('the window moves as little as it can to show the row, and never past either end', () => {
	const base = {top: 10, height: 5, count: 100, following: false};
	assert.equal(windowTop({...base, index: 12}), 10, 'already shown: no move');
	assert.equal(windowTop({...base, index: 3}), 3, 'above: row at the top');
	assert.equal(windowTop({...base, index: 20}), 16, 'below: row at the bottom');
	assert.equal(windowTop({...base, index: 99, top: 99}), 95, 'never past the end');
	assert.equal(windowTop({...base, index: 0, count: 3}), 0, 'fewer rows than the window');
	// Following a sweep: the row sits a third of the way down, room below for what is to come.
	assert.equal(windowTop({...base, index: 50, height: 9, following: true}), 44);
	assert.equal(windowTop({...base, index: 1, height: 9, following: true}), 0);
});

test('the jump prompt keeps five digits and jumps, or says why not', () => {
	const state = {...createState(config(range(9000, 9099)), {columns: 80, rows: 24, measure: screenMeasure, now: 0}), prompt: ''};
	const typed = typeIntoPrompt(typeIntoPrompt(state, '9a0'), '500123');
	assert.equal(typed.prompt, '90500');
	assert.equal(typeIntoPrompt(state, 'abc'), state, 'no digits: nothing changes');
	assert.equal(typeIntoPrompt({...state, prompt: null}, '9').prompt, null, 'closed prompt takes no text');

	const landed = submitPrompt({...state, prompt: '9042'});
	assert.equal(landed.prompt, null);
	assert.equal(landed.selected, 9042);
	assert.equal(submitPrompt(state).selected, state.selected, 'empty prompt just closes');

	const outside = jump(state, 7000);
	assert.equal(outside.selected, state.selected);
	assert.match(outside.notice?.text ?? '', /7000 is not among/);
});
