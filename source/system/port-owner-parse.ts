// Pure parsers for the OS commands that name a UDP port's owner.
// Everything is parsed by the shape of a line, never by header words: headers are localised
// (Windows prints them in the system language) and column sets differ between tool versions.

/** One socket line from `ss` or `lsof`. `pid`/`name` are null when the tool may not see the process (not root). */
export interface UdpSocketRow {
	localAddress: string;
	port: number;
	pid: number | null;
	name: string | null;
}

export interface NetstatRow {
	protocol: 'TCP' | 'UDP';
	localAddress: string;
	port: number;
	pid: number;
}

export interface TasklistRow {
	name: string;
	pid: number;
}

export const splitLines = (output: string): string[] => output.split(/\r?\n/);

const tokensOf = (line: string): string[] => line.trim().split(/\s+/);

const isDigits = (text: string | undefined): text is string => text !== undefined && /^\d+$/.test(text);

/**
 * `address:port` → parts. The address is kept as printed (`[::]`, `*`, `0.0.0.0%lo`, `[fe80::1%12]`):
 * it is only shown to the user. Wildcard ports (`*:*`) and header words (`Address:Port`) yield null.
 */
export const splitEndpoint = (token: string): {address: string; port: number} | null => {
	const match = /^(.+):(\d{1,5})$/.exec(token);
	if (!match) {
		return null;
	}

	const port = Number(match[2]);
	return port <= 65_535 ? {address: match[1]!, port} : null;
};

/**
 * One `ss -uanp` line. Netid/State columns come and go with ss versions and flags, but none of
 * the columns before the local endpoint contains a colon, so the first `address:port` token is it
 * (the second is the peer, which must never be mistaken for the local port).
 */
export const parseSsLine = (line: string): UdpSocketRow | null => {
	let endpoint: {address: string; port: number} | null = null;
	for (const token of tokensOf(line)) {
		endpoint = splitEndpoint(token);
		if (endpoint) {
			break;
		}
	}

	if (!endpoint) {
		return null;
	}

	// `users:(("a",pid=1,fd=3),("b",pid=2,fd=3))`: several processes can share one socket; the first names it.
	const user = /\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(line);
	return {
		localAddress: endpoint.address,
		port: endpoint.port,
		pid: user ? Number(user[2]) : null,
		name: user ? user[1]! : null,
	};
};

// lsof escapes spaces and control characters in COMMAND as `\xNN`.
const unescapeLsof = (text: string): string =>
	text.replaceAll(/\\x([\da-f]{2})/gi, (_match, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));

/** One `lsof -nP +c 0 -iUDP` line: `COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME`, NODE being `UDP`. */
export const parseLsofLine = (line: string): UdpSocketRow | null => {
	const tokens = tokensOf(line);
	// The NAME column follows the protocol word: UDP, or TCP in a `-iTCP -sTCP:LISTEN` listing.
	const udpAt = Math.max(tokens.lastIndexOf('UDP'), tokens.lastIndexOf('TCP'));
	if (!isDigits(tokens[1]) || udpAt < 2) {
		return null;
	}

	// A connected socket reads `local->peer`; only the local side holds the port.
	const endpoint = splitEndpoint(tokens[udpAt + 1]?.split('->')[0] ?? '');
	if (!endpoint) {
		return null;
	}

	return {localAddress: endpoint.address, port: endpoint.port, pid: Number(tokens[1]), name: unescapeLsof(tokens[0]!)};
};

/**
 * One Windows `netstat -ano` line: `UDP  0.0.0.0:9500  *:*  4`, TCP lines adding a state.
 * The state is localised and may be anything, so the PID is taken as the last column.
 */
export const parseNetstatLine = (line: string): NetstatRow | null => {
	const tokens = tokensOf(line);
	const protocol = tokens[0]?.toUpperCase();
	const pid = tokens.at(-1);
	if ((protocol !== 'TCP' && protocol !== 'UDP') || tokens.length < 4 || !isDigits(pid)) {
		return null;
	}

	const endpoint = splitEndpoint(tokens[1]!);
	return endpoint ? {protocol, localAddress: endpoint.address, port: endpoint.port, pid: Number(pid)} : null;
};

/** One `tasklist /fo csv /nh` line: `"System","4","Services","0","152 K"` (tasklist quotes every field). */
export const parseTasklistLine = (line: string): TasklistRow | null => {
	const fields = [...line.trim().matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map(match => match[1]!.replaceAll('""', '"'));
	const [name, pid] = fields;
	// Anything else, like the localised "INFO: No tasks are running…", is not a process.
	return name !== undefined && isDigits(pid) ? {name, pid: Number(pid)} : null;
};

const parseAll = <T>(output: string, parseLine: (line: string) => T | null): T[] =>
	splitLines(output)
		.map(line => parseLine(line))
		.filter(row => row !== null);

export const parseSsUdp = (output: string): UdpSocketRow[] => parseAll(output, parseSsLine);
export const parseLsofUdp = (output: string): UdpSocketRow[] => parseAll(output, parseLsofLine);
export const parseNetstatAno = (output: string): NetstatRow[] => parseAll(output, parseNetstatLine);
export const parseTasklistCsv = (output: string): TasklistRow[] => parseAll(output, parseTasklistLine);

/** A listing cut up by local port, for owners and for per-port excerpts. */
export interface PortIndex<T> {
	/** The last non-blank line before the first socket line: the column header, whatever its language. */
	header: string | undefined;
	byPort: Map<number, Array<{line: string; row: T}>>;
}

/** Parse a listing once; `include` drops socket lines that don't count (TCP in netstat) while they still end the header. */
export const indexByPort = <T extends {port: number}>(
	output: string,
	parseLine: (line: string) => T | null,
	include: (row: T) => boolean = () => true,
): PortIndex<T> => {
	const index: PortIndex<T> = {header: undefined, byPort: new Map()};
	let inHeader = true;
	for (const rawLine of splitLines(output)) {
		const line = rawLine.trimEnd();
		const row = parseLine(line);
		if (row === null) {
			if (inHeader && line.trim() !== '') {
				index.header = line;
			}

			continue;
		}

		inHeader = false;
		if (include(row)) {
			const entries = index.byPort.get(row.port) ?? [];
			entries.push({line, row});
			index.byPort.set(row.port, entries);
		}
	}

	return index;
};
