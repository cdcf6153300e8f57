import type {TransportAddress} from '../stun/address.js';
import {fromAddress, fromIp, type RequestResult, type SocketCounters} from '../stun/stun-socket.js';
import {busyPort, classifyPort} from './classify.js';
import {type EngineEnvironment, openStunSocket} from './environment.js';
import {sumCounts} from './report-model.js';
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
}

export interface ProbeContext {
	server: ServerInfo;
	bindAddress?: string;
	publicIp?: string;
	pacer: Pacer;
	rtt: RttEstimator;
	signal: AbortSignal;
	counters: SocketCounters;
	environment: EngineEnvironment;
	/** Called when the server answers a CHANGE-REQUEST from its primary address: it cannot run Test 2. */
	onChangeIgnored: (detail: string) => void;
}

/**
 * Check one local port: bind it, Test 1 (Binding to the primary address), then Test 2
 * (CHANGE-REQUEST, answered only from the second IP) from the same socket. `test3` is the
 * port's Test 3, run before it ever sent (test3-probe.ts). Returns undefined when cancelled
 * part way, so a half-run port is never reported as a verdict.
 */
export const probePort = async (
	port: number,
	timing: PassTiming,
	context: ProbeContext,
	attempts: number,
	test3?: TestDetail,
): Promise<PortResult | undefined> => {
	const {environment} = context;
	const opened = await openStunSocket(environment, {port, address: context.bindAddress, family: context.server.address.family});
	if (!opened.ok) {
		if (opened.code === 'in-use') {
			return busyPort(port, opened.detail);
		}

		throw new Error(`Cannot bind UDP port ${port}: ${opened.detail}`);
	}

	const {socket} = opened;
	try {
		const {server, rtt, pacer, signal} = context;
		// Only a port's very first packet waits behind the others; the rest finish what is started
		// (a port whose Test 3 was sent has started already).
		let firstSend = test3 === undefined || test3.sends === 0;
		const plan = (to: TransportAddress) => ({
			to,
			signal,
			maxSends: timing.maxSends,
			waitAfter: (index: number) => rtt.rtoMs * (index === timing.maxSends - 1 ? timing.finalWaitFactor : timing.rtoFactor),
			async beforeSend() {
				const urgent = !firstSend;
				firstSend = false;
				return pacer.take(urgent);
			},
		});

		const test1 = await socket.request({...plan(server.address), accept: fromAddress(server.address)});
		if (signal.aborted) {
			return undefined;
		}

		noteAnswer(test1, context, true);
		let test2: RequestResult | undefined;
		if (test1.ok) {
			test2 = await socket.request({
				...plan(server.address),
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
	} finally {
		Object.assign(context.counters, sumCounts(context.counters, socket.counters));
		await socket.close();
	}
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
