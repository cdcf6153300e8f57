// A session's recording (FWCHECK_RECORD_TUI): JSON lines, the start and then every intent. Kept
// in media/ gzipped, cut after the last intent a screenshot needs.
import {closeSync, existsSync, openSync, readFileSync, readSync} from 'node:fs';
import {gunzipSync, gzipSync} from 'node:zlib';
import type {RecordedEntry} from '../../source/ui/state/recording.js';

export const parseRecording = (text: string): RecordedEntry[] =>
	text
		.split('\n')
		.filter(line => line !== '')
		.map(line => JSON.parse(line) as RecordedEntry);

export const readRecording = (file: string): RecordedEntry[] =>
	parseRecording(file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8'));

/** The start and the first `intents` intents, gzipped. */
export const packRecording = (entries: readonly RecordedEntry[], intents: number): Buffer =>
	gzipSync(`${entries
		.slice(0, intents + 1)
		.map(entry => JSON.stringify(entry))
		.join('\n')}\n`);

/** Counts the intents written to a growing recording so far, reading only what is new. */
export class RecordingCounter {
	#offset = 0;
	#lines = 0;

	constructor(readonly file: string) {}

	intents(): number {
		if (!existsSync(this.file)) return 0;
		const fd = openSync(this.file, 'r');
		try {
			const buffer = Buffer.alloc(1 << 16);
			for (let i = 0; i < 10_000; i++) {
				const read = readSync(fd, buffer, 0, buffer.length, this.#offset);
				if (read === 0) break;
				// Only whole lines count: a line being written has no newline yet.
				for (let j = 0; j < read; j++) if (buffer[j] === 0x0a) this.#lines++;
				this.#offset += read;
			}
		} finally {
			closeSync(fd);
		}
		return Math.max(0, this.#lines - 1);
	}
}
