// Who holds a busy UDP port (or TCP listening port)? We only look (ss / lsof / netstat + tasklist) and report; we never stop anything.
import {
	indexByPort,
	parseLsofLine,
	splitEndpoint,
	splitLines,
	parseNetstatLine,
	parseSsLine,
	parseTasklistCsv,
	type PortIndex,
	type UdpSocketRow,
} from './port-owner-parse.js';
import {english} from '../catalog/index.js';
import {decodeConsoleOutput} from './console-code-page.js';
import {findConsoleCodePage} from './find-code-page.js';
import {type CommandRun, type Runner, defaultRunner, runCommand} from './run-command.js';

export {parseLsofUdp, parseNetstatAno, parseSsUdp, parseTasklistCsv} from './port-owner-parse.js';
export type {NetstatRow, TasklistRow, UdpSocketRow} from './port-owner-parse.js';
export type {CommandRun as OwnerCommandRun, Runner} from './run-command.js';
export {defaultRunner} from './run-command.js';

/** `name` is empty when the PID is known but its name could not be looked up. */
export interface PortOwner {
	pid: number;
	name: string;
}

export interface PortOwnerReport {
	port: number;
	owner: PortOwner | null;
	/** Every command run to find this owner, in order (the listing run is shared by all ports). */
	runs: CommandRun[];
	/** Header plus the raw lines about this port, for the drill-down pane. */
	excerpt: string;
	/** What the admin can type; two commands on Windows, one per line. */
	userCommand: string;
	/** One line on why no owner could be named, when the listing itself says (Windows only). */
	note?: string;
}

export interface FindUdpPortOwnersOptions {
	/** UDP sockets (the default), or TCP listeners (--tcp and the SIP port's TCP side). */
	protocol?: 'udp' | 'tcp';
	platform?: NodeJS.Platform;
	timeoutMs?: number;
	/** Injected so the Windows path can be tested on recorded output from any OS. */
	run?: Runner;
}

const defaultTimeoutMs = 3000;
// Each tasklist costs a process spawn on Windows: cap them, and run a few at a time.
const maxTasklistPids = 32;
const tasklistConcurrency = 4;

// -a, not -l: a UDP socket that called connect() is ESTAB, not UNCONN, so `ss -ulpn` hides it,
// yet it still holds its local port and makes our bind fail with EADDRINUSE.
// No -H: the header line is kept for the excerpt (and -H is missing from older iproute2).
const ssArgs = ['-uanp'];
// TCP: only listening sockets hold a port against our listen().
const ssTcpArgs = ['-tlnp'];
// +c 0: full command names (lsof cuts them to 9 characters by default).
const lsofArgs = ['-nP', '+c', '0', '-iUDP'];
const lsofTcpArgs = ['-nP', '+c', '0', '-iTCP', '-sTCP:LISTEN'];
// No `-p UDP`: that lists IPv4 only, and a dual-stack [::] socket (UDPv6) also blocks an IPv4 bind.
const netstatArgs = ['-ano'];

const excerptOf = (index: PortIndex<unknown>, port: number, extra: string[] = []): string =>
	[index.header, ...(index.byPort.get(port) ?? []).map(entry => entry.line), ...extra]
		.filter(line => line !== undefined && line !== '')
		.join('\n');

/** Linux (ss, else lsof) and other Unixes (lsof): one listing names pid and process directly. */
const findFromListing = async (
	ports: number[],
	run: Runner,
	timeoutMs: number,
	useSs: boolean,
	protocol: 'udp' | 'tcp',
): Promise<Map<number, PortOwnerReport>> => {
	const tcp = protocol === 'tcp';
	const runs: CommandRun[] = [];
	let index: PortIndex<UdpSocketRow>;
	// The tool to suggest: the one whose listing we used, else ss where it exists.
	let tool: 'ss' | 'lsof' = useSs ? 'ss' : 'lsof';
	const ssRun = useSs ? await runCommand(run, 'ss', tcp ? ssTcpArgs : ssArgs, timeoutMs) : undefined;
	if (ssRun) {
		runs.push(ssRun);
	}

	if (ssRun && ssRun.error === undefined) {
		index = indexByPort(ssRun.output, parseSsLine);
	} else {
		const lsofRun = await runCommand(run, 'lsof', tcp ? lsofTcpArgs : lsofArgs, timeoutMs);
		runs.push(lsofRun);
		index = indexByPort(lsofRun.output, parseLsofLine);
		if (lsofRun.error === undefined || lsofRun.output !== '') {
			tool = 'lsof';
		}
	}

	const reports = new Map<number, PortOwnerReport>();
	for (const port of ports) {
		const entries = index.byPort.get(port) ?? [];
		const row = entries.find(entry => entry.row.pid !== null)?.row;
		const owner = row && row.pid !== null ? {pid: row.pid, name: row.name ?? ''} : null;
		// Listed without a process: it belongs to another user, whose processes only root may see.
		const sudo = owner === null && entries.length > 0 ? 'sudo ' : '';
		const userCommand =
			tool === 'ss'
				? `${sudo}ss ${tcp ? '-tlnp' : '-uanp'} 'sport = :${port}'`
				: `${sudo}lsof -nP +c 0 -i${tcp ? 'TCP' : 'UDP'}:${port}${tcp ? ' -sTCP:LISTEN' : ''}`;
		reports.set(port, {port, owner, runs, excerpt: excerptOf(index, port), userCommand});
	}

	return reports;
};

