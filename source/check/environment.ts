import {lookup} from 'node:dns/promises';
import {type Clock, systemClock} from '../net/clock.js';
import {type Tcp, nodeTcp} from '../net/tcp.js';
import {type UdpOpener, nodeLocalAddressToward, openNodeUdp} from '../net/udp.js';
import type {TransportAddress} from '../stun/address.js';
import {type OpenResult, StunSocket} from '../stun/stun-socket.js';
import {socketBudget} from '../system/fd-limit.js';
import {fileRecentChecks} from '../system/recent-checks-file.js';
import type {RecentCheckStore} from './recent-checks.js';
import type {PortOwnerReport} from '../system/port-owner.js';
import type {HostFirewallReader} from '../system/this-host-firewall.js';

/**
 * Everything the engine takes from the host: time, UDP and TCP sockets, name resolution, routes and the
 * owners of busy ports. The sweep uses the real host unless told otherwise; the unit tests hand
 * it a simulated network (test/support/) so every branch runs without root, in virtual time.
 */
export interface EngineEnvironment {
	clock: Clock;
	udp: UdpOpener;
	/** TCP for the service checks (the SIP ALG test over TCP, the control connection, listeners). */
	tcp: Tcp;
	/** One address for a name (IPv4 first when the family is open), or undefined when it does not resolve. */
	resolve(host: string, family: 4 | 6 | undefined): Promise<{family: 4 | 6; address: string} | undefined>;
	/** This host's address toward `to` (the PBX's LAN address, for the forwarding rule). No packet is sent. */
	localAddressToward(to: TransportAddress): Promise<string | null>;
	/** Who holds each busy port; never throws. */
	findPortOwners(ports: number[]): Promise<Map<number, PortOwnerReport>>;
	/** Who listens on each busy TCP port (the service checks); none found when absent. */
	findTcpPortOwners?(ports: number[]): Promise<Map<number, PortOwnerReport>>;
	/** How many more sockets this process may open. */
	socketBudget(): number;
	/** Which ports this host's recent checks sent from (stale NAT mappings can pass Test 3). */
	recentChecks: RecentCheckStore;
	/** This host's own firewall, decided for the checked ports; absent: not read (a simulation that gives none). */
	hostFirewall?: HostFirewallReader;
}

export const realEnvironment: EngineEnvironment = {
	clock: systemClock,
	udp: openNodeUdp,
	tcp: nodeTcp,
	async resolve(host, family) {
		try {
			const answer = await lookup(host, family ? {family} : {family: 0, order: 'ipv4first'});
			return {family: answer.family === 6 ? 6 : 4, address: answer.address};
		} catch {
			return undefined;
		}
	},
	localAddressToward: nodeLocalAddressToward,
	async findPortOwners(ports) {
		// Loaded only when needed: execa alone costs a quarter of a second at start-up.
		const {findUdpPortOwners} = await import('../system/port-owner.js');
		return findUdpPortOwners(ports);
	},
	async findTcpPortOwners(ports) {
		const {findUdpPortOwners} = await import('../system/port-owner.js');
		return findUdpPortOwners(ports, {protocol: 'tcp'});
	},
	socketBudget: () => socketBudget(),
	recentChecks: fileRecentChecks(),
	async hostFirewall(request) {
		const {readThisHostFirewall} = await import('../system/this-host-firewall.js');
		return readThisHostFirewall(request);
	},
};

/** A STUN transaction socket on this environment's UDP and clock. */
export const openStunSocket = async (
	environment: EngineEnvironment,
	where: {port: number; address?: string; family: 4 | 6},
): Promise<OpenResult> => StunSocket.open({...where, udp: environment.udp, clock: environment.clock});
