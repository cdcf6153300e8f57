import {type PortRange, groupRanges} from '../ports/ranges.js';

/**
 * The checked ports in runs that fare alike, each with its fate. Ports between two boundaries
 * (port numbers where some rule's answer can change, sorted) fare alike, so `fateOf` runs once
 * per segment the ports touch, not once per port: a 65535-port check costs as much as the
 * ruleset has boundaries. Runs split where the fate's `keyOf` changes or a port is missing.
 */
export const fatesByRun = <Fate>(
	ports: readonly number[],
	bounds: readonly number[],
	fateOf: (port: number) => Fate,
	keyOf: (fate: Fate) => string,
): Array<{run: PortRange<string>; fate: Fate}> => {
	const sorted = [...new Set(ports)].sort((a, b) => a - b);
	const fates = new Map<string, Fate>();
	const items: Array<{port: number; value: string}> = [];
	let segment = 0;
	let segmentFate: Fate | undefined;
	for (const port of sorted) {
		let moved = false;
		while (segment + 1 < bounds.length && bounds[segment + 1]! <= port) {
			segment++;
			moved = true;
		}

		if (segmentFate === undefined || moved) {
			segmentFate = fateOf(port);
		}

		const key = keyOf(segmentFate);
		fates.set(key, segmentFate);
		items.push({port, value: key});
	}

	return groupRanges(items).map(run => ({run, fate: fates.get(run.value)!}));
};
