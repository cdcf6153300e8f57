import path from 'node:path';
import type {CheckReport} from '../check/types.js';
import {
	NameTaken,
	type SaveFileSystem,
	errorCode,
	placeFile,
	realFileSystem,
	removeFile,
	syncDirectory,
	unplaceFile,
	writeTemporary,
} from './atomic-files.js';
import {jsonFileChunks} from './json.js';
import {toMarkdown} from './markdown.js';
import {words} from '../catalog/index.js';

export interface SavedReport {
	markdownPath: string;
	jsonPath: string;
}

/**
 * A save that failed: where, the errno code (ENOSPC, EACCES…) when there is one, and `kept`, the
 * one file left under its final name when the other failed and it could not be removed.
 */
export class SaveError extends Error {
	constructor(
		readonly directory: string,
		readonly code: string | undefined,
		message: string,
		readonly kept: string | null = null,
	) {
		super(message);
		this.name = 'SaveError';
	}
}

export interface SaveOptions {
	fs?: SaveFileSystem;
	/** Create the directory (and its parents, 0700) first: for places fwcheck picks, not the user's. */
	createDirectory?: boolean;
	/** Mode of the new files (before the umask); 0600 where others may read, as in the temp dir. */
	mode?: number;
}

const stamp = (date: Date): string => {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
};

const maxAttempts = 100;

const failure = (directory: string, error: unknown, kept: string | null = null): SaveError =>
	new SaveError(directory, errorCode(error), error instanceof Error ? error.message : String(error), kept);

/**
 * Write fwcheck-report-YYYYMMDD-HHMMSS.md and .json (local time) into `directory`. Never
 * overwrites: a second save in the same second gets "-2", "-3"… Both files or neither: each is
 * written and fsynced under a temporary name, and only then are both given their names; on any
 * error nothing partial is left. Returns absolute paths; rejects with a SaveError.
 */
export const saveReport = async (
	report: CheckReport,
	directory: string,
	now = new Date(),
	{fs = realFileSystem, createDirectory = false, mode = 0o666}: SaveOptions = {},
): Promise<SavedReport> => {
	const folder = path.resolve(directory);
	const base = path.join(folder, `fwcheck-report-${stamp(now)}`);
	const temporary: string[] = [];
	try {
		if (createDirectory) {
			await fs.mkdir(folder, {recursive: true, mode: 0o700});
		}

		// The JSON document port by port, as `fwcheck --json` prints it: never the whole of a large one in memory.
		const markdownFile = await writeTemporary(fs, folder, [toMarkdown(report, {generatedAt: now})], mode);
		temporary.push(markdownFile);
		const jsonFile = await writeTemporary(fs, folder, jsonFileChunks(report), mode);
		temporary.push(jsonFile);
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			const name = attempt === 1 ? base : `${base}-${attempt}`;
			const paths = {markdownPath: `${name}.md`, jsonPath: `${name}.json`};
			let placed;
			try {
				placed = await placeFile(fs, markdownFile, paths.markdownPath);
			} catch (error) {
				if (error instanceof NameTaken) {
					continue;
				}

				throw error;
			}

			try {
				await placeFile(fs, jsonFile, paths.jsonPath);
			} catch (error) {
				// The Markdown alone would look like a whole save: take it back, or say it stayed.
				if (!(await unplaceFile(fs, placed, markdownFile, paths.markdownPath))) {
					throw failure(folder, error, paths.markdownPath);
				}

				if (error instanceof NameTaken) {
					continue;
				}

				throw error;
			}

			await syncDirectory(fs, folder);
			return paths;
		}

		throw new SaveError(folder, 'EEXIST', words().report.tooManySaves(maxAttempts));
	} catch (error) {
		throw error instanceof SaveError ? error : failure(folder, error);
	} finally {
		for (const file of temporary) {
			await removeFile(fs, file);
		}
	}
};
