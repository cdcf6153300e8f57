// Run inside `unshare --mount` by test/lab/report-save.test.ts: mounts a tiny tmpfs (a full
// disk), a read-only tmpfs and an immutable one under the directory given, saves reports into
// them with the real file system, and prints what happened as one JSON line. The mounts vanish
// with this process's mount namespace.
import {mkdir, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {render} from 'ink-testing-library';
import {type SaveError, saveReport} from '../../source/report/save.js';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, makeReport, mixedCode, portResult, range} from '../ui/fixtures.js';
import {delay, plain, waitForFrame} from '../ui/helpers.js';

const root = process.argv[2];
if (!root) {
	throw new Error('usage: save-in-mounts.tsx DIRECTORY');
}

const mountTmpfs = async (directory: string, options: string) => {
	await mkdir(directory, {recursive: true});
	await execa('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', directory], {timeout: 10_000});
};

// 100 ports: a Markdown of under 1 KB that fits in 64 KB, a JSON of about 100 KB that does not.
const big = makeReport(range(9000, 9099).map(port => portResult(port, mixedCode(port))));
const small = makeReport([portResult(9000, 'ok')]);

const attempt = async (report: typeof big, directory: string) => {
	try {
		const paths = await saveReport(report, directory);
		return {
			saved: [path.basename(paths.markdownPath), path.basename(paths.jsonPath)],
			code: null,
			files: await readdir(directory),
		};
	} catch (error) {
		return {
			saved: null,
			code: (error as SaveError).code ?? null,
			kept: (error as SaveError).kept,
			files: await readdir(directory),
		};
	}
};

const full = path.join(root, 'full');
await mountTmpfs(full, 'size=64k');
const readOnly = path.join(root, 'read-only');
await mountTmpfs(readOnly, 'size=1m');
await execa('mount', ['-o', 'remount,ro', readOnly], {timeout: 10_000});
const immutable = path.join(root, 'immutable');
await mountTmpfs(immutable, 'size=1m');
const chattr = await execa('chattr', ['+i', immutable], {reject: false, timeout: 10_000});

const result: Record<string, unknown> = {
	fullFirst: await attempt(big, full),
	fullRetry: await attempt(big, full),
	fullSmall: await attempt(small, full),
	readOnly: await attempt(big, readOnly),
	immutable: chattr.exitCode === 0 ? await attempt(big, immutable) : {unsupported: chattr.stderr.trim()},
};

// The TUI over the same mounts: the chosen directory read-only, the state directory on a full
// disk, the temp dir fine. Each `s` should name the next place, and the last one keep the files.
const stateHome = path.join(root, 'state-home');
await mountTmpfs(stateHome, 'size=64k');
const temporary = path.join(root, 'tmp');
await mkdir(temporary);
delete process.env['FWCHECK_STATE_DIR'];
process.env['XDG_STATE_HOME'] = stateHome;
process.env['TMPDIR'] = temporary;
const ports = range(9000, 9099);
const app = render(
	<App
		config={config(ports)}
		run={instantRunner(ports.map(port => portResult(port, mixedCode(port))))}
		columns={160}
		rows={24}
		reportDir={readOnly}
	/>,
);
await delay(20);
await waitForFrame(app, frame => frame.includes('OK: Forwarded 1:1'));
const notices: string[] = [];
for (const until of ['Could not save in', `Could not save in ${path.join(stateHome, 'fwcheck')}`, 'Saved']) {
	app.stdin.write('s');
	const frame = await waitForFrame(app, frame => frame.includes(until), 20_000);
	// The notice, its wrapped lines joined, up to the table's header.
	const text = plain(frame).replaceAll(/ *\n */g, ' ');
	const start = text.indexOf(until.split(' ')[0]!);
	notices.push(text.slice(start, text.indexOf(' Port ', start)).trim());
}

app.unmount();
result['tui'] = {
	notices,
	stateFiles: await readdir(path.join(stateHome, 'fwcheck')),
	temporaryFiles: await readdir(temporary),
	readOnlyFiles: await readdir(readOnly),
};
await writeFile(path.join(root, 'result.json'), JSON.stringify(result));
