// What the outbound reading of this host's firewall is asked, once the sweep is done: the ports
// whose Test 1 (a request from the port to the server) got no answer at all, and where it went.
import {splitAddressText} from '../stun/address.js';
import type {OutboundRequest} from '../system/host-firewall.js';
import type {CheckReport} from './types.js';

/** Null when every port's Test 1 was answered (or never ran): nothing to decide outbound. */
export const outboundRequest = (report: CheckReport): OutboundRequest | null => {
	// An error answer came back: the request left this host, whatever the verdict.
	const failed = report.ports.filter(result => result.test1.outcome === 'fail' && result.test1.from === null);
	if (failed.length === 0) return null;
	const server = report.server?.address ? splitAddressText(report.server.address) : undefined;
	return {
		udpPorts: failed.map(result => result.port),
		destination: server?.ip ?? null,
		destinationPort: server?.port ?? null,
		source: report.localAddress,
	};
};
