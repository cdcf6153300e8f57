// Helpers the bench and the screenshot script share (scripts/support/) and the bench's verdict
// judging: pure functions, no lab.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {judge, codesText} from '../../bench/run/judge.js';
import {parseGnuTime} from '../../scripts/support/resources.js';
import {shellQuote} from '../../scripts/support/shell.js';
import {median, percentile, runsText} from '../../scripts/support/stats.js';
import type {ReportJson} from '../../source/report/json.js';

test('median: middle value, mean of the two middle ones, nothing for no values', () => {
	assert.equal(median([3, 1, 2]), 2);
	assert.equal(median([4, 1, 3, 2]), 2.5);
	assert.equal(median([5, Number.NaN]), 5);
	assert.equal(median([]), undefined);
	assert.equal(percentile([10, 20, 30, 40], 0.5), 30);
	assert.equal(percentile([10, 20, 30, 40], 0.99), 40);
	assert.ok(Number.isNaN(percentile([], 0.5)));
	assert.deepEqual([runsText(1), runsText(3)], ['1 run', '3 runs']);
});

test('shellQuote survives sh, quotes and spaces included', () => {
	for (const value of ["it's", 'a b', '$HOME', '"x"', "'", '']) {
		const r = spawnSync('sh', ['-c', `printf %s ${shellQuote(value)}`], {encoding: 'utf8', timeout: 5000});
		assert.equal(r.stdout, value);
	}
});

test('GNU time -v report: CPU, peak RSS and the command exit status', () => {
	const text = [
		'\tCommand being timed: "node dist/cli.js"',
		'\tUser time (seconds): 1.25',
		'\tSystem time (seconds): 0.13',
		'\tMaximum resident set size (kbytes): 89512',
		'\tExit status: 1',
	].join('\n');
	assert.deepEqual(parseGnuTime(text), {userS: 1.25, sysS: 0.13, rssKb: 89_512, exitCode: 1});
	assert.deepEqual(parseGnuTime(''), {userS: undefined, sysS: undefined, rssKb: undefined, exitCode: undefined});
});

test('judge: exact only when every expected port has the expected verdict', () => {
	const report = (codes: Array<string | undefined>) =>
		({ports: codes.map((code, i) => ({port: 9000 + i, code, status: code ? 'fail' : 'running'}))}) as unknown as ReportJson;
	assert.equal(judge(report(['ok', 'ok']), 'ok', 2).exact, true);
	assert.equal(judge(report(['ok', 'ok']), 'ok', 3).exact, false, 'a port missing');
	const mixed = judge(report(['ok', 'inbound-blocked', undefined, 'inbound-blocked']), 'ok', 4);
	assert.equal(mixed.exact, false);
	assert.deepEqual(
		mixed.wrong.map(p => p.port),
		[9001, 9002, 9003],
	);
	assert.equal(codesText(mixed.codes), '2 inbound-blocked, 1 ok, 1 status:running');
	assert.equal(judge(undefined, 'ok', 1).exact, false);
});
