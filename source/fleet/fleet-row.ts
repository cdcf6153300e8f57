import {type PortRange, groupRanges} from '../ports/ranges.js';
import {type Messages, english} from '../catalog/index.js';

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
	/** What this host's own firewall does to the checked ports, when the report read it (English, as --json and CSV print it). */
	hostFirewall: string | null;
	/** The same, to be said in the chosen language by the text and Markdown tables. */
	firewall: FirewallSummary | null;
}

/** What a report's `hostFirewall` says about the checked ports: the worst thing first. */
export type FirewallSummary =
	{kind: 'not-read'} | {kind: 'blocks' | 'unknown'; tool: string | null; ranges: string} | {kind: 'allows'; tool: string | null};

/** Why a file is not a row of the merge. */
export type SkipReason =
	| {kind: 'not-json' | 'not-report' | 'no-status' | 'no-such-file'}
	| {kind: 'other-schema'; schema: string}
	| {kind: 'cannot-read'; code: string};

/** `problem` is the reason in English (the merge's JSON); `reason` says it in any language. */
export type ReadResult = {ok: true; row: FleetRow} | {ok: false; problem: string; reason: SkipReason};

type FleetWords = Messages['report']['fleet'];

/** A skip reason in one catalog's words. */
export const skipReasonText = (reason: SkipReason, fleet: FleetWords = english.report.fleet): string => {
	switch (reason.kind) {
		case 'not-json': {
			return fleet.notJson;
		}

		case 'not-report': {
			return fleet.notReport;
		}

		case 'no-status': {
			return fleet.noStatus;
		}

		case 'no-such-file': {
			return fleet.noSuchFile;
		}

		case 'other-schema': {
			return fleet.otherSchema(reason.schema);
		}

		case 'cannot-read': {
			return fleet.cannotRead(reason.code);
		}
	}
};

/** A file that is not a row, and why. */
export const skippedFile = (reason: SkipReason): ReadResult => ({ok: false, problem: skipReasonText(reason), reason});

/** A host firewall summary in one catalog's words: "ufw blocks udp 10010", "not read". */
export const firewallText = (summary: FirewallSummary, fleet: FleetWords = english.report.fleet): string => {
	if (summary.kind === 'not-read') {
		return fleet.firewallNotRead;
	}

	const named = summary.tool ? `${summary.tool} ` : '';
	switch (summary.kind) {
		case 'blocks': {
			return fleet.firewallBlocks(named, summary.ranges);
		}

		case 'unknown': {
			return fleet.firewallUnknown(named, summary.ranges);
		}

		case 'allows': {
			return fleet.firewallAllows(named);
		}
	}
};

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
const hostFirewall = (value: unknown): FirewallSummary | null => {
	if (!isObject(value)) {
		return null;
	}

	if (value.checked !== true) {
		return {kind: 'not-read'};
	}

	const ranges = Array.isArray(value.ranges) ? value.ranges.filter(range => isObject(range)) : [];
	const tool = text(value.tool);
	const listed = (decision: string): string =>
		ranges
			.filter(range => range.decision === decision)
			// A range decided for the requests leaving from it (Test 1 failed) says so.
			.map(range => `${text(range.protocol) ?? '?'} ${text(range.ports) ?? '?'}${range.direction === 'out' ? ' out' : ''}`)
			.join(', ');
	const blocked = listed('blocked');
	const unknown = listed('unknown');
	if (blocked) {
		return {kind: 'blocks', tool, ranges: blocked};
	}

	return unknown ? {kind: 'unknown', tool, ranges: unknown} : {kind: 'allows', tool};
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
		return skippedFile({kind: 'not-json'});
	}

	if (!isObject(document) || !('schema' in document) || !Array.isArray(document.ports)) {
		return skippedFile({kind: 'not-report'});
	}

	if (document.schema !== 1) {
		return skippedFile({kind: 'other-schema', schema: printableValue(document.schema)});
	}

	const status = text(document.status);
	if (status === null || !statuses.has(status)) {
		return skippedFile({kind: 'no-status'});
	}

	const {ranges, count} = failingRanges(document.ports as unknown[]);
	const path = isObject(document.path) ? text(document.path.verdict) : null;
	const firewall = hostFirewall(document.hostFirewall);
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
			hostFirewall: firewall && firewallText(firewall),
			firewall,
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
