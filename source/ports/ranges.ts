import {type Messages, words} from '../catalog/index.js';

/** Adjacent ports with the same verdict, because forwarding rules are written as ranges. */
export interface PortRange<T> {
	from: number;
	to: number;
	value: T;
}

export const groupRanges = <T>(items: Array<{port: number; value: T}>): Array<PortRange<T>> => {
	const sorted = [...items].sort((a, b) => a.port - b.port);
	const ranges: Array<PortRange<T>> = [];
	for (const {port, value} of sorted) {
		const last = ranges.at(-1);
		if (last && last.value === value && last.to === port - 1) {
			last.to = port;
		} else {
			ranges.push({from: port, to: port, value});
		}
	}

	return ranges;
};

export const formatRange = ({from, to}: {from: number; to: number}): string => (from === to ? String(from) : `${from}-${to}`);

/** "9000-10999" or "5060, 9000-9499 and 12 more ranges": the checked ports, short enough to read. */
export const describePorts = (ports: number[], limit = 5, said: Messages['notes'] = words().notes): string => {
	const ranges = groupRanges(ports.map(port => ({port, value: true}))).map(range => formatRange(range));
	return ranges.length <= limit
		? ranges.join(', ')
		: said.moreRanges(ranges.slice(0, limit).join(', '), String(ranges.length - limit));
};
