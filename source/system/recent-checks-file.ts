import {mkdir, open, rename, rm, writeFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {type RecentCheck, type RecentCheckStore, coarsenRanges, mappingLifetimeMs} from '../check/recent-checks.js';

interface Stored {
	at: number;
	ranges: Array<[number, number]>;
}

/**
 * Caps on what the file may cost. Twenty checks of a few thousand ranges each fit well within
 * the byte cap; a bigger file was not written by us, and reading it whole could take gigabytes.
 */
export const historyLimits = {bytes: 1024 * 1024, checks: 20, rangesPerCheck: 2048};

/**
 * $FWCHECK_STATE_DIR, else $XDG_STATE_HOME/fwcheck, else ~/.local/state/fwcheck; on Windows, where
 * per-machine state lives in the local (not roaming) profile, %LOCALAPPDATA%\fwcheck. Empty is unset.
 */
export const stateDirectory = (env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string =>
	env.FWCHECK_STATE_DIR ||
	(platform === 'win32' && env.LOCALAPPDATA
		? path.win32.join(env.LOCALAPPDATA, 'fwcheck')
		: path.join(env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state'), 'fwcheck'));

const isStored = (value: unknown): value is Stored =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as Stored).at === 'number' &&
	Array.isArray((value as Stored).ranges) &&
	(value as Stored).ranges.every(
		range => Array.isArray(range) && range.length === 2 && range.every(port => Number.isInteger(port)),
	);

/** The file's text, or undefined when it holds more than `limit` bytes; never reads more than that. */
const readCapped = async (file: string, limit: number): Promise<string | undefined> => {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(limit + 1);
		let length = 0;
		for (;;) {
			const {bytesRead} = await handle.read(buffer, length, buffer.length - length);
			length += bytesRead;
			if (bytesRead === 0 || length > limit) {
				break;
			}
		}

		return length > limit ? undefined : buffer.toString('utf8', 0, length);
	} finally {
		await handle.close();
	}
};

export interface RecentChecksFileOptions {
	/**
	 * One line about the history (too big to read, cannot be written). console.error by default:
	 * Ink prints console output above its frame, where a raw stderr write would tear it.
	 */
	warn?: (line: string) => void;
	now?: () => number;
}

/**
 * The ports this host's recent checks sent from, in a small JSON file: what a second run needs
 * to know that a Test 3 pass may come through the first run's mappings. A missing or damaged
 * file is an empty history; one over the size cap is too, said in one line; a file that cannot
 * be written costs the stale-mapping warning of the next run, said in one line.
 */
export const fileRecentChecks = (
	file = path.join(stateDirectory(), 'recent-checks.json'),
	{warn = line => console.error(`fwcheck: ${line}`), now = Date.now}: RecentChecksFileOptions = {},
): RecentCheckStore => {
	let warnedTooBig = false;
	const read = async (): Promise<Stored[]> => {
		let text: string | undefined;
		try {
			text = await readCapped(file, historyLimits.bytes);
		} catch {
			return [];
		}

		if (text === undefined) {
			if (!warnedTooBig) {
				warnedTooBig = true;
				warn(`${file} is over ${historyLimits.bytes / 1024 / 1024} MiB: the check history starts afresh`);
			}

			return [];
		}

		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			return [];
		}

		const at = now();
		// An entry from the future (the clock was set back) would never age out: it is dropped.
		return Array.isArray(parsed)
			? parsed
					.filter(isStored)
					.filter(entry => entry.at <= at && at - entry.at < mappingLifetimeMs)
					.slice(-historyLimits.checks)
					.map(entry => ({at: entry.at, ranges: coarsenRanges(entry.ranges, historyLimits.rangesPerCheck)}))
			: [];
	};

	return {
		async load(): Promise<RecentCheck[]> {
			const at = now();
			return (await read()).map(entry => ({ageMs: at - entry.at, ranges: entry.ranges}));
		},
		async record(ranges) {
			const temporary = `${file}.${process.pid}.tmp`;
			try {
				const entry = {at: now(), ranges: coarsenRanges(ranges, historyLimits.rangesPerCheck)};
				const kept = [...(await read()), entry].slice(-historyLimits.checks);
				await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
				await writeFile(temporary, JSON.stringify(kept), {mode: 0o600});
				await rename(temporary, file);
			} catch (error) {
				// A half-written file (a full disk) is not left beside the history.
				await rm(temporary, {force: true}).catch(() => undefined);
				const reason = error instanceof Error ? error.message : String(error);
				warn(`could not save the check history (${reason}): the next check cannot tell stale mappings`);
			}
		},
	};
};
