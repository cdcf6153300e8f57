import {type PortRange, groupRanges} from '../ports/ranges.js';

/** One report of a fleet, as a row of the merged table: what an MSP scans for across many PBXs. */
export interface FleetRow {
	/** The file it was read from: names the row when an older report carries no host. */
	file: string;
	host: string | null;
	publicAddress: string | null;
	/** The report's status: pass, fail, error or cancelled. */
	status: string;
	code: string;
	checkedAt: string | null;
	fwcheckVersion: string | null;
	ports: number;
	/** Ports that failed or were busy, as ranges of one verdict code each, in port order. */
	failing: Array<PortRange<string>>;
	failingPorts: number;
	/** The path verdict (edge, double-nat, cgnat, ...), when the router view ran. */
	path: string | null;
	/** Whether a SIP ALG rewrote the test message over UDP or TCP; null when not checked. */
	sipAlg: boolean | null;
	/** What this host's own firewall does to the checked ports, when the report read it. */
	hostFirewall: string | null;
}

export type ReadResult = {ok: true; row: FleetRow} | {ok: false; problem: string};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const statuses = new Set(['pass', 'fail', 'error', 'cancelled']);

/** A port counts as failing when it was checked and did not pass, or another program held it. */
const failingStatuses = new Set(['fail', 'busy']);

const sipAlg = (sip: unknown): boolean | null => {
	if (!isObject(sip)) {
		return null;
	}

	const seen = [sip.udp, sip.tcp].filter(check => isObject(check) && typeof check.alg === 'boolean') as Array<{alg: boolean}>;
	return seen.length === 0 ? null : seen.some(check => check.alg);
};

/**
 * `hostFirewall` in a few words: "blocks udp 9500-9599", "allows the checked ports", "not read",
 * or "unknown for udp 9800"; blocked ranges first, since they are what the MSP must act on.
 */
const hostFirewall = (value: unknown): string | null => {
	if (!isObject(value)) {
		return null;
	}

	if (value.checked !== true) {
		return 'not read';
	}

	const ranges = Array.isArray(value.ranges) ? value.ranges.filter(range => isObject(range)) : [];
	const tool = text(value.tool);
	const listed = (decision: string): string =>
		ranges
			.filter(range => range.decision === decision)
			.map(range => `${text(range.protocol) ?? '?'} ${text(range.ports) ?? '?'}`)
			.join(', ');
	const blocked = listed('blocked');
	const unknown = listed('unknown');
	const named = tool ? `${tool} ` : '';
	if (blocked) {
		return `${named}blocks ${blocked}`;
	}

	return unknown ? `${named}unknown for ${unknown}` : `${named}allows the checked ports`;
};

const failingRanges = (ports: unknown[]): {ranges: Array<PortRange<string>>; count: number} => {
	const failing: Array<{port: number; value: string}> = [];
	for (const port of ports) {
		if (isObject(port) && typeof port.port === 'number' && failingStatuses.has(port.status as string)) {
			failing.push({port: port.port, value: text(port.code) ?? String(port.status)});
		}
	}

	return {ranges: groupRanges(failing), count: failing.length};
};

/**
 * A report file's text to a row, or one line saying why it is not one: reports come from many
 * machines and older versions, so nothing in them is trusted and nothing here throws.
 */
export const readFleetReport = (content: string, file: string): ReadResult => {
	let document: unknown;
	try {
		document = JSON.parse(content);
	} catch {
		return {ok: false, problem: 'not JSON'};
	}

	if (!isObject(document) || !('schema' in document) || !Array.isArray(document.ports)) {
		return {ok: false, problem: 'not an fwcheck report'};
	}

	if (document.schema !== 1) {
		return {ok: false, problem: `schema ${printableValue(document.schema)} is not one this fwcheck reads (1)`};
	}

	const status = text(document.status);
	if (status === null || !statuses.has(status)) {
		return {ok: false, problem: 'not an fwcheck report (no status)'};
	}

	const {ranges, count} = failingRanges(document.ports as unknown[]);
	const path = isObject(document.path) ? text(document.path.verdict) : null;
	return {
		ok: true,
		row: {
			file,
			host: text(document.host),
			publicAddress: text(document.publicAddress),
			status,
			code: text(document.code) ?? '',
			checkedAt: text(document.checkedAt),
			fwcheckVersion: text(document.fwcheckVersion),
			ports: document.ports.length,
			failing: ranges,
			failingPorts: count,
			path,
			sipAlg: sipAlg(document.sip),
			hostFirewall: hostFirewall(document.hostFirewall),
		},
	};
};

/** A schema value as the one-line problem shows it, cut short: it came from an unknown file. */
const printableValue = (value: unknown): string => {
	const shown = JSON.stringify(value) ?? String(value);
	return shown.length > 20 ? `${shown.slice(0, 20)}…` : shown;
};

/** Which reports come first: the ones that need someone, failures before errors before the rest. */
const statusRank: Record<string, number> = {fail: 0, error: 1, cancelled: 2, pass: 3};

/** Worst first: by status, then by more failing ports, then by host (or file) name. */
export const worstFirst = (rows: FleetRow[]): FleetRow[] =>
	[...rows].sort(
		(a, b) =>
			(statusRank[a.status] ?? 0) - (statusRank[b.status] ?? 0) ||
			b.failingPorts - a.failingPorts ||
			(a.host ?? a.file).localeCompare(b.host ?? b.file),
	);

/** 1 when any report did not pass (a PBX that could not be checked is not known to be fine), else 0. */
export const fleetExitCode = (rows: FleetRow[]): 0 | 1 => (rows.every(row => row.status === 'pass') ? 0 : 1);
