// Everything the router view takes from the host: time, UDP sockets, HTTP to the router, the
// programs it runs (tracepath, tracert, route) and the route table. The real host is the default;
// unit tests hand it a simulated network (test/support/router-simulation.ts) so every branch runs
// without root and in virtual time. Each module asks only for the parts it uses.
import {readFile} from 'node:fs/promises';
import {type Clock, systemClock} from '../net/clock.js';
import {type UdpOpener, nodeLocalAddressToward, openNodeUdp} from '../net/udp.js';
import {type CommandRunner, isInstalled, runProgram} from '../system/run-program.js';
import {type HttpRequestOptions, type HttpResult, httpRequest} from './http-request.js';

/** One bounded HTTP exchange with a LAN device (UPnP description and SOAP); never throws. */
export type HttpRequester = (options: HttpRequestOptions) => Promise<HttpResult>;

export interface RouterEnvironment {
	clock: Clock;
	udp: UdpOpener;
	http: HttpRequester;
	/** Runs tracepath/tracert and the route command of Windows, macOS and the BSDs. */
	run: CommandRunner;
	/** Whether a program is installed ("tracert.exe" on Windows). */
	installed: (program: string) => boolean;
	platform: NodeJS.Platform;
	/** Linux's route table, as /proc/net/route shows it. */
	readRouteTable: () => Promise<string>;
	/** The local address the host would use towards `ip`; no packet is sent. */
	localAddressToward: (ip: string) => Promise<string | undefined>;
}

export const realRouterEnvironment: RouterEnvironment = {
	clock: systemClock,
	udp: openNodeUdp,
	http: httpRequest,
	run: runProgram,
	installed: isInstalled,
	platform: process.platform,
	readRouteTable: async () => readFile('/proc/net/route', 'utf8'),
	// Port 9 (discard) only names a destination: connect() on UDP picks a route, sends nothing.
	localAddressToward: async ip => (await nodeLocalAddressToward({family: 4, address: ip, port: 9})) ?? undefined,
};
