import {formatAddress} from '../stun/address.js';
import type {SocketCounters} from '../stun/stun-socket.js';
import {confirmFailures} from './confirm-failures.js';
import type {EngineEnvironment} from './environment.js';
import {Pacer} from './pacer.js';
import {createPassRunner, portEvents} from './pass-runner.js';
import {type PassTiming, probePort} from './probe.js';
import {PortQueue, SocketSlots} from './port-queue.js';
import {recentlySent, staleTest3Note, toRanges} from './recent-checks.js';
import {runTest3Pass} from './test3-pass.js';
import type {RttEstimator} from './rtt.js';
import {sumCounts} from './report-model.js';
import type {CheckConfig, CheckReport, CheckStats, PortResult, ServerInfo, SweepEvent, TestDetail} from './types.js';

/** First pass: decide in about 7 RTOs. Six sends keep a false fail under 10% loss each way rare, and rechecks catch the rest. */
const quickPass: PassTiming = {rtoFactor: 1, maxSends: 6, finalWaitFactor: 2};

/** The server answered a CHANGE-REQUEST from its primary address during the sweep: try the next one. */
export class ServerCannotChange extends Error {}

export interface PassContext {
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
	totals: {stats: CheckStats};
	pacing: CheckReport['pacing'];
	environment: EngineEnvironment;
}

export interface PortsChecked {
	results: Map<number, PortResult>;
	/** Why Test 3 did not run, or null when it did. */
	test3SkippedReason: string | null;
	/** Ports whose Test 3 passed although an earlier check sent from them lately, and how long before. */
	stale: Map<number, number>;
}

/**
 * The sweep proper against one server: Test 3 over every port while none has sent (rechecked
 * before its failures stand), then a quick pass of Tests 1-2, slow rechecks before failures
 * stand, then the owners of busy ports. Throws ServerCannotChange when the server turns out not
 * to run Test 2.
 */
export const checkPorts = async (
	config: CheckConfig,
	server: ServerInfo,
	rtt: RttEstimator,
	context: PassContext,
): Promise<PortsChecked> => {
	const {onEvent, totals, pacing, environment} = context;
	const {clock} = environment;
	const serverAbort = new AbortController();
	const signal = AbortSignal.any([context.signal, serverAbort.signal]);
	let changeIgnored: string | undefined;
	const counters: SocketCounters = {sent: 0, garbage: 0, unknownTransaction: 0, wrongSource: 0};
	const window = Math.max(
		1,
		Math.min(config.window ?? Number.POSITIVE_INFINITY, environment.socketBudget(), config.ports.length),
	);
	// A period is judged once its requests have had three retransmissions' time to be answered.
	const settleMs = () => rtt.rtoMs * 3.5;
	const pacer = new Pacer({
		maxRate: config.rate,
		settleMs,
		clock,
		onSlowdown(rate, reason) {
			onEvent({type: 'paced', rate, reason});
		},
	});
	const probeContext = {
		server,
		bindAddress: config.bindAddress,
		publicIp: config.publicIp,
		rtt,
		signal,
		counters,
		environment,
		onChangeIgnored(detail: string) {
			changeIgnored ??= detail;
			serverAbort.abort();
		},
	};
	const test3Details = new Map<number, TestDetail>();
	// Ports an earlier check sent from, lately: their Test 3 may pass through its mappings.
	const earlier = recentlySent(await environment.recentChecks.load(), config.ports);
	const stale = new Map<number, number>();
	// Test 3 and the first pass of Tests 1-2 run at once, over the same socket budget.
	const slots = new SocketSlots(window);
	const runner = createPassRunner({
		window,
		signal,
		...portEvents(onEvent),
		async probe(port, timing, portPacer, attempts) {
			const result = await slots.hold(async () =>
				probePort(port, timing, {...probeContext, pacer: portPacer}, attempts, test3Details.get(port)),
			);
			const ageMs = earlier.get(port);
			if (result?.unsolicited === 'pass' && ageMs !== undefined) {
				stale.set(port, ageMs);
				result.notes.push(staleTest3Note(ageMs));
			}

			return result;
		},
	});
	const {results} = runner;
	const queue = new PortQueue();
	const handedOn = new Set<number>();
	const closeQueue = () => {
		queue.close();
	};

	signal.addEventListener('abort', closeQueue, {once: true});
	let test3SkippedReason: string | null = null;
	try {
		onEvent({type: 'sweep-started', ports: config.ports});
		const test3 = async () => {
			const outcome = await runTest3Pass({
				config,
				server,
				rtt,
				window,
				pacer,
				timing: quickPass,
				settleMs,
				signal,
				onEvent,
				pacing,
				counters,
				environment,
				slots,
				details: test3Details,
				ready(port) {
					handedOn.add(port);
					queue.push(port);
				},
			});
			test3SkippedReason = outcome.skippedReason;
			// Every port not yet handed on: its Test 3 failed and stands, or did not run.
			for (const port of config.ports) {
				if (!handedOn.has(port)) {
					queue.push(port);
				}
			}

			queue.close();
		};

		await Promise.all([test3(), runner.runQueue(queue, quickPass, 1, pacer)]);

		const busy = [...results.values()].filter(result => result.status === 'busy').map(result => result.port);
		// Asked now, answered while the rechecks run.
		const owners = busy.length > 0 ? environment.findPortOwners(busy) : undefined;
		if (!signal.aborted) {
			await confirmFailures({
				runner,
				configRate: config.rate,
				mainPacer: pacer,
				settleMs,
				clock,
				signal,
				pacing,
				onRound(ports, reason) {
					onEvent({type: 'confirming', ports, reason});
				},
			});
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
		signal.removeEventListener('abort', closeQueue);
		const sentFrom = [...results.values()].filter(result => result.test1.sends > 0).map(result => result.port);
		if (sentFrom.length > 0) {
			await environment.recentChecks.record(toRanges(sentFrom));
		}

		pacer.release();
		const {sent, ...dropped} = counters;
		totals.stats = sumCounts(totals.stats, {packetsSent: sent, dropped});
		pacing.slowdowns.push(...pacer.slowdowns);
		pacing.finalRate = pacer.slowdowns.length > 0 ? Math.round(pacer.rate) : null;
	}

	if (changeIgnored && !context.signal.aborted) {
		throw new ServerCannotChange(`${formatAddress(server.address)}: ${changeIgnored}`);
	}

	return {results, test3SkippedReason, stale};
};
