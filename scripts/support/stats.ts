// Summaries of repeated measurements.

/** The middle value (the mean of the two middle ones for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
	const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The value below which a fraction q of the values fall (nearest rank); NaN when empty. */
export function percentile(values: readonly number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export const definedNumbers = (values: ReadonlyArray<number | undefined>): number[] =>
	values.filter((v): v is number => v !== undefined);

/** "3 runs", "1 run". */
export const runsText = (runs: number): string => `${runs} run${runs === 1 ? '' : 's'}`;
