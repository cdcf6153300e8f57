import {english} from '../catalog/index.js';
/**
 * Which failures get a slow recheck, and how gently: pure, so every rule is table-tested.
 *
 * A failure stands only after a slow recheck. Few failures of a kind: recheck them all. Many
 * alike (a whole closed range): recheck a spread sample, and everything of that kind if any
 * sampled verdict changes, because then the first pass was not trustworthy. While a round still
 * changes verdicts, the ports that still fail get another, gentler round (bounded).
 */

/** Failures of one kind rechecked in full up to this many; above it, a spread sample first. */
export const sampleSize = 32;
/** Rechecks, the first included, before the remaining failures stand. */
export const maxRecheckRounds = 4;
/** The first recheck round never runs faster than this, nor than --rate or the first pass's final rate. */
export const recheckRateCap = 1000;
/** Halving per round stops here. */
export const recheckRateFloor = 20;

export const firstRoundReason = english.notes.recheckFirst;
export const laterRoundReason = english.notes.recheckLater;

export interface RecheckRound {
	/** 1 for the first recheck. */
	round: number;
	ports: number[];
	reason: string;
	/** Failures of a sampled kind left out of this round: rechecked only if this round flips a verdict. */
	held: number[];
}

/** The first round, from the first pass's failures in the order they finished; undefined when nothing failed. */
export const firstRecheck = (failures: Iterable<{port: number; code: string}>): RecheckRound | undefined => {
	const byCode = new Map<string, number[]>();
	for (const {port, code} of failures) {
		const ports = byCode.get(code);
		if (ports) {
			ports.push(port);
		} else {
			byCode.set(code, [port]);
		}
	}

	const full: number[] = [];
	const samples: number[] = [];
	const held: number[] = [];
	for (const ports of byCode.values()) {
		if (ports.length <= sampleSize) {
			full.push(...ports);
		} else {
			const sample = spreadSample(ports, sampleSize);
			const picked = new Set(sample);
			samples.push(...sample);
			held.push(...ports.filter(port => !picked.has(port)));
		}
	}

	const ports = [...full, ...samples];
	return ports.length === 0 ? undefined : {round: 1, ports, reason: firstRoundReason, held};
};

/**
 * The round after `previous`, given how many verdicts it changed and which of its ports still
 * fail; undefined when the failures stand (nothing flipped, nothing left, or the last round ran).
 */
export const nextRecheck = (
	previous: RecheckRound,
	outcome: {flipped: number; stillFailing: readonly number[]},
): RecheckRound | undefined => {
	if (outcome.flipped === 0 || previous.round >= maxRecheckRounds) {
		return undefined;
	}

	const ports = [...previous.held, ...outcome.stillFailing];
	return ports.length === 0 ? undefined : {round: previous.round + 1, ports, reason: laterRoundReason, held: []};
};

/** Gentler each round: a round that changed verdicts ran into losses. */
export const recheckRate = (round: number, limits: {configRate?: number; currentRate: number}): number =>
	Math.max(
		recheckRateFloor,
		Math.min(limits.configRate ?? recheckRateCap, limits.currentRate, recheckRateCap) / 2 ** (round - 1),
	);

/** Test 3's quick pass is judged in chunks of at least this many ports... */
export const minChunk = 500;
/** ...and at most this many chunks. */
export const maxChunks = 8;

/**
 * The sweep order cut into consecutive chunks for Test 3's rechecks. Each chunk's failures are
 * rechecked (a sample of them when many fail alike) as soon as its ports have had their quick
 * Test 3, while later chunks still run theirs; once they stand, its ports go on to Tests 1-2. On
 * a closed range a port may send only after its Test 3 failure stands, so one recheck at the end
 * of the whole pass would hold every port back for its length.
 */
export const test3Chunks = (ports: readonly number[]): number[][] => {
	const size = Math.max(minChunk, Math.ceil(ports.length / maxChunks));
	const chunks: number[][] = [];
	for (let start = 0; start < ports.length; start += size) {
		chunks.push(ports.slice(start, start + size));
	}

	return chunks;
};

/** `size` ports spread evenly over `ports`, first and last included. */
export const spreadSample = (ports: readonly number[], size: number): number[] => {
	const step = (ports.length - 1) / (size - 1);
	return [...new Set(Array.from({length: size}, (_, index) => ports[Math.round(index * step)]!))];
};
