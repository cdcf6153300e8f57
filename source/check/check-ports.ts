import {formatAddress} from '../stun/address.js';
import type {SocketCounters, StunSocket} from '../stun/stun-socket.js';
import {whatCancelLeft} from './cancelled-port.js';
import {busyPort, notPermittedPort} from './classify.js';
import {confirmFailures} from './confirm-failures.js';
import {type EngineEnvironment, openStunSocket} from './environment.js';
import {Pacer} from './pacer.js';
import {createPassRunner, portEvents} from './pass-runner.js';
import {tests12Admission} from './port-admission.js';
import {PortSockets} from './port-sockets.js';
import {type PassTiming, probePort} from './probe.js';
import {recentlySent, staleMappingAge, staleTest3Note, toRanges} from './recent-checks.js';
import {internText} from './intern.js';
import {runTest3Pass} from './test3-pass.js';
import type {RttEstimator} from './rtt.js';
import {sumCounts} from './report-model.js';
import type {CheckConfig, CheckReport, CheckStats, PortResult, ServerInfo, SweepEvent, TestDetail} from './types.js';

/**
 * First pass: decide in about 7 RTOs. Six sends keep a false fail under 10% loss each way rare, and
 * rechecks catch the rest. On a path shown lossless (pacer.shownLossless: the latest answered
 * requests all answered first time) three sends: at 1% loss each way a false fail is about 1 port
 * in 100,000, and failures are rechecked slowly before they stand in any case.
 */
const quickPass: PassTiming = {
	rtoFactor: 1,
	maxSends: 6,
	finalWaitFactor: 2,
	lossless: {rtoFactor: 1, maxSends: 3, finalWaitFactor: 2},
};

/**
 * Ports in flight at once unless --window says otherwise: enough to keep the pacer's fastest rate
 * busy (a port whose tests go unanswered holds its place for about 7 RTOs), few enough that a
 * range of 32000 ports does not hold 32000 sockets and transactions in memory at once (measured:
 * that doubled the peak RSS and made garbage collection most of the CPU time).
 */
const defaultWindow = 4096;

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
 * The sweep proper against one server: each port's Test 3 while it has sent nothing, then at
 * once, on the same socket, its Tests 1-2 when Test 3 passed; a failed Test 3 is rechecked before
 * it stands, and only then do those ports run Tests 1-2. Slow rechecks before failures of Tests
 * 1-2 stand, then the owners of busy ports. Throws ServerCannotChange when the server turns out
 * not to run Test 2.
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
	const window = Math.max(1, Math.min(config.window ?? defaultWindow, environment.socketBudget(), config.ports.length));
	// A period is judged once its requests have had three retransmissions' time to be answered.
	const settleMs = () => rtt.rtoMs * 3.5;
	const pacer = new Pacer({
		maxRate: config.rate,
		settleMs,
		clock,
		signal,
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
		onChangeIgnored(detail: string) {
			changeIgnored ??= detail;
			serverAbort.abort();
		},
	};
	const test3Details = new Map<number, TestDetail>();
	// Ports an earlier check sent from, lately: their Test 3 may pass through its mappings.
	const earlier = recentlySent(await environment.recentChecks.load(), config.ports);
	const stale = new Map<number, number>();
	// One socket per port from Test 3 through Tests 1-2, within the socket budget.
	const sockets = new PortSockets(
		window,
		async port => openStunSocket(environment, {port, address: config.bindAddress, family: server.address.family}),
		counters,
		environment.clock,
	);
	// What the Test 3 pass sent on with each port it sent on at once (tests12Admission): its socket, or 'busy'.
	const fromTest3 = new Map<number, StunSocket | 'busy'>();
	const released: Array<Promise<void>> = [];
	const runner = createPassRunner({
		window,
		signal,
		clock,
		...portEvents(onEvent),
		async probe(port, timing, portPacer, attempts) {
			const admission = tests12Admission({
				attempts,
				fromTest3: fromTest3.get(port),
				test3Sends: test3Details.get(port)?.sends ?? 0,
			});
			// Once: a recheck of the port starts from its own socket.
			fromTest3.delete(port);
			if (admission.turnBeforeBind) {
				await portPacer.take();
				if (signal.aborted) {
					return undefined;
				}
			}

			const {handedSocket} = admission;
			const opened = handedSocket ? {ok: true as const, socket: handedSocket} : await sockets.take(port);
			if (!opened.ok) {
				if (opened.code === 'in-use') {
					return busyPort(port, opened.detail);
				}

				if (opened.code === 'not-permitted') {
					return notPermittedPort(port, opened.detail);
				}

				throw new Error(`Cannot bind UDP port ${port}: ${opened.detail}`);
			}

			let result: PortResult | undefined;
			try {
				result = await probePort(
					opened.socket,
					port,
					timing,
					// The new key first: a spread followed by new keys gives each object a hidden class of its own.
					{pacer: portPacer, ...probeContext},
					attempts,
					test3Details.get(port),
					// The turn taken before binding pays for the first send.
					admission.turnBeforeBind,
				);
			} finally {
				await sockets.done(opened.socket);
			}

			if (!result) {
				return undefined;
			}

			const ageMs = staleMappingAge(result.test3.outcome, earlier.get(port));
			if (ageMs !== undefined) {
				stale.set(port, ageMs);
				// A new list (the empty one is shared; concat sizes it exactly), one string per distinct note.
				result.notes = result.notes.concat(internText(staleTest3Note(ageMs)));
			}

			return result;
		},
	});
	const {results} = runner;
	let test3SkippedReason: string | null = null;
	// Whether the rechecks of Tests 1-2's failures ran to the end (see whatCancelLeft).
	let failuresStood = false;
	try {
		onEvent({type: 'sweep-started', ports: config.ports});
		const outcome = await runTest3Pass({
			scope: {config, server, environment, signal, onEvent},
			pace: {rtt, pacer, timing: quickPass, settleMs, pacing},
			sockets: {window, portSockets: sockets, counters},
			handoff: {
				details: test3Details,
				async proceed(port, socket) {
					fromTest3.set(port, socket ?? 'busy');
					await runner.one(port, quickPass, 1, pacer);
				},
				stood(ports) {
					released.push(runner.run(ports, quickPass, 1, pacer));
				},
			},
		});
		// Tests 1-2 of ports whose Test 3 failure stood while the pass went on.
		await Promise.all(released);
		test3SkippedReason = outcome.skippedReason;
		// Every port not yet checked: its Test 3 failed and stands, or did not run.
		await runner.run(
			config.ports.filter(port => !results.has(port)),
			quickPass,
			1,
			pacer,
		);
		pacer.passEnded();

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
			failuresStood = !signal.aborted;
		}

		if (owners) {
			const found = await owners;
			for (const port of busy) {
				const report = found.get(port);
				const result = results.get(port);
				if (report && result) {
					const updated: PortResult = {
						...result,
						owner: report.owner,
						ownerLookup: {
							userCommand: report.userCommand,
							excerpt: report.excerpt,
							runs: report.runs,
							...(report.note === undefined ? {} : {note: report.note}),
						},
					};
					results.set(port, updated);
					onEvent({type: 'port-finished', result: updated});
				}
			}
		}
	} finally {
		// Settled first when the pass threw: nothing may still use a socket once they close.
		await Promise.allSettled(released);
		await sockets.closeParked();
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

	if (context.signal.aborted) {
		for (const port of config.ports) {
			const left = whatCancelLeft({port, result: results.get(port), test3: test3Details.get(port), failuresStood});
			if (left) {
				results.set(port, left);
			}
		}
	}

	return {results, test3SkippedReason, stale};
};
