import {type Clock, systemClock} from '../net/clock.js';
import {type Tcp, nodeTcp} from '../net/tcp.js';

/** The TCP and clock the control service acts with: the host's by default; the simulated network hands in its own. */
export interface OutgoingHost {
	tcp: Tcp;
	clock: Clock;
}

export const nodeHost: OutgoingHost = {tcp: nodeTcp, clock: systemClock};
