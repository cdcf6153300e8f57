// Reports gathered from many hosts must say whose they are and when they were made.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {hostname} from 'node:os';
import {readFileSync} from 'node:fs';
import type {SweepEvent} from '../../source/check/types.js';
import {fwcheckVersion, isoWithOffset, stampedRunner, thisMachine} from '../../source/cli/report-origin.js';
import {makeReport} from '../ui/fixtures.js';

test('isoWithOffset names the same instant, to the second, with a ±hh:mm offset', () => {
	for (const ms of [0, 1_764_944_930_123, 1_751_328_000_000, 1_703_980_799_999]) {
		const date = new Date(ms);
		const text = isoWithOffset(date);
		assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
		assert.equal(Date.parse(text), Math.floor(ms / 1000) * 1000, text);
	}
});

test("the version is package.json's, and this machine is named by its host name", () => {
	const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	assert.equal(fwcheckVersion(), manifest.version);
	const origin = thisMachine(new Date(0));
	assert.equal(origin.host, hostname());
	assert.equal(Date.parse(origin.checkedAt), 0);
});

test('a stamped runner stamps the done event and the final report with the one origin taken at the start', async () => {
	const origins = [
		{fwcheckVersion: '1', host: 'a', checkedAt: 'first'},
		{fwcheckVersion: '1', host: 'a', checkedAt: 'second'},
	];
	const emitted: SweepEvent[] = [];
	const run = stampedRunner(
		async (_config, {onEvent}) => {
			onEvent({type: 'sweep-started', ports: [1]});
			onEvent({type: 'done', report: makeReport([])});
			return makeReport([]);
		},
		() => origins.shift()!,
	);
	const report = await run({} as never, {signal: new AbortController().signal, onEvent: event => emitted.push(event)});
	assert.equal(report.origin?.checkedAt, 'first');
	const done = emitted.find(event => event.type === 'done');
	assert.equal(done?.type === 'done' && done.report.origin?.checkedAt, 'first');
	assert.deepEqual(emitted[0], {type: 'sweep-started', ports: [1]});
});
