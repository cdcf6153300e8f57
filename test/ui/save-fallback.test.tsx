import assert from 'node:assert/strict';
import {mkdir, mkdtemp, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {placeAfter, savePlaces} from '../../source/report/save-places.js';
import {App} from '../../source/ui/components/App.js';
import {createState, reducer} from '../../source/ui/state/reducer.js';
import type {Intent, SaveFailure, SweepState} from '../../source/ui/state/types.js';
import {screenMeasure} from '../../source/ui/text/layout.js';
import {saveNotice} from '../../source/ui/text/save-lines.js';
import {config, instantRunner, makeReport, mixedCode, portResult, range} from './fixtures.js';
import {delay, waitForFrame} from './helpers.js';

const ports = range(9490, 9610);
const results = () => ports.map(port => portResult(port, mixedCode(port)));

/** The frame's words with line breaks undone, so a wrapped path reads whole. */
const words = (frame: string): string => frame.replaceAll(/ *\n */g, ' ');

test('savePlaces: the chosen directory, then the state directory, then the temp dir, each once', () => {
	const places = savePlaces('/home/me/reports', {state: '/home/me/.local/state/fwcheck', temporary: '/tmp'});
	assert.deepEqual(
		places.map(place => [place.directory, place.create, place.mode]),
		[
			['/home/me/reports', false, 0o666],
			['/home/me/.local/state/fwcheck', true, 0o666],
			['/tmp', false, 0o600],
		],
	);
	assert.equal(placeAfter(places, '/home/me/reports').directory, '/home/me/.local/state/fwcheck');
	assert.equal(placeAfter(places, '/tmp').directory, '/home/me/reports', 'after the last, the first again');
	assert.deepEqual(
		savePlaces('/tmp', {state: '/s', temporary: '/tmp/'}).map(place => place.directory),
		['/tmp', '/s'],
	);
});

test('the reducer offers the next place after a failure, and s saves there', () => {
	const apply = (state: SweepState, ...intents: Intent[]) => intents.reduce(reducer, state);
	const all = results();
	let state = apply(
		createState(config(ports), {columns: 80, rows: 24, measure: screenMeasure, now: 0}),
		{type: 'run-started', runId: 1, now: 0},
		{type: 'run-finished', runId: 1, report: makeReport(all), now: 10},
		{type: 'save'},
	);
	assert.equal(state.save.directory, null);
	assert.equal(saveNotice(state, 'save').text, 'Saving the report…');
	const failure: SaveFailure = {directory: '/ro', code: 'EROFS', message: 'EROFS: read-only file system', kept: null};
	state = apply(state, {type: 'save-failed', request: 1, failure, offer: '/state/fwcheck'});
	assert.deepEqual(saveNotice(state, 'save'), {
		text: 'Could not save in /ro: the file system is read-only. Press s to save in /state/fwcheck.',
		tone: 'bad',
	});
	assert.ok(state.report, 'the report stays in memory');

	state = apply(state, {type: 'save'});
	assert.equal(state.save.request, 2);
	assert.equal(state.save.directory, '/state/fwcheck');
	assert.equal(saveNotice(state, 'save').text, 'Saving the report in /state/fwcheck…');
	// A late answer to the first request changes nothing.
	assert.equal(apply(state, {type: 'save-failed', request: 1, failure, offer: '/x'}).save.phase, 'saving');

	state = apply(state, {
		type: 'saved',
		request: 2,
		paths: {markdownPath: '/state/fwcheck/a.md', jsonPath: '/state/fwcheck/a.json'},
	});
	assert.equal(saveNotice(state, 'save').text, 'Saved /state/fwcheck/a.md and /state/fwcheck/a.json');
	// The place that worked stays the place for the next save.
	assert.equal(apply(state, {type: 'save'}).save.directory, '/state/fwcheck');

	const kept = {...failure, code: 'ENOSPC', kept: '/ro/r.md'};
	assert.equal(
		saveNotice(apply(state, {type: 'save'}, {type: 'save-failed', request: 3, failure: kept, offer: '/ro'}), 'save').text,
		'Could not save in /ro: the disk is full (only /ro/r.md was written). Press s to try again.',
	);
	const unknown = {...failure, code: 'EIO', message: 'EIO: i/o error, write\nmore'};
	assert.match(
		saveNotice(apply(state, {type: 'save'}, {type: 'save-failed', request: 3, failure: unknown, offer: '/tmp'}), 'save').text,
		/^Could not save in \/ro: EIO: i\/o error, write\. Press s to save in \/tmp\.$/,
	);
});

let root = '';
const saved = {
	XDG_STATE_HOME: process.env['XDG_STATE_HOME'],
	FWCHECK_STATE_DIR: process.env['FWCHECK_STATE_DIR'],
	TMPDIR: process.env['TMPDIR'],
};
beforeEach(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'fwcheck-ui-fallback-'));
	delete process.env['FWCHECK_STATE_DIR'];
	process.env['XDG_STATE_HOME'] = path.join(root, 'state');
	process.env['TMPDIR'] = path.join(root, 'tmp');
	await mkdir(path.join(root, 'tmp'));
});
afterEach(async () => {
	cleanup();
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) {
			delete process.env[name];
		} else {
			process.env[name] = value;
		}
	}

	await rm(root, {recursive: true, force: true});
});

