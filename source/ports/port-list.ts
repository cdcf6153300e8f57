import {words} from '../catalog/index.js';

/** Parse "5060,9000-10999" into sorted, de-duplicated ports, or say in one line what is wrong. */
export const parsePortList = (text: string): {ok: true; ports: number[]} | {ok: false; error: string} => {
	const ports = new Set<number>();
	const items = text.split(',').map(item => item.trim());
	for (const item of items) {
		const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
		if (!match) {
			return {ok: false, error: words().cli.notAPort(item)};
		}

		const from = Number(match[1]);
		const to = match[2] === undefined ? from : Number(match[2]);
		for (const port of [from, to]) {
			if (port < 1 || port > 65_535) {
				return {ok: false, error: words().cli.portOutOfRange(port)};
			}
		}

		if (to < from) {
			return {ok: false, error: words().cli.rangeBackwards(item)};
		}

		for (let port = from; port <= to; port++) {
			ports.add(port);
		}
	}

	return {ok: true, ports: [...ports].sort((a, b) => a - b)};
};

export const DEFAULT_PORTS = '9000-10999';
