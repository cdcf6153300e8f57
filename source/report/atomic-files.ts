import {randomBytes} from 'node:crypto';
import {link, lstat, mkdir, open, rename, unlink} from 'node:fs/promises';
import path from 'node:path';

/** The few file operations a save needs, injectable so tests can fail each step. */
export interface SaveFileSystem {
	mkdir: (directory: string, options: {recursive: true; mode: number}) => Promise<unknown>;
	open: (file: string, flags: 'wx' | 'r', mode?: number) => Promise<SaveFileHandle>;
	link: (from: string, to: string) => Promise<void>;
	rename: (from: string, to: string) => Promise<void>;
	unlink: (file: string) => Promise<void>;
	lstat: (file: string) => Promise<unknown>;
}

export interface SaveFileHandle {
	write: (data: string) => Promise<unknown>;
	sync: () => Promise<void>;
	close: () => Promise<void>;
}

export const realFileSystem: SaveFileSystem = {mkdir, open, link, rename, unlink, lstat};

export const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** Thrown when the final name is taken: the caller picks the next one. */
export class NameTaken extends Error {}

/** Errors of link(2) that mean "this file system has no hard links", not "cannot write here". */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

const ignoreErrors = async (operation: Promise<unknown>): Promise<void> => {
	try {
		await operation;
	} catch {
		// Cleanup after an error already being reported: the first error is the one that matters.
	}
};

/**
 * Write `chunks` to a fresh hidden file beside `directory`'s final names and fsync it: a crash or
 * a full disk leaves at most this temporary name, which is removed on any error.
 */
export const writeTemporary = async (
	fs: SaveFileSystem,
	directory: string,
	chunks: Iterable<string>,
	mode: number,
): Promise<string> => {
	const file = path.join(directory, `.fwcheck-save-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
	const handle = await fs.open(file, 'wx', mode);
	try {
		for (const chunk of chunks) {
			await handle.write(chunk);
		}

		// Flushed before it gets its final name, so that name never points at unwritten blocks.
		await handle.sync();
	} catch (error) {
		await ignoreErrors(handle.close());
		await ignoreErrors(fs.unlink(file));
		throw error;
	}

	try {
		await handle.close();
	} catch (error) {
		await ignoreErrors(fs.unlink(file));
		throw error;
	}

	return file;
};

/**
 * Give a finished temporary file its final name, never replacing a file already there: a hard
 * link fails with EEXIST where rename(2) would overwrite. Where the file system has no hard
 * links, a check then rename (two saves in the same second could still race there). A link
 * leaves the temporary name for the caller to remove; a rename consumes it.
 */
export const placeFile = async (fs: SaveFileSystem, temporary: string, final: string): Promise<Placed> => {
	try {
		await fs.link(temporary, final);
		return 'linked';
	} catch (error) {
		if (errorCode(error) === 'EEXIST') {
			throw new NameTaken(final);
		}

		if (!noHardLinks.has(errorCode(error) ?? '')) {
			throw error;
		}
	}

	const exists = await fs.lstat(final).then(
		() => true,
		(error: unknown) => {
			if (errorCode(error) === 'ENOENT') {
				return false;
			}

			throw error;
		},
	);
	if (exists) {
		throw new NameTaken(final);
	}

	await fs.rename(temporary, final);
	return 'renamed';
};

export type Placed = 'linked' | 'renamed';

/**
 * Undo placeFile: the final name goes, and a renamed file goes back to its temporary name so a
 * next attempt can place it again. False when the final name could not be removed.
 */
export const unplaceFile = async (fs: SaveFileSystem, placed: Placed, temporary: string, final: string): Promise<boolean> => {
	if (placed === 'renamed') {
		try {
			await fs.rename(final, temporary);
			return true;
		} catch {
			// Then at least the final name must go.
		}
	}

	return removeFile(fs, final);
};

/** Remove a file if it is there; false when it is there and could not be removed. */
export const removeFile = async (fs: SaveFileSystem, file: string): Promise<boolean> => {
	try {
		await fs.unlink(file);
		return true;
	} catch (error) {
		return errorCode(error) === 'ENOENT';
	}
};

/** Make the new names durable too; some file systems cannot fsync a directory, which costs nothing here. */
export const syncDirectory = async (fs: SaveFileSystem, directory: string): Promise<void> => {
	try {
		const handle = await fs.open(directory, 'r');
		await ignoreErrors(handle.sync());
		await ignoreErrors(handle.close());
	} catch {
		// Not every file system can open or fsync a directory; the files themselves are synced.
	}
};
