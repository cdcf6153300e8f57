import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {toJson} from '../../source/report/json.js';
import {saveReport} from '../../source/report/save.js';
import {makeReport, mixedCode, portResult, range} from './fixtures.js';

test('saveReport writes both files, named by local time, and never overwrites', async () => {
	const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-save-'));
	try {
		const report = makeReport(range(9490, 9610).map(port => portResult(port, mixedCode(port))));
		const when = new Date(2026, 0, 2, 3, 4, 5);
		const first = await saveReport(report, directory, when);
		assert.equal(first.markdownPath, path.join(directory, 'fwcheck-report-20260102-030405.md'));
		assert.equal(first.jsonPath, path.join(directory, 'fwcheck-report-20260102-030405.json'));
		assert.match(await readFile(first.markdownPath, 'utf8'), /\| 9500-9599 \| 100 \| ✘ inbound-blocked \|/);
		assert.equal(await readFile(first.jsonPath, 'utf8'), `${toJson(report)}\n`);

		const second = await saveReport(report, directory, when);
		assert.equal(second.markdownPath, path.join(directory, 'fwcheck-report-20260102-030405-2.md'));
		assert.equal((await readdir(directory)).length, 4);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});

test('saveReport into a directory that does not exist fails with the reason', async () => {
	await assert.rejects(
		saveReport(makeReport([portResult(9000, 'ok')]), path.join(tmpdir(), 'fwcheck-no-such-dir', 'x')),
		/ENOENT/,
	);
});
