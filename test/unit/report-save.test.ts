import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, test} from 'node:test';
import {type SaveFileSystem, realFileSystem} from '../../source/report/atomic-files.js';
import {toJson} from '../../source/report/json.js';
import {SaveError, saveReport} from '../../source/report/save.js';
import {makeReport, mixedCode, portResult, range} from '../ui/fixtures.js';

const report = makeReport(range(9490, 9610).map(port => portResult(port, mixedCode(port))));
const when = new Date(2026, 0, 2, 3, 4, 5);
const name = 'fwcheck-report-20260102-030405';

let directory = '';
beforeEach(async () => {
	directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-save-atomic-'));
});
afterEach(async () => {
	await rm(directory, {recursive: true, force: true});
});

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), {code});

type Step = 'open' | 'write' | 'sync' | 'close' | 'link' | 'rename' | 'unlink';

/**
 * The real file system with one step failing: `nth` counts the calls of that step (1 is the
 * first), so a test can fail the Markdown file (1) or the JSON file (2). `where` narrows it to
 * paths that end so (".md" for the final Markdown name).
 */
const failing = (step: Step, code: string, nth = 1, where = ''): SaveFileSystem & {calls: Record<Step, number>} => {
	const calls: Record<Step, number> = {open: 0, write: 0, sync: 0, close: 0, link: 0, rename: 0, unlink: 0};
	const hit = (which: Step, file = '') => {
		if (which !== step || !file.endsWith(where)) {
			return false;
		}

		calls[which]++;
		return calls[which] === nth;
	};

	// Writes count per file, not per chunk: a file's first write is the one that may fail.
	let writingFile = 0;
	return {
		calls,
		...realFileSystem,
		async open(file, flags, mode) {
			if (flags === 'wx' && hit('open', file)) {
				throw errno(code);
			}

			const handle = await realFileSystem.open(file, flags, mode);
			const index = flags === 'wx' ? ++writingFile : 0;
			let wrote = false;
			return {
				async write(data) {
					if (!wrote && index > 0) {
						wrote = true;
						if (hit('write', file)) {
							// A full disk takes part of the data before it refuses the rest.
							await handle.write(data.slice(0, 100));
							throw errno(code);
						}
					}

					return handle.write(data);
				},
				async sync() {
					if (index > 0 && hit('sync', file)) {
						throw errno(code);
					}

					return handle.sync();
				},
				async close() {
					await handle.close();
					if (index > 0 && hit('close', file)) {
						throw errno(code);
					}
				},
			};
		},
		async link(from, to) {
			if (hit('link', to)) {
				throw errno(code);
			}

			return realFileSystem.link(from, to);
		},
		async rename(from, to) {
			if (hit('rename', to)) {
				throw errno(code);
			}

			return realFileSystem.rename(from, to);
		},
		async unlink(file) {
			if (hit('unlink', file)) {
				throw errno(code);
			}

			return realFileSystem.unlink(file);
		},
	};
};

const saveWith = async (fs: SaveFileSystem) => saveReport(report, directory, when, {fs});

const assertNothingLeft = async () => {
	assert.deepEqual(await readdir(directory), [], 'no file, partial or temporary, is left behind');
};

const cases: Array<{title: string; step: Step; code: string; nth?: number; where?: string}> = [
	{title: 'EACCES on opening the Markdown file', step: 'open', code: 'EACCES'},
	{title: 'EACCES on opening the JSON file', step: 'open', code: 'EACCES', nth: 2},
	{title: 'ENOSPC on writing the Markdown', step: 'write', code: 'ENOSPC'},
	{title: 'ENOSPC on writing the JSON', step: 'write', code: 'ENOSPC', nth: 2},
	{title: 'ENOSPC on fsync of the Markdown', step: 'sync', code: 'ENOSPC'},
	{title: 'ENOSPC on fsync of the JSON', step: 'sync', code: 'ENOSPC', nth: 2},
	{title: 'EIO on closing the JSON', step: 'close', code: 'EIO', nth: 2},
	{title: 'ENOSPC on naming the Markdown', step: 'link', code: 'ENOSPC'},
	{title: 'ENOSPC on naming the JSON', step: 'link', code: 'ENOSPC', nth: 2},
];

