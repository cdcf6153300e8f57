import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';
import {
	coarsenRanges,
	mappingLifetimeMs,
	recentlySent,
	staleMappingAge,
	staleReportNote,
	toRanges,
} from '../../source/check/recent-checks.js';
import type {TestOutcome} from '../../source/check/types.js';
import {fileRecentChecks, historyLimits, stateDirectory} from '../../source/system/recent-checks-file.js';

const scratch = (t: {after: (fn: () => void) => void}): string => {
	const directory = mkdtempSync(path.join(tmpdir(), 'fwcheck-recent-'));
	t.after(() => {
		rmSync(directory, {recursive: true, force: true});
	});
	return directory;
};

/** A store whose warnings are collected rather than printed. */
const quietStore = (file: string, now = Date.now) => {
	const warnings: string[] = [];
	const store = fileRecentChecks(file, {
		warn(line) {
			warnings.push(line);
		},
		now,
	});
	return {store, warnings};
};

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

test('recently sent: unsorted and overlapping ranges, ports in any order', () => {
	const ages = recentlySent(
		[
			{
				ageMs: 1000,
				ranges: [
					[9050, 9060],
					[9000, 9100],
					[9001, 9002],
				],
			},
			{ageMs: 500, ranges: [[9099, 9200]]},
		],
		[9200, 8999, 9100, 9055, 9101, 9201],
	);
	assert.deepEqual(
		[...ages].sort((a, b) => a[0] - b[0]),
		[
			[9055, 1000],
			[9100, 500],
			[9101, 500],
			[9200, 500],
		],
	);
});

test('coarsened ranges: at most the cap, every port still covered, narrowest gaps closed first', () => {
	const ranges: Array<[number, number]> = [
		[10, 10],
		[12, 12],
		[100, 100],
		[103, 103],
		[1000, 1000],
	];
	assert.deepEqual(coarsenRanges(ranges, 3), [
		[10, 12],
		[100, 103],
		[1000, 1000],
	]);
	assert.deepEqual(coarsenRanges(ranges, 10), ranges);
	const alternate = Array.from({length: 20_000}, (_, index): [number, number] => [2 * index + 1, 2 * index + 1]);
	const coarse = coarsenRanges(alternate, 2048);
	assert.ok(coarse.length <= 2048, String(coarse.length));
	assert.equal(
		recentlySent(
			[{ageMs: 0, ranges: coarse}],
			alternate.map(([port]) => port),
		).size,
		alternate.length,
	);
});

test('recent checks file: over the size cap is an empty history, said once, and starts afresh', async t => {
	const file = path.join(scratch(t), 'recent-checks.json');
	writeFileSync(file, '['.repeat(historyLimits.bytes + 1));
	const {store, warnings} = quietStore(file);
	assert.deepEqual(await store.load(), []);
	assert.deepEqual(await store.load(), []);
	assert.equal(warnings.length, 1, warnings.join('\n'));
	assert.match(warnings[0]!, /recent-checks\.json is over 1 MiB: the check history starts afresh$/);
	await store.record([[9000, 9009]]);
	assert.ok(statSync(file).size < 100, 'the oversized file was replaced, not appended to');
	assert.deepEqual(
		(await store.load()).map(check => check.ranges),
		[[[9000, 9009]]],
	);
});

test('recent checks file: an endless file is read no further than the cap', async t => {
	const {store, warnings} = quietStore('/dev/zero');
	assert.deepEqual(await store.load(), []);
	assert.equal(warnings.length, 1);
	t.diagnostic(warnings[0]!);
});

test('recent checks file: at most the entry and range caps are read, and written back', async t => {
	const file = path.join(scratch(t), 'recent-checks.json');
	const now = Date.now();
	const many = Array.from({length: 200}, (_, index) => ({at: now - 1000 + index, ranges: [[index + 1, index + 1]]}));
	const wide = {at: now, ranges: Array.from({length: 30_000}, (_, index) => [2 * index + 1, 2 * index + 1])};
	writeFileSync(file, JSON.stringify([...many, wide]));
	const {store} = quietStore(file, () => now);
	const loaded = await store.load();
	assert.equal(loaded.length, historyLimits.checks);
	assert.ok(loaded.every(check => check.ranges.length <= historyLimits.rangesPerCheck));
	// The newest are kept: the wide check and the 19 before it.
	assert.deepEqual(loaded[0]!.ranges, [[182, 182]]);
	assert.equal(recentlySent(loaded, [59_999]).get(59_999), 0);
	await store.record([[5060, 5060]]);
	const written = JSON.parse(readFileSync(file, 'utf8')) as Array<{ranges: unknown[]}>;
	assert.equal(written.length, historyLimits.checks);
	assert.ok(written.every(check => check.ranges.length <= historyLimits.rangesPerCheck));
});

test('recent checks file: an entry dated in the future (clock set back) is dropped', async t => {
	const file = path.join(scratch(t), 'recent-checks.json');
	const now = 1_800_000_000_000;
	writeFileSync(
		file,
		JSON.stringify([
			{at: now + 60_000, ranges: [[9000, 9009]]},
			{at: now - 30_000, ranges: [[9010, 9019]]},
		]),
	);
	const {store} = quietStore(file, () => now);
	assert.deepEqual(await store.load(), [{ageMs: 30_000, ranges: [[9010, 9019]]}]);
	await store.record([[9020, 9029]]);
	assert.deepEqual(
		(JSON.parse(readFileSync(file, 'utf8')) as Array<{at: number}>).map(entry => entry.at),
		[now - 30_000, now],
	);
});

test('recent checks file: a history that cannot be written is said in one line, nothing left behind', async t => {
	const directory = scratch(t);
	const notADirectory = path.join(directory, 'state');
	writeFileSync(notADirectory, 'a file where the state directory should be');
	const {store, warnings} = quietStore(path.join(notADirectory, 'recent-checks.json'));
	assert.deepEqual(await store.load(), []);
	await store.record([[9000, 9009]]);
	assert.equal(warnings.length, 1);
	assert.match(warnings[0]!, /^could not save the check history \(.*\): the next check cannot tell stale mappings$/);
	assert.ok(!warnings[0]!.includes('\n'));
	assert.deepEqual(readdirSync(directory), ['state']);
});

test('state directory: an empty FWCHECK_STATE_DIR or XDG_STATE_HOME counts as unset', () => {
	const home = path.join(homedir(), '.local', 'state', 'fwcheck');
	assert.equal(stateDirectory({FWCHECK_STATE_DIR: ''}), home);
	assert.equal(stateDirectory({FWCHECK_STATE_DIR: '', XDG_STATE_HOME: ''}), home);
	assert.equal(stateDirectory({FWCHECK_STATE_DIR: '', XDG_STATE_HOME: '/x'}), path.join('/x', 'fwcheck'));
	assert.equal(stateDirectory({FWCHECK_STATE_DIR: '/y'}), '/y');
	assert.equal(
		stateDirectory({LOCALAPPDATA: String.raw`C:\Users\pbx\AppData\Local`}, 'win32'),
		String.raw`C:\Users\pbx\AppData\Local\fwcheck`,
	);
	assert.equal(stateDirectory({FWCHECK_STATE_DIR: String.raw`D:\state`, LOCALAPPDATA: 'C:'}, 'win32'), String.raw`D:\state`);
	assert.equal(stateDirectory({LOCALAPPDATA: String.raw`C:\x`}, 'linux'), home);
});
