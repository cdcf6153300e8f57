import {setMaxListeners} from 'node:events';
import {performance} from 'node:perf_hooks';
import {formatAddress} from '../stun/address.js';
import type {SocketCounters} from '../stun/stun-socket.js';
import {socketBudget} from '../system/fd-limit.js';
import {skippedPort} from './classify.js';
import {Pacer} from './pacer.js';
import {type PassTiming, probePort} from './probe.js';
import {RttEstimator} from './rtt.js';
import {probeServer} from './server-select.js';
import {emptyStats, mostCommonIp, overallVerdict, sumCounts} from './report-model.js';
import type {CheckConfig, CheckReport, CheckStats, PortResult, ServerInfo, SweepEvent} from './types.js';
import {type CheckErrorCode, type VerdictCode, verdict} from './verdicts.js';

export interface SweepOptions {
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
}

export type SweepRunner = (config: CheckConfig, options: SweepOptions) => Promise<CheckReport>;

/** First pass: decide in about 7 RTOs. Six sends keep a false fail under 10% loss each way rare, and rechecks catch the rest. */
const quickPass: PassTiming = {rtoFactor: 1, maxSends: 6, finalWaitFactor: 2};
/** Recheck of failures: three times the patience, at a gentler rate. */
const slowPass: PassTiming = {rtoFactor: 3, maxSends: 6, finalWaitFactor: 2};
const recheckRateCap = 1000;
/** Failures of one kind rechecked in full up to this many; above it, a spread sample first. */
const sampleSize = 32;

class ServerCannotChange extends Error {}

/**
 * Check every configured port against the first server that can run both tests. Emits events
 * as it goes and always resolves with a report (cancelled, failed or passed); it never throws
 * for network conditions.
 */
export const sweep: SweepRunner = async (config, {signal, onEvent}) => {
	const started = performance.now();
	const serversTried: CheckReport['serversTried'] = [];
	const totals = {stats: emptyStats()};
	const pacing: CheckReport['pacing'] = {finalRate: null, slowdowns: [], confirmed: 0, flipped: 0};
	const finishReport = (
		report: Omit<CheckReport, 'durationMs' | 'schema' | 'serversTried' | 'stats' | 'pacing'>,
	): CheckReport => {
		const full: CheckReport = {
			schema: 1,
			serversTried,
			stats: totals.stats,
			pacing,
			...report,
			durationMs: Math.round(performance.now() - started),
		};
		onEvent({type: 'done', report: full});
		return full;
	};

	for (const spec of config.servers) {
		if (signal.aborted) {
			break;
		}

		onEvent({type: 'server-probing', host: spec.host, port: spec.port});
		const rtt = new RttEstimator();
		const probe = await probeServer(spec, {bindAddress: config.bindAddress, rtt, signal});
		if (signal.aborted) {
			break;
		}

		if (!probe.ok) {
			serversTried.push({host: spec.host, port: spec.port, code: probe.code, detail: probe.detail});
			onEvent({type: 'server-rejected', host: spec.host, port: spec.port, code: probe.code, detail: probe.detail});
			continue;
		}

		onEvent({type: 'server-ready', server: probe.server, localAddress: probe.localAddress});
		try {
			const ports = await checkPorts(config, probe.server, rtt, {signal, onEvent, totals, pacing});
			const results = config.ports.map(port => ports.get(port) ?? skippedPort(port, 'Not checked: the check was cancelled.'));
			return finishReport({
				...overallVerdict(results, signal.aborted),
				server: {
					host: probe.server.host,
					address: formatAddress(probe.server.address),
					otherAddress: formatAddress(probe.server.otherAddress),
				},
				publicAddress: mostCommonIp(results),
				localAddress: probe.localAddress,
				ports: results,
			});
		} catch (error) {
			if (!(error instanceof ServerCannotChange)) {
				throw error;
			}

			serversTried.push({host: spec.host, port: spec.port, code: 'stun-no-second-address', detail: error.message});
			onEvent({type: 'server-rejected', host: spec.host, port: spec.port, code: 'stun-no-second-address', detail: error.message});
		}
	}

	if (signal.aborted) {
		return finishReport({
			status: 'cancelled',
			code: 'cancelled',
			message: verdict('cancelled').sentence,
			server: null,
			publicAddress: null,
			localAddress: null,
			ports: config.ports.map(port => skippedPort(port, 'Not checked: the check was cancelled.')),
		});
	}

	const code = serverErrorCode(serversTried.map(tried => tried.code));
	return finishReport({
		status: 'error',
		code,
		message: `${verdict(code).sentence} ${serversTried.map(tried => tried.detail).join('; ')}.`,
		server: null,
		publicAddress: null,
		localAddress: null,
		ports: config.ports.map(port => skippedPort(port, 'Not checked: no usable STUN server.')),
	});
};

