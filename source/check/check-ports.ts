import {setMaxListeners} from 'node:events';
import {formatAddress} from '../stun/address.js';
import type {SocketCounters} from '../stun/stun-socket.js';
import {confirmFailures} from './confirm-failures.js';
import type {EngineEnvironment} from './environment.js';
import {Pacer} from './pacer.js';
import {createPassRunner} from './pass-runner.js';
import type {PassTiming} from './probe.js';
import type {RttEstimator} from './rtt.js';
import {sumCounts} from './report-model.js';
import type {CheckConfig, CheckReport, CheckStats, PortResult, ServerInfo, SweepEvent} from './types.js';

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

/**
 * The sweep proper against one server: a quick pass over every port, slow rechecks before
 * failures stand, then the owners of busy ports. Throws ServerCannotChange when the server
 * turns out not to run Test 2.
 */
export const checkPorts = async (
	config: CheckConfig,
	server: ServerInfo,
	rtt: RttEstimator,
	context: PassContext,
): Promise<Map<number, PortResult>> => {
	const {onEvent, totals, pacing, environment} = context;
	const {clock} = environment;
	const serverAbort = new AbortController();
	const signal = AbortSignal.any([context.signal, serverAbort.signal]);
	// Every transaction in flight listens for the abort: thousands at once is by design.
	setMaxListeners(0, signal);
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
	const runner = createPassRunner({
		window,
		onEvent,
		probe: {
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
		},
	});
	const {results} = runner;

	try {
		onEvent({type: 'sweep-started', ports: config.ports});
		await runner.run(config.ports, quickPass, 1, pacer);
		const busy = [...results.values()].filter(result => result.status === 'busy').map(result => result.port);
		// Asked now, answered while the rechecks run.
		const owners = busy.length > 0 ? environment.findPortOwners(busy) : undefined;
		if (!signal.aborted) {
			await confirmFailures({runner, configRate: config.rate, mainPacer: pacer, settleMs, clock, signal, onEvent, pacing});
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
