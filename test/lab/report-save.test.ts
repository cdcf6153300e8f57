// Saving a report on real file systems that refuse it: a 64 KB tmpfs (a full disk), a read-only
// mount and an immutable directory, in a private mount namespace (test/support/save-in-mounts.tsx).
// Nothing partial may be left, and the TUI must lead to a place that works. Root only; required
// under CI=true.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {type TestContext, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const helper = path.join(repository, 'test', 'support', 'save-in-mounts.tsx');

const unavailable = (t: TestContext, reason: string): void => {
	if (process.env['CI'] === 'true') {
		throw new Error(`save on real file systems required in CI but unavailable: ${reason}`);
	}

	t.diagnostic(reason);
	t.skip(reason);
};

interface Attempt {
	saved: string[] | null;
	code: string | null;
	kept?: string | null;
	files: string[];
}

test('saving on a full disk, a read-only mount and an immutable directory leaves nothing partial', async t => {
	if (process.getuid?.() !== 0) {
		unavailable(t, 'not root: mounting a tmpfs in a mount namespace needs root');
		return;
	}

	const root = await mkdtemp(path.join(tmpdir(), 'fwcheck-save-mounts-'));
	try {
		const run = await execa(
			'unshare',
			['--mount', '--propagation', 'private', '--', process.execPath, '--import', 'tsx', helper, root],
			{cwd: repository, reject: false, timeout: 120_000, all: true},
		);
		if (run.exitCode !== 0 && /unshare failed|Operation not permitted/.test(run.all ?? '')) {
			unavailable(t, `no mount namespace here: ${(run.all ?? '').split('\n')[0]}`);
			return;
		}

		assert.equal(run.exitCode, 0, run.all);
		const result = JSON.parse(await readFile(path.join(root, 'result.json'), 'utf8')) as Record<string, Attempt> & {
			immutable: Attempt | {unsupported: string};
			tui: {notices: string[]; stateFiles: string[]; temporaryFiles: string[]; readOnlyFiles: string[]};
		};

		// The reported bug: a whole-looking .md, a cut .json, then a 0-byte .md on a retry.
		assert.deepEqual(result['fullFirst'], {saved: null, code: 'ENOSPC', kept: null, files: []});
		assert.deepEqual(result['fullRetry'], {saved: null, code: 'ENOSPC', kept: null, files: []});
		// The disk itself works: a report that fits is saved whole.
		const small = result['fullSmall']!;
		assert.equal(small.code, null);
		assert.deepEqual([...small.files].sort(), [...small.saved!].sort());
		assert.deepEqual(result['readOnly'], {saved: null, code: 'EROFS', kept: null, files: []});
		if ('unsupported' in result.immutable) {
			t.diagnostic(`chattr +i unsupported on tmpfs here: ${result.immutable.unsupported}`);
		} else {
			assert.deepEqual(result.immutable, {saved: null, code: 'EPERM', kept: null, files: []});
			t.diagnostic('immutable directory: EPERM, nothing left');
		}

		const {tui} = result;
		const stateDirectory = path.join(root, 'state-home', 'fwcheck');
		assert.equal(
			tui.notices[0],
			`Could not save in ${path.join(root, 'read-only')}: the file system is read-only. Press s to save in ${stateDirectory}.`,
		);
		assert.equal(
			tui.notices[1],
			`Could not save in ${stateDirectory}: the disk is full. Press s to save in ${path.join(root, 'tmp')}.`,
		);
		assert.match(tui.notices[2]!, /^Saved .*fwcheck-report-\d{8}-\d{6}\.md and /);
		assert.deepEqual(tui.readOnlyFiles, []);
		assert.deepEqual(tui.stateFiles, [], 'nothing partial on the full state directory');
		assert.equal(tui.temporaryFiles.length, 2);
	} finally {
		await rm(root, {recursive: true, force: true});
	}
});
