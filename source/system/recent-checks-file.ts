import {mkdir, readFile, rename, writeFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {type RecentCheck, type RecentCheckStore, mappingLifetimeMs} from '../check/recent-checks.js';

interface Stored {
	at: number;
	ranges: Array<[number, number]>;
}

/** $FWCHECK_STATE_DIR, else $XDG_STATE_HOME/fwcheck, else ~/.local/state/fwcheck. */
export const stateDirectory = (): string =>
	process.env.FWCHECK_STATE_DIR ?? path.join(process.env.XDG_STATE_HOME ?? path.join(homedir(), '.local', 'state'), 'fwcheck');

const isStored = (value: unknown): value is Stored =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as Stored).at === 'number' &&
	Array.isArray((value as Stored).ranges) &&
	(value as Stored).ranges.every(
		range => Array.isArray(range) && range.length === 2 && range.every(port => Number.isInteger(port)),
	);

/**
 * The ports this host's recent checks sent from, in a small JSON file: what a second run needs
 * to know that a Test 3 pass may come through the first run's mappings. A missing or damaged
 * file is an empty history, and a file that cannot be written costs only the warning.
 */
export const fileRecentChecks = (file = path.join(stateDirectory(), 'recent-checks.json')): RecentCheckStore => {
	const read = async (): Promise<Stored[]> => {
		try {
			const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
			const now = Date.now();
			return Array.isArray(parsed) ? parsed.filter(isStored).filter(entry => now - entry.at < mappingLifetimeMs) : [];
		} catch {
			return [];
		}
	};

	return {
		async load(): Promise<RecentCheck[]> {
			const now = Date.now();
			return (await read()).map(entry => ({ageMs: Math.max(0, now - entry.at), ranges: entry.ranges}));
		},
		async record(ranges) {
			try {
				const kept = [...(await read()), {at: Date.now(), ranges}].slice(-20);
				await mkdir(path.dirname(file), {recursive: true, mode: 0o700});
				const temporary = `${file}.${process.pid}.tmp`;
				await writeFile(temporary, JSON.stringify(kept), {mode: 0o600});
				await rename(temporary, file);
			} catch {
				// Only the stale-mapping warning depends on it.
			}
		},
	};
};
