import {AttributeType, decodeMessage} from '../../source/stun/index.js';
import type {simulate} from './simulation.js';

type Sim = Awaited<ReturnType<typeof simulate>>;

/**
 * Watch every datagram through the simulated router. For every checked port: the order of its
 * last Test 3 request (RESPONSE-PORT naming it) and of its own first send; and the source ports
 * the Test 3 requests left from.
 */
export const watchOrder = (sim: Sim) => {
	const firstSend = new Map<number, number>();
	const lastTest3 = new Map<number, number>();
	const test3Sources = new Set<number>();
	let order = 0;
	sim.router.policy.tap = datagram => {
		order++;
		const decoded = decodeMessage(datagram.data);
		const responsePort = decoded.ok
			? decoded.message.attributes.find(attribute => attribute.type === AttributeType.responsePort)
			: undefined;
		if (responsePort?.kind === 'other' && responsePort.value.length === 4) {
			test3Sources.add(datagram.from.port);
			lastTest3.set(responsePort.value.readUInt16BE(0), order);
		} else if (!firstSend.has(datagram.from.port)) {
			firstSend.set(datagram.from.port, order);
		}
	};

	return {firstSend, lastTest3, test3Sources};
};
