import {responsePortAttribute} from '../stun/attributes.js';
import {type StunSocket, fromIp} from '../stun/stun-socket.js';
import {newTransactionId} from '../stun/transaction-id.js';
import {testDetail} from './classify.js';
import type {Pacer} from './pacer.js';
import {type PassTiming, scheduled} from './probe.js';
import type {RttEstimator} from './rtt.js';
import type {ServerInfo, TestDetail} from './types.js';

/** One port's Test 3 in one pass: what the recheck plan needs, and the detail the report keeps. */
export interface Test3Result {
	port: number;
	status: 'pass' | 'fail' | 'busy' | 'skipped';
	/** Only for grouping failures in the recheck plan: the port's verdict comes later. */
	code: 'ok' | 'mapping-only' | 'port-in-use' | 'port-not-permitted';
	detail: TestDetail;
}

export interface Test3Context {
	server: ServerInfo;
	/** The one socket every Test 3 request leaves from; never a checked port. */
	control: StunSocket;
	/** Hex transaction IDs of every Test 3 request sent, so a reply that comes back to `control` is recognised. */
	sent: Set<string>;
	rtt: RttEstimator;
	signal: AbortSignal;
}

/**
 * Test 3 of one port that has sent nothing: its socket, bound, stays silent while the control socket
 * asks the server for an answer from its second IP, sent to this host's public IP at this port
 * (CHANGE-REQUEST + RESPONSE-PORT). Only a static forward (or DMZ) lets that answer in. It
 * counts with the right transaction ID, from the second IP, arriving on this port.
 */
export const probeUnsolicited = async (
	socket: StunSocket,
	port: number,
	timing: PassTiming,
	pacer: Pacer,
	attempts: number,
	context: Test3Context,
	/** The caller took the port's first turn from the pacer before binding it (PortStart). */
	admitted = false,
): Promise<Test3Result | undefined> => {
	const {server, rtt, signal} = context;
	const transactionId = newTransactionId();
	context.sent.add(transactionId.toString('hex'));
	const result = await socket.request(
		scheduled(
			{
				to: server.address,
				sendVia: context.control,
				transactionId,
				// Change the IP only: the answer comes from the second IP at the primary port, a source
				// neither Test 1 (primary IP and port) nor Test 2 (second IP, second port) uses. On a
				// Linux router a failed Test 3 leaves an unreplied conntrack entry for its 5-tuple for
				// 30 s; sharing Test 2's tuple, it would swallow Test 2's answer.
				attributes: [{kind: 'change-request', changeIp: true, changePort: false}, responsePortAttribute(port)],
				accept: fromIp(server.otherAddress.address),
				signal,
				onLateAnswer(sendTimes) {
					pacer.delayed(sendTimes);
				},
			},
			timing,
			pacer,
			rtt,
			// A port's Test 3 is its first request; a recheck of it has started already.
			{started: attempts > 1, admitted},
		),
	);
	if (signal.aborted) {
		return undefined;
	}

	if (result.ok) {
		// Answered requests tell the pacer about loss, as Test 1's do.
		pacer.answered(result.sendTimes);
		if (result.sends === 1) {
			rtt.sample(result.rttMs);
		}
	}

	const detail = testDetail(result, attempts);
	return {
		port,
		status: detail.outcome === 'pass' ? 'pass' : 'fail',
		code: detail.outcome === 'pass' ? 'ok' : 'mapping-only',
		detail,
	};
};
