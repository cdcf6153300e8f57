import {type TransportAddress, formatAddress} from '../stun/address.js';
import {responsePortAttribute} from '../stun/attributes.js';
import {findAttribute, type StunMessage} from '../stun/message.js';
import {StunSocket, fromAddress} from '../stun/stun-socket.js';
import {newTransactionId} from '../stun/transaction-id.js';
import {mappedAddressOf} from './classify.js';
import {type EngineEnvironment, openStunSocket} from './environment.js';
import type {RttEstimator} from './rtt.js';
import type {ResponsePortSupport} from './types.js';

/**
 * Does the server honour RESPONSE-PORT? Asked without relying on any forward: a helper socket
 * first sends its own Binding request, which opens a mapping for it (a reply from the primary
 * address always gets back through it); then `control` asks, with RESPONSE-PORT set to the
 * helper's mapped port and no CHANGE-REQUEST, for the answer to go there. An answer on the helper
 * means support. An answer (or an error) on `control`, or silence (stund drops such requests),
 * means the server cannot run Test 3.
 */
export const probeResponsePort = async (
	control: StunSocket,
	address: TransportAddress,
	options: {bindAddress?: string; rtt: RttEstimator; signal: AbortSignal; environment: EngineEnvironment},
): Promise<ResponsePortSupport> => {
	const {environment, rtt} = options;
	const opened = await openStunSocket(environment, {port: 0, address: options.bindAddress, family: address.family});
	if (!opened.ok) {
		return {supported: false, detail: `cannot open a second UDP socket to ask: ${opened.detail}`};
	}

	const helper = opened.socket;
	// Patient enough for a few losses; short enough that a silent server costs well under a second.
	const waitAfter = () => Math.max(60, 4 * (rtt.srttMs ?? 50));
	try {
		const binding = await helper.request({
			to: address,
			accept: fromAddress(address),
			maxSends: 5,
			waitAfter,
			signal: options.signal,
		});
		const mapped = binding.ok ? mappedAddressOf(binding.response) : undefined;
		if (!mapped) {
			return {
				supported: false,
				detail: `${formatAddress(address)} did not answer a second socket, so RESPONSE-PORT could not be tried`,
			};
		}

		const transactionId = newTransactionId();
		const stop = new AbortController();
		let atControl: StunMessage | undefined;
		control.onUnmatched = message => {
			if (message.transactionId.equals(transactionId)) {
				atControl = message;
				stop.abort();
			}
		};

		const asked = await helper.request({
			to: address,
			sendVia: control,
			transactionId,
			attributes: [responsePortAttribute(mapped.port)],
			accept: fromAddress(address),
			maxSends: 5,
			waitAfter,
			signal: AbortSignal.any([options.signal, stop.signal]),
		});
		control.onUnmatched = undefined;
		if (asked.ok && asked.response.messageClass === 'success') {
			return {supported: true};
		}

		const error = asked.ok ? asked.response : atControl?.messageClass === 'error' ? atControl : undefined;
		if (error) {
			return {
				supported: false,
				detail: `${formatAddress(address)} refused RESPONSE-PORT with error ${findAttribute(error, 'error-code')?.code ?? '?'}`,
			};
		}

		if (atControl) {
			return {supported: false, detail: `${formatAddress(address)} ignores RESPONSE-PORT: it answered at the source port`};
		}

		return {
			supported: false,
			detail: `${formatAddress(address)} did not answer ${asked.sends} requests carrying RESPONSE-PORT (it drops them)`,
		};
	} finally {
		await helper.close();
	}
};
