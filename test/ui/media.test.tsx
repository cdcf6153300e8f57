import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {MEDIA} from '../../scripts/media/config.js';
import {readShotSources} from '../../scripts/media/output.js';
import {readRecording} from '../../scripts/media/recording.js';
import {redraw, screenText} from '../../scripts/media/redraw.js';
import type {RecordedEntry} from '../../source/ui/state/recording.js';

// The screenshots were made with TZ=UTC (watch mode prints clock times); Node reads TZ anew when it is set.
process.env.TZ = 'UTC';

const RERUN = 'the TUI no longer draws what this screenshot shows: run `sudo npm run media` to make them again';
const sources = readShotSources();
const recordings = new Map<string, RecordedEntry[]>();
const recording = (file: string): RecordedEntry[] => {
	const entries = recordings.get(file) ?? readRecording(path.join(MEDIA, file));
	recordings.set(file, entries);
	return entries;
};

// The screenshots hold the glyphs of a Linux terminal; Windows draws some marks differently.
const windows = process.platform === 'win32' ? 'the screenshots show the Linux glyph set' : false;

test('every media/*.txt screenshot says which recorded state it shows (media/shots.json)', () => {
	const screenshots = readdirSync(MEDIA)
		.filter(file => file.endsWith('.txt'))
		.map(file => file.slice(0, -'.txt'.length))
		.sort();
	assert.ok(screenshots.length > 0, 'no media/*.txt');
	assert.deepEqual(screenshots, sources.map(source => source.name).sort());
});

for (const source of sources) {
	test(`media/${source.name}.txt is what the TUI draws for its recorded state`, {skip: windows}, () => {
		const shown = screenText(readFileSync(path.join(MEDIA, `${source.name}.txt`), 'utf8'));
		assert.equal(redraw(recording(source.recording), source.intents), shown, RERUN);
	});
}
