import {open, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {CheckReport} from '../check/types.js';
import {jsonFileChunks} from './json.js';
import {toMarkdown} from './markdown.js';

export interface SavedReport {
	markdownPath: string;
	jsonPath: string;
}

const stamp = (date: Date): string => {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
};

const isTaken = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'EEXIST';

/** The JSON document port by port, as `fwcheck --json` prints it: never the whole of a large one in memory. */
const writeJson = async (file: string, report: CheckReport): Promise<void> => {
	const handle = await open(file, 'w');
	try {
		for (const chunk of jsonFileChunks(report)) {
			await handle.write(chunk);
		}
	} finally {
		await handle.close();
	}
};

/**
 * Write fwcheck-report-YYYYMMDD-HHMMSS.md and .json (local time) into `directory`. Never
 * overwrites: a second save in the same second gets "-2", "-3"… Returns absolute paths.
 */
export const saveReport = async (report: CheckReport, directory: string, now = new Date()): Promise<SavedReport> => {
	const base = path.resolve(directory, `fwcheck-report-${stamp(now)}`);
	const markdown = toMarkdown(report, {generatedAt: now});
	for (let attempt = 1; ; attempt++) {
		const name = attempt === 1 ? base : `${base}-${attempt}`;
		const paths = {markdownPath: `${name}.md`, jsonPath: `${name}.json`};
		try {
			// 'wx' fails if the file exists, so two saves never clobber each other.
			await writeFile(paths.markdownPath, markdown, {flag: 'wx'});
		} catch (error) {
			if (isTaken(error) && attempt < 100) {
				continue;
			}

			throw error;
		}

		await writeJson(paths.jsonPath, report);
		return paths;
	}
};
