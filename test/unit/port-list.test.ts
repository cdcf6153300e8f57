import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parsePortList} from '../../source/ports/port-list.js';
import {formatRange, groupRanges} from '../../source/ports/ranges.js';

test('port lists: ranges, singles, spaces, duplicates', () => {
	assert.deepEqual(parsePortList('5060, 9000-9002,9001'), {ok: true, ports: [5060, 9000, 9001, 9002]});
	const full = parsePortList('9000-10999');
	assert.ok(full.ok);
	assert.equal(full.ports.length, 2000);
	assert.equal(full.ports.at(-1), 10_999);
});

test('port lists: bad input names what is wrong', () => {
	for (const [input, fragment] of [
		['', 'is not a port'],
		['90a0', 'is not a port'],
		['0', 'out of range'],
		['65536', 'out of range'],
		['9010-9000', 'runs backwards'],
		['9000--9001', 'is not a port'],
		['9000,', 'is not a port'],
	] as const) {
		const result = parsePortList(input);
		assert.equal(result.ok, false, input);
		assert.match(result.ok ? '' : result.error, new RegExp(fragment), input);
	}
});

test('adjacent ports with one verdict become a range', () => {
	const ranges = groupRanges([
		{port: 9002, value: 'a'},
		{port: 9000, value: 'a'},
		{port: 9001, value: 'a'},
		{port: 9003, value: 'b'},
		{port: 9005, value: 'b'},
	]);
	assert.deepEqual(
		ranges.map(range => `${formatRange(range)} ${range.value}`),
		['9000-9002 a', '9003 b', '9005 b'],
	);
});