for (const {title, step, code, nth, where} of cases) {
	test(`${title}: rejects with ${code} and leaves nothing, on every retry`, async () => {
		for (let attempt = 0; attempt < 2; attempt++) {
			const fs = failing(step, code, nth, where);
			await assert.rejects(saveWith(fs), (error: unknown) => {
				assert.ok(error instanceof SaveError);
				assert.equal(error.code, code);
				assert.equal(error.directory, directory);
				assert.equal(error.kept, null);
				return true;
			});
			assert.equal(fs.calls[step], nth ?? 1, 'the injected failure was reached');
			await assertNothingLeft();
		}
	});
}

test('without hard links it renames, and ENOSPC on renaming the JSON takes the Markdown back', async () => {
	const noLinks = (fs: SaveFileSystem): SaveFileSystem => ({
		...fs,
		async link() {
			throw errno('EPERM');
		},
	});
	await assert.rejects(saveWith(noLinks(failing('rename', 'ENOSPC', 1, '.json'))), {code: 'ENOSPC'});
	await assertNothingLeft();
	await assert.rejects(saveWith(noLinks(failing('rename', 'ENOSPC', 1, '.md'))), {code: 'ENOSPC'});
	await assertNothingLeft();

	const paths = await saveWith(noLinks(realFileSystem));
	assert.equal(paths.jsonPath, path.join(directory, `${name}.json`));
	assert.equal(await readFile(paths.jsonPath, 'utf8'), `${toJson(report)}\n`);
	// A stray JSON under the next name: that name is skipped, the Markdown renamed back and placed again.
	await writeFile(path.join(directory, `${name}-2.json`), 'theirs');
	const again = await saveWith(noLinks(realFileSystem));
	assert.equal(again.markdownPath, path.join(directory, `${name}-3.md`));
	assert.equal(await readFile(path.join(directory, `${name}-2.json`), 'utf8'), 'theirs');
	assert.deepEqual((await readdir(directory)).sort(), [
		`${name}-2.json`,
		`${name}-3.json`,
		`${name}-3.md`,
		`${name}.json`,
		`${name}.md`,
	]);
	assert.match(await readFile(again.markdownPath, 'utf8'), /\| 9500-9599 \| 100 \| ✘ inbound-blocked \|/);
});

test('a stray file under the JSON name is never overwritten: both files move to the next name', async () => {
	await writeFile(path.join(directory, `${name}.json`), 'theirs');
	const paths = await saveWith(realFileSystem);
	assert.equal(paths.markdownPath, path.join(directory, `${name}-2.md`));
	assert.equal(await readFile(path.join(directory, `${name}.json`), 'utf8'), 'theirs');
	assert.deepEqual((await readdir(directory)).sort(), [`${name}-2.json`, `${name}-2.md`, `${name}.json`]);
});

test('when the JSON fails and the Markdown cannot be taken back, the error names the one kept', async () => {
	const linkFails = failing('link', 'ENOSPC', 2);
	const fs: SaveFileSystem = {
		...linkFails,
		async unlink(file) {
			if (file.endsWith('.md')) {
				throw errno('EACCES');
			}

			return realFileSystem.unlink(file);
		},
	};
	await assert.rejects(saveWith(fs), (error: unknown) => {
		assert.ok(error instanceof SaveError);
		assert.equal(error.code, 'ENOSPC');
		assert.equal(error.kept, path.join(directory, `${name}.md`));
		return true;
	});
	// The Markdown kept is whole, and no temporary file stays.
	assert.deepEqual(await readdir(directory), [`${name}.md`]);
	assert.match(await readFile(path.join(directory, `${name}.md`), 'utf8'), /\| 9500-9599 \| 100 \| ✘ inbound-blocked \|/);
});

test('a place fwcheck picks is created first, and a file there can be private', async () => {
	const nested = path.join(directory, 'state', 'fwcheck');
	const paths = await saveReport(report, nested, when, {createDirectory: true, mode: 0o600});
	assert.equal(path.dirname(paths.markdownPath), nested);
	assert.equal((await stat(paths.jsonPath)).mode & 0o777, 0o600);
	assert.equal((await stat(nested)).mode & 0o777, 0o700);
	await assert.rejects(saveReport(report, path.join(directory, 'missing'), when), {code: 'ENOENT'});
});