// Run `task` over `items` with at most `limit` in flight; workers share one iterator.
const mapLimited = async <T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> => {
	const results: R[] = [];
	const iterator = items.entries();
	const worker = async () => {
		for (const [at, item] of iterator) {
			results[at] = await task(item);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
};

/** A netstat row of this protocol and port whose PID column is missing (Wine's netstat has none). */
const listsWithoutPid = (output: string, port: number, protocol: 'udp' | 'tcp'): boolean =>
	splitLines(output).some(line => {
		const [proto, local] = line.trim().split(/\s+/);
		return proto?.toUpperCase() === protocol.toUpperCase() && splitEndpoint(local ?? '')?.port === port;
	});

/** Whether a netstat output has any socket row at all, read or not: none means it printed something else. */
const listsSockets = (output: string): boolean => splitLines(output).some(line => /^\s*(?:TCP|UDP)\s/i.test(line));

interface OwnerFacts {
	netstatRun: CommandRun;
	/** netstat lists the port, but in rows without a PID column. */
	withoutPid: boolean;
	tasklistRun?: CommandRun;
	/** A name was read, but with no code page to decode it in. */
	nameUnreadable: boolean;
}

/** Why a port has no owner, in one line, when the commands tell; undefined when nothing lists it. */
const windowsNote = ({netstatRun, withoutPid, tasklistRun, nameUnreadable}: OwnerFacts): string | undefined => {
	if (nameUnreadable) {
		return english.notes.ownerNoCodePage;
	}

	if (netstatRun.error !== undefined) {
		return english.notes.ownerNotFound(netstatRun.error);
	}

	if (!listsSockets(netstatRun.output)) {
		return english.notes.ownerNoSocketLine;
	}

	if (withoutPid) {
		return english.notes.ownerNoPidColumn;
	}

	if (tasklistRun?.error !== undefined) {
		return english.notes.ownerNameNotFound(tasklistRun.error);
	}

	if (tasklistRun !== undefined) {
		return english.notes.ownerNoTasklistLine;
	}

	return undefined;
};

/** Windows: netstat gives only PIDs; tasklist, once per distinct PID, gives the names. */
const findOnWindows = async (
	ports: number[],
	run: Runner,
	timeoutMs: number,
	protocol: 'udp' | 'tcp',
): Promise<Map<number, PortOwnerReport>> => {
	// Both print in the console's code page; chcp (else the registry) says which. Without an
	// answer the output reads as UTF-8: ports and PIDs are ASCII, only a name may garble.
	const {codePage} = await findConsoleCodePage(run, timeoutMs);
	const decode = (bytes: Uint8Array) => decodeConsoleOutput(bytes, codePage);
	const netstatRun = await runCommand(run, 'netstat', netstatArgs, timeoutMs, decode);
	// TCP: the peer column of a listener reads 0.0.0.0:0 or [::]:0; the first row per port is enough.
	const index = indexByPort(netstatRun.output, parseNetstatLine, row => row.protocol === protocol.toUpperCase());

	const pidOf = new Map<number, number>();
	for (const port of ports) {
		const pid = index.byPort.get(port)?.[0]?.row.pid;
		if (pid !== undefined) {
			pidOf.set(port, pid);
		}
	}

	const pids = [...new Set(pidOf.values())].slice(0, maxTasklistPids);
	const lookups = await mapLimited(pids, tasklistConcurrency, async pid => {
		const tasklistRun = await runCommand(run, 'tasklist', ['/fi', `pid eq ${pid}`, '/fo', 'csv', '/nh'], timeoutMs, decode);
		const name = parseTasklistCsv(tasklistRun.output).find(task => task.pid === pid)?.name;
		return {pid, run: tasklistRun, name};
	});
	const lookupOf = new Map(lookups.map(lookup => [lookup.pid, lookup]));

	const reports = new Map<number, PortOwnerReport>();
	for (const port of ports) {
		const pid = pidOf.get(port);
		const lookup = pid === undefined ? undefined : lookupOf.get(pid);
		const tasklistLines = lookup ? lookup.run.output.split('\n') : [];
		// Outside ASCII and no code page to read it in, a name may have garbled: none beats a wrong one.
		const unreadable = codePage === undefined && lookup?.name !== undefined && /[^\u0020-\u007E]/.test(lookup.name);
		const name = unreadable ? undefined : lookup?.name;
		const note =
			name === undefined
				? windowsNote({
						netstatRun,
						withoutPid: pid === undefined && listsWithoutPid(netstatRun.output, port, protocol),
						...(lookup ? {tasklistRun: lookup.run} : {}),
						nameUnreadable: unreadable,
					})
				: undefined;
		reports.set(port, {
			port,
			owner: pid === undefined ? null : {pid, name: name ?? ''},
			runs: lookup ? [netstatRun, lookup.run] : [netstatRun],
			excerpt: excerptOf(index, port, tasklistLines),
			userCommand: `netstat -ano | findstr /I /C:":${port}"${pid === undefined ? '' : `\ntasklist /fi "pid eq ${pid}"`}`,
			...(note === undefined ? {} : {note}),
		});
	}

	return reports;
};

/**
 * Name the process holding each busy UDP port (TCP listening port with `protocol: 'tcp'`). One listing covers all ports, however many.
 * Never throws: a failed command becomes an `error` in `runs` and leaves `owner` null.
 */
export async function findUdpPortOwners(
	ports: number[],
	options: FindUdpPortOwnersOptions = {},
): Promise<Map<number, PortOwnerReport>> {
	const {platform = process.platform, timeoutMs = defaultTimeoutMs, run = defaultRunner, protocol = 'udp'} = options;
	const unique = [...new Set(ports)];
	if (unique.length === 0) {
		return new Map();
	}

	if (platform === 'win32') {
		return findOnWindows(unique, run, timeoutMs, protocol);
	}

	// ss is Linux-only; macOS and the BSDs have lsof.
	return findFromListing(unique, run, timeoutMs, platform === 'linux', protocol);
}
