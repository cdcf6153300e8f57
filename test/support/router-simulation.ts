// The router view on the simulated network: `simulateRouterView()` puts a gateway with its own
// services (virtual-gateway.ts) on the LAN of `simulate()`'s PBX, and hands the router view an
// environment of that network: its virtual clock, the PBX's UDP sockets, the gateway's HTTP, a
// route table naming the gateway, and a tracepath whose hops are the simulated path's.
import type {Clock, TimerHandle} from '../../source/net/clock.js';
import type {RouterEnvironment} from '../../source/router/router-environment.js';
import type {CommandRunner} from '../../source/system/run-program.js';
import {goodServer, pbxIp, publicIp, simulate, type SimulationOptions} from './simulation.js';
import {VirtualGateway, type VirtualGatewayOptions} from './virtual-gateway.js';

export const gatewayIp = '192.168.1.1';

/**
 * What lies beyond the home router. The simulated NAT router stands for the whole chain (the STUN
 * server sees `publicIp` whatever it is); what tells them apart is what a real one shows: the WAN
 * address the router reports and the second hop of a trace.
 */
export type Upstream = 'internet' | 'modem' | 'carrier';

const upstreams: Record<Upstream, {wanAddress: string; nextHop: string}> = {
	/** At the edge: the router holds the public address; hop 2 is the ISP's router. */
	internet: {wanAddress: publicIp, nextHop: '203.0.113.254'},
	/** Behind an ISP modem that NATs too: the router's WAN is on the modem's LAN. */
	modem: {wanAddress: '192.168.0.2', nextHop: '192.168.0.1'},
	/** Behind a carrier-grade NAT: the router's WAN is in 100.64.0.0/10. */
	carrier: {wanAddress: '100.64.0.2', nextHop: '100.64.0.1'},
};

/** A silent hop costs tracepath about this long before it prints "no reply" (measured in the lab). */
const SILENT_HOP_MS = 3000;

/**
 * tracepath on the simulated path: the lines it prints, one per hop, each at its time on the
 * virtual clock; it ends at the last hop, at the deadline, when the signal aborts or when
 * `stopWhen` is satisfied, keeping the output so far, as the real runner does.
 */
export const simulatedTracepath = (clock: Clock, path: Array<string | undefined>) => {
	const calls: string[][] = [];
	const run: CommandRunner = async (file, args, {timeoutMs, stopWhen, signal}) => {
		calls.push([file, ...args]);
		if (!args.includes('tracepath') && file !== 'tracepath') return {stdout: '', failed: true, notFound: true};
		const maxHops = Number(args[args.indexOf('-m') + 1]);
		const lines: Array<{at: number; text: string}> = [{at: 0, text: ' 1?: [LOCALHOST]                      pmtu 1500'}];
		let at = 0;
		for (const [index, hop] of path.slice(0, maxHops).entries()) {
			at += hop ? 1 : SILENT_HOP_MS;
			const text = hop ? `${hop}                                          ${index + 1}.000ms` : 'no reply';
			lines.push({at, text: `${String(index + 1).padStart(2)}:  ${text}`});
		}

		return new Promise(resolve => {
			let stdout = '';
			const timers: TimerHandle[] = [];
			const finish = (): void => {
				for (const timer of timers) clock.clearTimeout(timer);
				signal?.removeEventListener('abort', finish);
				resolve({stdout, failed: false, notFound: false});
			};

			for (const line of lines) {
				timers.push(
					clock.setTimeout(() => {
						stdout += `${line.text}\n`;
						if (stopWhen(stdout)) finish();
					}, line.at),
				);
			}

			timers.push(clock.setTimeout(finish, Math.min(timeoutMs, at)));
			signal?.addEventListener('abort', finish, {once: true});
		});
	};

	return {run, calls};
};

/** /proc/net/route with one default route through `gateway` (the kernel writes addresses little-endian). */
export const routeTableVia = (gateway: string): string => {
	const hex = gateway
		.split('.')
		.reverse()
		.map(part => Number(part).toString(16).padStart(2, '0'))
		.join('')
		.toUpperCase();
	return [
		'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
		`eth0\t00000000\t${hex}\t0003\t0\t0\t100\t00000000\t0\t0\t0`,
		'eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
		'',
	].join('\n');
};

export interface RouterSimulationOptions extends SimulationOptions {
	upstream?: Upstream;
	/** The gateway's services; its WAN address follows `upstream` unless given. */
	gateway?: Partial<VirtualGatewayOptions>;
	/** Hops of the trace that do not answer, 1 for the gateway. */
	silentHops?: number[];
}

export const simulateRouterView = async (options: RouterSimulationOptions = {}) => {
	const sim = await simulate(options);
	const upstream = upstreams[options.upstream ?? 'internet'];
	const gateway = await VirtualGateway.start(sim.addLanHost('gateway', gatewayIp), {
		wanAddress: upstream.wanAddress,
		...options.gateway,
	});
	const target = (options.servers ?? [goodServer])[0]!.primary;
	const path = [gatewayIp, upstream.nextHop, target].map((hop, index) =>
		options.silentHops?.includes(index + 1) ? undefined : hop,
	);
	const tracepath = simulatedTracepath(sim.network.clock, path);
	const environment: RouterEnvironment = {
		clock: sim.network.clock,
		udp: async bind => sim.pbx.bind(bind),
		http: gateway.http,
		run: tracepath.run,
		installed: program => program === 'tracepath' || program === 'stdbuf',
		platform: 'linux',
		readRouteTable: async () => routeTableVia(gatewayIp),
		localAddressToward: async () => pbxIp,
	};
	return {...sim, gateway, tracepath, routerEnvironment: environment, target};
};
