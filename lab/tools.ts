// Wrappers for the helper scripts in bin/ (plain JS so they start fast inside a namespace and do
// not depend on a loader): a STUN probe, a sprayer of forged replies and garbage, a port holder.
import {fileURLToPath} from 'node:url';
import {ADDR, NS} from './addresses.js';
import type {LabNs} from './addresses.js';
import {nsRun} from './netns.js';
import type {LabProcess} from './process.js';
import type {PortRange} from './scenarios.js';

export const BIN = {
	probe: fileURLToPath(new URL('bin/stun-probe.mjs', import.meta.url)),
	spray: fileURLToPath(new URL('bin/spray.mjs', import.meta.url)),
	hold: fileURLToPath(new URL('bin/hold-port.mjs', import.meta.url)),
};

export type StunAddress = {address: string; port: number};

export type ProbeAttrs = {
	'MAPPED-ADDRESS'?: StunAddress;
	'XOR-MAPPED-ADDRESS'?: StunAddress;
	'SOURCE-ADDRESS'?: StunAddress;
	'CHANGED-ADDRESS'?: StunAddress;
	'RESPONSE-ORIGIN'?: StunAddress;
	'OTHER-ADDRESS'?: StunAddress;
	'ERROR-CODE'?: {code: number; reason: string};
	SOFTWARE?: string;
	[other: string]: unknown;
};

export type ProbeResult =
	| {ok: true; from: StunAddress; local: StunAddress; rttMs: number; tries: number; type: string; attrs: ProbeAttrs}
	| {ok: false; error: string; tries: number};

export type ProbeOptions = {
	/** Namespace to send from (default atk: on the "internet", so rtr's conntrack is untouched). */
	from?: LabNs;
	/** Local address[:port] to bind (default 0.0.0.0:0). */
	bind?: string;
	/** CHANGE-REQUEST flags to send (default none: no attribute). */
	change?: 'none' | 'ip' | 'port' | 'both';
	/** RFC 3489 request: 128-bit ID, no magic cookie. */
	classic?: boolean;
	/** Per-try wait (default 500 ms) and number of sends (default 3). */
	timeoutMs?: number;
	tries?: number;
};

/** One STUN Binding transaction from inside the lab. `server` is host[:port] (default 3478). */
export async function stunProbe(server: string, options: ProbeOptions = {}): Promise<ProbeResult> {
	const timeoutMs = options.timeoutMs ?? 500;
	const tries = options.tries ?? 3;
	const args = [
		BIN.probe,
		'--server',
		server,
		'--bind',
		options.bind ?? '0.0.0.0:0',
		'--change',
		options.change ?? 'none',
		'--timeout',
		String(timeoutMs),
		'--tries',
		String(tries),
		'--classic',
		String(options.classic === true),
	];
	const result = await nsRun(NS[options.from ?? 'atk'], process.execPath, args, {
		timeoutMs: timeoutMs * tries + 5000,
		reject: false,
	});
	const line = result.stdout.trim().split('\n').pop() ?? '';
	try {
		return JSON.parse(line) as ProbeResult;
	} catch {
		return {ok: false, error: `probe failed: ${result.stderr.trim() || result.stdout.trim()}`, tries: 0};
	}
}

export type SprayKind = 'stun' | 'garbage' | 'truncated';

export type SprayOptions = {
	/** Destination ports: an inclusive range or a list. */
	ports: PortRange | readonly number[];
	/** Destination address (default the router's public address). */
	target?: string;
	/** Source port on atk (default 3478, as if from a STUN server). */
	srcPort?: number;
	/** Passes over the port list (default 1). */
	rounds?: number;
	/** Stop after this long (default 5 s, capped at 60 s). */
	durationMs?: number;
	/** Stop after this many datagrams (default 20 000, capped at 200 000). */
	maxPackets?: number;
	/** Datagrams per second (default 5000). */
	rate?: number;
	/** What to send, cycled per datagram (default all three). */
	kinds?: readonly SprayKind[];
	/** Forged replies also claim to come from here (RESPONSE-ORIGIN/SOURCE-ADDRESS), e.g. a server's alternate. */
	claimOrigin?: string;
};

export type SpraySummary = {
	sent: number;
	byKind: Record<SprayKind, number>;
	rounds: number;
	durationMs: number;
	stoppedBy: 'rounds' | 'duration' | 'maxPackets' | 'signal';
	errors: number;
};

export type SprayHandle = {
	readonly process: LabProcess;
	/** Resolves with the summary when the spray ends by itself or is stopped. */
	readonly done: Promise<SpraySummary>;
	stop(): Promise<SpraySummary>;
};

export function portList(ports: PortRange | readonly number[]): string {
	if (ports.length === 2 && ports[0] !== undefined && ports[1] !== undefined && ports[0] < ports[1]) {
		return `${ports[0]}-${ports[1]}`;
	}
	return ports.join(',');
}

export function sprayArgs(options: SprayOptions): string[] {
	const args = [
		BIN.spray,
		'--target',
		options.target ?? ADDR.publicIp,
		'--ports',
		portList(options.ports),
		'--src-port',
		String(options.srcPort ?? 3478),
		'--rounds',
		String(options.rounds ?? 1),
		'--duration',
		String(options.durationMs ?? 5000),
		'--max-packets',
		String(options.maxPackets ?? 20_000),
		'--rate',
		String(options.rate ?? 5000),
		'--kinds',
		(options.kinds ?? ['stun', 'garbage', 'truncated']).join(','),
		'--mapped',
		ADDR.publicIp,
	];
	if (options.claimOrigin) args.push('--claim-origin', options.claimOrigin);
	return args;
}

export function lastJson<T>(lines: readonly string[]): T | undefined {
	for (let i = lines.length - 1; i >= 0; i--) {
		try {
			return JSON.parse(lines[i] ?? '') as T;
		} catch {
			// not JSON; keep looking
		}
	}
	return undefined;
}

export type HoldSummary = {
	port: number;
	received: number;
	bytes: number;
	/** Datagrams that look like STUN (first two bits 0, length fits). */
	stunLike: number;
	/** Datagrams per source address. */
	sources: Record<string, number>;
};

export type HoldHandle = {
	readonly pid: number;
	readonly port: number;
	readonly process: LabProcess;
	/** Counts so far, process keeps running. */
	snapshot(): Promise<HoldSummary>;
	/** Final counts; frees the port. */
	stop(): Promise<HoldSummary>;
};
