import {fromAddress, fromIp, type RequestPlan, type RequestResult, type StunSocket} from '../stun/stun-socket.js';
import {classifyPort} from './classify.js';
import type {Pacer} from './pacer.js';
import type {RttEstimator} from './rtt.js';
import type {PortResult, ServerInfo, TestDetail} from './types.js';

/** How patient one pass is: the first sweep is quick, rechecks are slow and patient. */
export interface PassTiming {
	/** The wait after each send, as a multiple of the current RTO. */
	rtoFactor: number;
	maxSends: number;
	/** Extra wait after the last send, as a multiple of the RTO. */
	finalWaitFactor: number;
	/**
	 * Used instead when the pacer has shown the path lossless by the time of a test's first send:
	 * fewer retransmissions (only for the first pass: its failures are rechecked slowly before they stand).
	 */
	lossless?: Omit<PassTiming, 'lossless'>;
}

/** Where a port stands with the pacer: whether its first packet went (or was let through before its socket was bound). */
export interface PortStart {
	/** Its first packet has gone: only that one waits behind other ports' sends; the rest finish what is started. */
	started: boolean;
	/**
	 * Its first packet's turn was taken before its socket was bound, so a port waiting for its turn
	 * holds no socket and no transaction (a large range would otherwise hold thousands in memory).
	 */
	admitted?: boolean;
}

/**
 * `request` with one test's send schedule: its timing (the lossless one when the path was shown
 * lossless by the time of its first send) and the pacer's gate before every send (see PortStart).
 */
export const scheduled = (
	request: Omit<RequestPlan, 'maxSends' | 'waitAfter' | 'beforeSend'>,
	timing: PassTiming,
	pacer: Pacer,
	rtt: RttEstimator,
	port: PortStart,
): RequestPlan => {
	let chosen: Omit<PassTiming, 'lossless'> | undefined;
	const current = () => chosen ?? timing;
	// The request's fields last and maxSends a plain field set by the first send, not a getter: V8
	// (Node 20) gives an object with a getter made per call, or with keys added after a spread,
	// a hidden class of its own, about 1 KB per request kept by the GC until the next full collection.
	const plan: RequestPlan = {
		// Read before every send: the choice made at the first send holds.
		maxSends: timing.maxSends,
		waitAfter: (index: number) =>
			rtt.rtoMs * (index === current().maxSends - 1 ? current().finalWaitFactor : current().rtoFactor),
		async beforeSend() {
			if (port.admitted) {
				port.admitted = false;
			} else {
				await pacer.take(port.started);
			}

			port.started = true;
			chosen ??= timing.lossless && pacer.shownLossless ? timing.lossless : timing;
			plan.maxSends = chosen.maxSends;
		},
		...request,
	};
	return plan;
};

export interface ProbeContext {
	server: ServerInfo;
	bindAddress?: string;
	publicIp?: string;
	pacer: Pacer;
	rtt: RttEstimator;
	signal: AbortSignal;
	/** Called when the server answers a CHANGE-REQUEST from its primary address: it cannot run Test 2. */
	onChangeIgnored: (detail: string) => void;
}

/**
 * Check one local port on its bound socket: Test 1 (Binding to the primary address), then Test 2
 * (CHANGE-REQUEST, answered only from the second IP). `test3` is the port's Test 3, run before it
 * ever sent (test3-probe.ts), possibly on this same socket. Returns undefined when cancelled part
 * way, so a half-run port is never reported as a verdict. The caller closes the socket;
 * `admitted` when it took the port's first turn from the pacer before binding it.
 */
export const probePort = async (
	socket: StunSocket,
	port: number,
	timing: PassTiming,
	context: ProbeContext,
	attempts: number,
	test3?: TestDetail,
	admitted = false,
): Promise<PortResult | undefined> => {
	const {server, rtt, pacer, signal} = context;
	// A port whose Test 3 was sent has started already.
	const started: PortStart = {started: test3 !== undefined && test3.sends > 0, admitted};
	// Both tests share the port's schedule: its timing, the pacer and where it stands with it.
	const request = async (plan: Parameters<typeof scheduled>[0]) => socket.request(scheduled(plan, timing, pacer, rtt, started));
	const test1 = await request({
		to: server.address,
		signal,
		accept: fromAddress(server.address),
		// Test 1's answers tell the pacer about loss (noteAnswer); a second answer takes one back.
		onLateAnswer(sendTimes) {
			pacer.delayed(sendTimes);
		},
	});
	if (signal.aborted) {
		return undefined;
	}

	noteAnswer(test1, context, true);
	let test2: RequestResult | undefined;
	if (test1.ok) {
		test2 = await request({
			to: server.address,
			signal,
			attributes: [{kind: 'change-request', changeIp: true, changePort: true}],
			accept: fromIp(server.otherAddress.address),
		});
		if (signal.aborted) {
			return undefined;
		}

		noteAnswer(test2, context, false);
		const fromPrimary = test2.wrongSource.find(({from}) => fromIp(server.address.address)(from));
		if (fromPrimary) {
			context.onChangeIgnored(
				fromPrimary.message.messageClass === 'error'
					? 'it refused CHANGE-REQUEST with an error'
					: 'it answered CHANGE-REQUEST from its primary address',
			);
		}
	}

	return classifyPort({port, test1, test2, test3, publicIp: context.publicIp, attempts});
};

const noteAnswer = (result: RequestResult, context: ProbeContext, primary: boolean): void => {
	if (!result.ok) {
		return;
	}

	// Karn's rule: a retransmitted request's RTT is ambiguous.
	if (result.sends === 1) {
		context.rtt.sample(result.rttMs);
	}

	if (primary) {
		context.pacer.answered(result.sendTimes);
	}
};
