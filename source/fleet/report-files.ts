import {Buffer} from 'node:buffer';
import {open} from 'node:fs/promises';
import {type FleetRow, type ReadResult, type SkipReason, readFleetReport, skippedFile} from './fleet-row.js';
import type {SkippedReport} from './fleet-table.js';

/**
 * Files read at once: enough to overlap the reads (a share over the network), few enough to stay
 * far below the open-file limit.
 */
const readers = 16;

/** A reader's buffer to start with: a report of 250 ports fits; a bigger one doubles it. */
const startingSize = 256 * 1024;

/**
 * Each report file's row, or why it was skipped, in the order given. Each reader reuses one
 * buffer for all its files: a fresh buffer per file (readFile) cost as much kernel time, in
 * page faults, as parsing cost in V8.
 */
export const readReportFiles = async (
	files: string[],
): Promise<{rows: FleetRow[]; skipped: Array<SkippedReport & {reason: SkipReason}>}> => {
	const results: ReadResult[] = Array.from({length: files.length});
	let next = 0;
	const reader = async (): Promise<void> => {
		let buffer: Buffer = Buffer.allocUnsafe(startingSize);
		while (next < files.length) {
			const index = next++;
			const file = files[index]!;
			try {
				const {content, grown} = await readInto(file, buffer);
				buffer = grown;
				results[index] = readFleetReport(content, file);
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				results[index] = skippedFile(code === 'ENOENT' ? {kind: 'no-such-file'} : {kind: 'cannot-read', code: code ?? 'error'});
			}
		}
	};

	await Promise.all(Array.from({length: Math.min(readers, files.length)}, reader));
	const rows: FleetRow[] = [];
	const skipped: Array<SkippedReport & {reason: SkipReason}> = [];
	for (const [index, result] of results.entries()) {
		if (result.ok) {
			rows.push(result.row);
		} else {
			skipped.push({file: files[index]!, problem: result.problem, reason: result.reason});
		}
	}

	return {rows, skipped};
};

/** The file's text, read into `buffer` (or a bigger one, handed back to use next time). */
const readInto = async (file: string, buffer: Buffer): Promise<{content: string; grown: Buffer}> => {
	const handle = await open(file, 'r');
	try {
		let into: Buffer = buffer;
		let used = 0;
		for (;;) {
			if (used === into.length) {
				const bigger = Buffer.allocUnsafe(into.length * 2);
				into.copy(bigger);
				into = bigger;
			}

			const {bytesRead} = await handle.read(into, used, into.length - used, null);
			if (bytesRead === 0) {
				// Decoded as readFile(file, 'utf8') would: a byte-order mark and bad UTF-8 stay for the parser to judge.
				return {content: into.toString('utf8', 0, used), grown: into};
			}

			used += bytesRead;
		}
	} finally {
		await handle.close();
	}
};