/** The most telling reason among the servers that failed: one that answered beats one that did not. */
const serverErrorCode = (codes: VerdictCode[]): CheckErrorCode => {
	if (codes.includes('stun-no-second-address')) {
		return 'stun-no-second-address';
	}

	if (codes.includes('stun-unreachable') || codes.length === 0) {
		return 'stun-unreachable';
	}

	return 'stun-unresolvable';
};

interface PassContext {
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
	totals: {stats: CheckStats};
	pacing: CheckReport['pacing'];
}

/** The sweep proper: a quick pass over every port, then slow rechecks before failures stand. */
const checkPorts = async (
	config: CheckConfig,
	server: ServerInfo,
	rtt: RttEstimator,
	context: PassContext,
): Promise<Map<number, PortResult>> => {
	const {onEvent, totals, pacing} = context;
	const serverAbort = new AbortController();
	const signal = AbortSignal.any([context.signal, serverAbort.signal]);
	// Every transaction in flight listens for the abort: thousands at once is by design.
	setMaxListeners(0, signal);
	let changeIgnored: string | undefined;
	const counters: SocketCounters = {sent: 0, garbage: 0, unknownTransaction: 0, wrongSource: 0};
	const window = Math.max(1, Math.min(config.window ?? Number.POSITIVE_INFINITY, socketBudget(), config.ports.length));
	// A period is judged once its requests have had three retransmissions' time to be answered.
	const settleMs = () => rtt.rtoMs * 3.5;
	const pacer = new Pacer({
		maxRate: config.rate,
		settleMs,
		onSlowdown(rate, reason) {
			onEvent({type: 'paced', rate, reason});
		},
	});
	const probeContext = {
		server,
		bindAddress: config.bindAddress,
		publicIp: config.publicIp,
		pacer,
		rtt,
		signal,
		counters,
		onChangeIgnored(detail: string) {
			changeIgnored ??= detail;
			serverAbort.abort();
		},
	};

	const results = new Map<number, PortResult>();
	const runPass = async (ports: number[], timing: PassTiming, attempts: number, passPacer: Pacer) => {
		let next = 0;
		const worker = async () => {
			while (next < ports.length && !signal.aborted) {
				const port = ports[next++]!;
				onEvent({type: 'port-started', port});
				const result = await probePort(port, timing, {...probeContext, pacer: passPacer}, attempts);
				if (result && !signal.aborted) {
					results.set(port, result);
					onEvent({type: 'port-finished', result});
				}
			}
		};

		await Promise.all(Array.from({length: Math.min(window, ports.length)}, worker));
	};

	try {
		onEvent({type: 'sweep-started', ports: config.ports});
		await runPass(config.ports, quickPass, 1, pacer);
		const busy = [...results.values()].filter(result => result.status === 'busy').map(result => result.port);
		// Loaded only when needed: execa alone costs a quarter of a second at start-up.
		const owners =
			busy.length > 0
				? import('../system/port-owner.js').then(async ({findUdpPortOwners}) => findUdpPortOwners(busy))
				: undefined;
		if (!signal.aborted) {
			await confirmFailures(
				results,
				async (ports, reason, round) => {
					onEvent({type: 'confirming', ports, reason});
					const before = new Map(ports.map(port => [port, results.get(port)?.code]));
					// Gentler each round: a round that changed verdicts ran into losses.
					const rate = Math.max(20, Math.min(config.rate ?? recheckRateCap, pacer.rate, recheckRateCap) / 2 ** (round - 1));
					const slowPacer = new Pacer({initialRate: rate, maxRate: rate, settleMs});
					try {
						await runPass(ports, slowPass, 2, slowPacer);
					} finally {
						slowPacer.release();
					}

					const flipped = ports.filter(port => results.get(port)?.code !== before.get(port));
					pacing.confirmed += ports.length;
					pacing.flipped += flipped.length;
					return flipped.length;
				},
				port => results.get(port)?.status === 'fail',
			);
		}

		if (owners) {
			const found = await owners;
			for (const port of busy) {
				const report = found.get(port);
				const result = results.get(port);
				if (report && result) {
					const updated: PortResult = {
						...result,
						process: report.owner,
						owner: {userCommand: report.userCommand, excerpt: report.excerpt, runs: report.runs},
					};
					results.set(port, updated);
					onEvent({type: 'port-finished', result: updated});
				}
			}
		}
	} finally {
		pacer.release();
		const {sent, ...dropped} = counters;
		totals.stats = sumCounts(totals.stats, {packetsSent: sent, dropped});
		pacing.slowdowns.push(...pacer.slowdowns);
		pacing.finalRate = pacer.slowdowns.length > 0 ? Math.round(pacer.rate) : null;
	}

	if (changeIgnored && !context.signal.aborted) {
		throw new ServerCannotChange(`${formatAddress(server.address)}: ${changeIgnored}`);
	}

	return results;
};