const start = async (reportDir: string) => {
	const app = render(<App config={config(ports)} run={instantRunner(results())} columns={120} rows={24} reportDir={reportDir} />);
	await delay(20);
	await waitForFrame(app, frame => frame.includes('SOME-FAILED'));
	return app;
};

test('s in a directory that cannot be written says why, offers the state directory, and s saves there', async () => {
	const missing = path.join(root, 'missing');
	const stateDirectory = path.join(root, 'state', 'fwcheck');
	const app = await start(missing);
	app.stdin.write('s');
	const failed = words(await waitForFrame(app, frame => frame.includes('Could not save')));
	assert.ok(
		failed.includes(`Could not save in ${missing}: the directory does not exist. Press s to save in ${stateDirectory}.`),
		failed,
	);
	assert.match(failed, /SOME-FAILED/, 'the report is still on screen');

	app.stdin.write('s');
	const frame = words(await waitForFrame(app, frame => frame.includes('Saved')));
	const files = (await readdir(stateDirectory)).sort();
	assert.deepEqual(
		files.map(file => file.replace(/\d{8}-\d{6}/, 'STAMP')),
		['fwcheck-report-STAMP.json', 'fwcheck-report-STAMP.md'],
	);
	assert.ok(frame.includes(`Saved ${path.join(stateDirectory, files[1]!)} and ${path.join(stateDirectory, files[0]!)}`), frame);
	assert.equal((await stat(stateDirectory)).mode & 0o777, 0o700);
});

test('when the state directory fails too, the temp dir is next, with private files', async () => {
	// A file where the state directory's parent should be: ENOTDIR.
	await writeFile(path.join(root, 'state'), 'not a directory');
	const missing = path.join(root, 'missing');
	const app = await start(missing);
	const stateDirectory = path.join(root, 'state', 'fwcheck');
	const temporary = path.join(root, 'tmp');
	app.stdin.write('s');
	let frame = words(await waitForFrame(app, frame => frame.includes('Could not save')));
	assert.ok(
		frame.includes(`Could not save in ${missing}: the directory does not exist. Press s to save in ${stateDirectory}.`),
		frame,
	);

	app.stdin.write('s');
	frame = words(await waitForFrame(app, frame => frame.includes(`Could not save in ${stateDirectory}`)));
	assert.ok(frame.includes(`it is not a directory. Press s to save in ${temporary}.`), frame);
	app.stdin.write('s');
	frame = words(await waitForFrame(app, frame => frame.includes('Saved')));
	const files = (await readdir(temporary)).sort();
	assert.equal(files.length, 2);
	for (const file of files) {
		assert.equal((await stat(path.join(temporary, file))).mode & 0o777, 0o600);
	}

	assert.ok(frame.includes(path.join(temporary, files[1]!)), frame);
});
