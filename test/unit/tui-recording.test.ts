import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {tuiRecorder} from '../../source/cli/tui-recording.js';

test('FWCHECK_RECORD_TUI unset: no recorder', () => {
	assert.equal(tuiRecorder({}), undefined);
	assert.equal(tuiRecorder({FWCHECK_RECORD_TUI: ''}), undefined);
});

test('FWCHECK_RECORD_TUI: one JSON line per entry, in order', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'fwcheck-recording-'));
	try {
		const file = path.join(dir, 'tui.jsonl');
		const record = tuiRecorder({FWCHECK_RECORD_TUI: file})!;
		record({start: {config: {servers: [], ports: [9000]}, columns: 80, rows: 24, now: 5}});
		record({intent: {type: 'move', delta: 1}});
		const lines = readFileSync(file, 'utf8').split('\n');
		assert.deepEqual(
			lines.filter(Boolean).map(line => JSON.parse(line) as unknown),
			[{start: {config: {servers: [], ports: [9000]}, columns: 80, rows: 24, now: 5}}, {intent: {type: 'move', delta: 1}}],
		);
		assert.equal(lines.at(-1), '', 'every line ends');
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('a file that cannot be written ends the recording quietly', () => {
	const record = tuiRecorder({FWCHECK_RECORD_TUI: path.join(tmpdir(), 'no-such-directory-fwcheck', 'x', 'tui.jsonl')})!;
	assert.doesNotThrow(() => {
		record({intent: {type: 'move', delta: 1}});
		record({intent: {type: 'move', delta: 1}});
	});
});
