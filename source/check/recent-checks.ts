/**
 * Stale mappings. On a router that lets replies in (full-cone), a check leaves a NAT mapping on
 * every port it sent from; until those expire, a second check's Test 3 gets in through them and
 * reads ok. Nothing in the answer tells the two apart, so fwcheck remembers which ports it sent
 * from, and when, and says so when a Test 3 pass may owe itself to an earlier check. Pure, but
 * for the store the environment provides.
 */
import {english} from '../catalog/index.js';
import {describePorts, groupRanges} from '../ports/ranges.js';
import type {TestOutcome} from './types.js';

/** How long an earlier check's mappings are taken to live: home routers keep UDP mappings 30 s to a few minutes. */
export const mappingLifetimeMs = 5 * 60 * 1000;

/** Past checks as the store gives them back: how long ago, and the ports that sent. */
export interface RecentCheck {
	ageMs: number;
	ranges: Array<[from: number, to: number]>;
}

export interface RecentCheckStore {
	/** Checks from this host younger than `mappingLifetimeMs`; never throws. */
	load(): Promise<RecentCheck[]>;
	/** Remember that these ports sent just now; never throws. */
	record(ranges: Array<[from: number, to: number]>): Promise<void>;
}

export const toRanges = (ports: number[]): Array<[number, number]> =>
	groupRanges(ports.map(port => ({port, value: true}))).map(range => [range.from, range.to]);

/**
 * At most `max` ranges covering every port of `ranges`: the narrowest gaps are closed first. A
 * port inside a closed gap may then read as recently sent, which costs a needless note, never a
 * missed one.
 */
export const coarsenRanges = (ranges: ReadonlyArray<readonly [number, number]>, max: number): Array<[number, number]> => {
	const sorted = ranges.map(([from, to]): [number, number] => [from, to]).sort((a, b) => a[0] - b[0]);
	if (sorted.length <= max) {
		return sorted;
	}

	const gaps = sorted.slice(1).map((range, index) => ({after: index, width: range[0] - sorted[index]![1]}));
	const closed = new Set(
		gaps
			.sort((a, b) => a.width - b.width)
			.slice(0, sorted.length - Math.max(1, max))
			.map(gap => gap.after),
	);
	const merged: Array<[number, number]> = [];
	for (const [index, range] of sorted.entries()) {
		const last = merged.at(-1);
		if (last && closed.has(index - 1)) {
			last[1] = Math.max(last[1], range[1]);
		} else {
			merged.push(range);
		}
	}

	return merged;
};

/** For each of `ports` that an earlier check sent from within the lifetime: how long ago, the latest. */
export const recentlySent = (checks: readonly RecentCheck[], ports: readonly number[]): Map<number, number> => {
	const ascending = [...ports].sort((a, b) => a - b);
	const ages = new Map<number, number>();
	for (const {ageMs, ranges} of checks) {
		if (ageMs >= mappingLifetimeMs) {
			continue;
		}

		// Both in order, walked once: a history of many ranges costs no more than reading it.
		const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
		let next = 0;
		let reach = Number.NEGATIVE_INFINITY;
		for (const port of ascending) {
			while (next < sorted.length && sorted[next]![0] <= port) {
				reach = Math.max(reach, sorted[next]![1]);
				next++;
			}

			if (port <= reach) {
				ages.set(port, Math.min(ages.get(port) ?? ageMs, ageMs));
			}
		}
	}

	return ages;
};

/**
 * How long before an earlier check sent from a port whose Test 3 passed: that pass may owe
 * itself to the earlier check's mapping. Undefined when Test 3 did not pass (a stale mapping
 * cannot fail it) or no recent check sent from the port.
 */
export const staleMappingAge = (test3: TestOutcome, earlierAgeMs: number | undefined): number | undefined =>
	test3 === 'pass' ? earlierAgeMs : undefined;

const seconds = (ms: number): string => `${Math.max(1, Math.round(ms / 1000))} s`;

export const staleTest3Note = (ageMs: number): string => english.notes.staleTest3(seconds(ageMs));

/** The report's note when Test 3 passed on ports an earlier check had just used; undefined when none did. */
export const staleReportNote = (stale: ReadonlyMap<number, number>): string | undefined => {
	if (stale.size === 0) {
		return undefined;
	}

	const ports = [...stale.keys()];
	const youngest = Math.min(...stale.values());
	const shown = describePorts(ports, 4, english.notes);
	const [age, wait] = [seconds(youngest), seconds(mappingLifetimeMs - youngest)];
	return ports.length === 1
		? english.notes.staleReportOne(shown, age, wait)
		: english.notes.staleReport(String(ports.length), shown, age, wait);
};

/** A store in memory, on the given clock: simulated networks and demos, whose ports are not the host's. */
export const memoryRecentChecks = (now: () => number): RecentCheckStore => {
	const checks: Array<{at: number; ranges: Array<[number, number]>}> = [];
	return {
		async load() {
			return Promise.resolve(checks.map(check => ({ageMs: now() - check.at, ranges: check.ranges})));
		},
		async record(ranges) {
			checks.push({at: now(), ranges});
			return Promise.resolve();
		},
	};
};