/** Rechecks, the first included, before the remaining failures stand. */
const maxRecheckRounds = 4;

/**
 * A failure stands only after a slow recheck. Few failures of a kind: recheck them all. Many
 * alike (a whole closed range): recheck a spread sample, and everything of that kind if any
 * sampled verdict changes, because then the first pass was not trustworthy. While a round still
 * changes verdicts, the ports that still fail get another, gentler round (bounded).
 */
const confirmFailures = async (
	results: Map<number, PortResult>,
	recheck: (ports: number[], reason: string, round: number) => Promise<number>,
	stillFailing: (port: number) => boolean,
): Promise<void> => {
	const byCode = new Map<string, number[]>();
	for (const result of results.values()) {
		if (result.status === 'fail' && result.code) {
			byCode.set(result.code, [...(byCode.get(result.code) ?? []), result.port]);
		}
	}

	const full: number[] = [];
	const sampled: Array<{code: string; sample: number[]; rest: number[]}> = [];
	for (const [code, ports] of byCode) {
		if (ports.length <= sampleSize) {
			full.push(...ports);
		} else {
			const sample = spreadSample(ports, sampleSize);
			const picked = new Set(sample);
			sampled.push({code, sample, rest: ports.filter(port => !picked.has(port))});
		}
	}

	const first = [...full, ...sampled.flatMap(group => group.sample)];
	if (first.length === 0) {
		return;
	}

	let round = 1;
	if ((await recheck(first, 'Rechecking failures slowly before they stand', round)) === 0) {
		return;
	}

	let next = [...sampled.flatMap(group => group.rest), ...first.filter(port => stillFailing(port))];
	while (next.length > 0 && round < maxRecheckRounds) {
		round++;
		const flips = await recheck(next, 'A recheck changed a verdict: rechecking every failed port, more slowly', round);
		if (flips === 0) {
			return;
		}

		next = next.filter(port => stillFailing(port));
	}
};

const spreadSample = (ports: number[], size: number): number[] => {
	const step = (ports.length - 1) / (size - 1);
	return [...new Set(Array.from({length: size}, (_, index) => ports[Math.round(index * step)]!))];
};
