import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {mappingLifetimeMs, recentlySent, staleMappingAge, staleReportNote, toRanges} from '../../source/check/recent-checks.js';
import type {TestOutcome} from '../../source/check/types.js';
import {fileRecentChecks} from '../../source/system/recent-checks-file.js';

test('recent checks: the latest earlier send of each checked port, within the mapping lifetime only', () => {
	const ages = recentlySent(
		[
			{ageMs: 90_000, ranges: [[9000, 9009]]},
			{ageMs: 20_000, ranges: [[9005, 9005]]},
			{ageMs: mappingLifetimeMs, ranges: [[9010, 9019]]},
		],
		[9000, 9005, 9015, 9100],
	);
	assert.deepEqual(
		[...ages],
		[
			[9000, 90_000],
			[9005, 20_000],
		],
	);
	assert.deepEqual(toRanges([9003, 9001, 9002, 9010]), [
		[9001, 9003],
		[9010, 9010],
	]);
	assert.equal(staleReportNote(new Map()), undefined);
	assert.match(staleReportNote(ages)!, /^Test 3 passed on 2 ports \(9000, 9005\) .* 20 s earlier.*Run again in 280 s/);
});

test('recent checks: only a Test 3 pass on a port a recent check sent from may owe itself to a stale mapping', () => {
	const rows: Array<{name: string; test3: TestOutcome; earlierAgeMs: number | undefined; stale: number | undefined}> = [
		{name: 'passed, sent from 20 s before', test3: 'pass', earlierAgeMs: 20_000, stale: 20_000},
		{name: 'passed, no recent check sent from it', test3: 'pass', earlierAgeMs: undefined, stale: undefined},
		{name: 'failed: a stale mapping cannot fail Test 3', test3: 'fail', earlierAgeMs: 20_000, stale: undefined},
		{name: 'Test 3 did not run', test3: 'skipped', earlierAgeMs: 20_000, stale: undefined},
	];
	for (const row of rows) {
		assert.equal(staleMappingAge(row.test3, row.earlierAgeMs), row.stale, row.name);
	}
});

test('recent checks file: kept between runs, a damaged file is an empty history', async t => {
	const directory = mkdtempSync(path.join(tmpdir(), 'fwcheck-recent-'));
	t.after(() => {
		rmSync(directory, {recursive: true, force: true});
	});
	const file = path.join(directory, 'nested', 'recent-checks.json');
	const store = fileRecentChecks(file);
	assert.deepEqual(await store.load(), []);
	await store.record([[9000, 9099]]);
	const loaded = await fileRecentChecks(file).load();
	assert.equal(loaded.length, 1);
	assert.deepEqual(loaded[0]!.ranges, [[9000, 9099]]);
	assert.ok(loaded[0]!.ageMs >= 0 && loaded[0]!.ageMs < mappingLifetimeMs);

	writeFileSync(file, '{"not": "a list"');
	assert.deepEqual(await store.load(), []);
	writeFileSync(
		file,
		JSON.stringify([
			{at: 'yesterday', ranges: [[1, 2]]},
			{at: Date.now(), ranges: [['x', 2]]},
		]),
	);
	assert.deepEqual(await store.load(), []);
	await store.record([[5060, 5060]]);
	assert.deepEqual(
		(await store.load()).map(check => check.ranges),
		[[[5060, 5060]]],
	);
});
