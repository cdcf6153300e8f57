import {rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';

/**
 * Write a file so that a reader sees the old content or the new, never half of it: node_exporter's
 * textfile collector may read at any moment. The temporary file sits in the same directory, since
 * rename is atomic only within one file system; it is removed if anything fails.
 */
export const writeFileAtomically = async (file: string, content: string): Promise<void> => {
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
	try {
		await writeFile(temporary, content, {mode: 0o644});
		await rename(temporary, file);
	} catch (error) {
		await rm(temporary, {force: true});
		throw error;
	}
};
