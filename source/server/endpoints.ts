import type {TransportAddress} from '../stun/index.js';

/**
 * One socket of the server. RFC 5780 needs two IPs times two ports; each socket is named by
 * whether it sits on the alternate IP and on the alternate port.
 */
export interface Endpoint extends TransportAddress {
	alternateIp: boolean;
	alternatePort: boolean;
}

export type ServerMode = 'rfc5780' | 'single-address';

export interface EndpointLayout {
	mode: ServerMode;
	endpoints: readonly Endpoint[];
}

/**
 * The sockets to bind. With an alternate IP: A:p, A:ap, B:p, B:ap. Without one, only A:p: the
 * alternate RFC 5780 needs is an address *and* port, so an extra port on the same IP could not
 * be advertised (no OTHER-ADDRESS) and no client could use it.
 */
export const planLayout = (options: {
	family: 4 | 6;
	primary: string;
	alternate: string | undefined;
	port: number;
	altPort: number;
}): EndpointLayout => {
	const {family, primary, alternate, port, altPort} = options;
	if (alternate === undefined) {
		return {mode: 'single-address', endpoints: [{family, address: primary, port, alternateIp: false, alternatePort: false}]};
	}

	return {
		mode: 'rfc5780',
		endpoints: [
			{family, address: primary, port, alternateIp: false, alternatePort: false},
			{family, address: primary, port: altPort, alternateIp: false, alternatePort: true},
			{family, address: alternate, port, alternateIp: true, alternatePort: false},
			{family, address: alternate, port: altPort, alternateIp: true, alternatePort: true},
		],
	};
};

const find = (layout: EndpointLayout, alternateIp: boolean, alternatePort: boolean): Endpoint | undefined =>
	layout.endpoints.find(endpoint => endpoint.alternateIp === alternateIp && endpoint.alternatePort === alternatePort);

/** The socket a reply leaves from (RFC 5780 §6.1, Table 1): flip the IP and/or the port of the one the request came in on. */
export const replyEndpoint = (
	layout: EndpointLayout,
	receivedOn: Endpoint,
	change: {changeIp: boolean; changePort: boolean},
): Endpoint | undefined =>
	find(layout, receivedOn.alternateIp !== change.changeIp, receivedOn.alternatePort !== change.changePort);

/** OTHER-ADDRESS / CHANGED-ADDRESS: where "change IP and port" would answer from, seen from the receiving socket. */
export const otherEndpoint = (layout: EndpointLayout, receivedOn: Endpoint): Endpoint | undefined =>
	layout.mode === 'rfc5780' ? find(layout, !receivedOn.alternateIp, !receivedOn.alternatePort) : undefined;

export const toTransportAddress = ({family, address, port}: TransportAddress): TransportAddress => ({family, address, port});
