import type {TransportAddress} from '../stun/address.js';

/** One UDP datagram on the simulated network: what hosts send and routers translate. */
export interface Datagram {
	from: TransportAddress;
	to: TransportAddress;
	data: Buffer;
}
