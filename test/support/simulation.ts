// The one entry point of the simulated network for engine tests: `simulate()` builds a PBX behind
// a NAT router and STUN servers on the internet, all in virtual time, and runs the real sweep on it.
import type {EngineEnvironment} from '../../source/check/environment.js';
import {memoryRecentChecks} from '../../source/check/recent-checks.js';
import {sweep} from '../../source/check/sweep.js';
import type {CheckConfig, CheckReport, SweepEvent} from '../../source/check/types.js';
import type {PortOwnerReport} from '../../source/system/port-owner.js';
import {NatRouter, type RouterPolicy} from '../../source/sim/nat-router.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';
import {VirtualNetwork, type VirtualHost} from '../../source/sim/virtual-network.js';
import type {TcpConnection} from '../../source/net/tcp.js';
import {
	type VirtualServices,
	type VirtualServicesOptions,
	startVirtualServices,
} from '../../source/sim/virtual-fwcheck-services.js';
import {tcpOf} from '../../source/sim/virtual-tcp.js';
import {VirtualStunServer, type VirtualStunServerOptions} from '../../source/sim/virtual-stun-server.js';

export const publicIp = '203.0.113.1';
export const pbxIp = '192.168.1.10';

/** A good RFC 5780 server: the default when a test names none. */
export const goodServer: VirtualStunServerOptions = {name: 'stun.test', primary: '198.51.100.1', alternate: '198.51.100.2'};

export interface SimulationOptions {
	seed?: number;
	router?: Partial<RouterPolicy>;
	servers?: VirtualStunServerOptions[];
	/** The busy-port owner lookup; by default it finds nobody. */
	findPortOwners?: EngineEnvironment['findPortOwners'];
	socketBudget?: number;
	/** Ports below this one refuse to bind as they do for a user without root (EACCES); none by default. */
	privilegedBelow?: number;
	/** Run fwcheck serve's services (SIP echo, control) on the first server's host, at these ports. */
	services?: Omit<VirtualServicesOptions, 'primary' | 'alternate'>;
	/** How far virtual time may run before the clock calls it a runaway loop; default an hour. */
	clockLimitMs?: number;
}

export interface Run {
	report: CheckReport;
	events: SweepEvent[];
}

/**
 * A PBX host behind one NAT router, and STUN servers on the internet, in virtual time. `run`
 * sweeps from the PBX and returns the report with every event, in order.
 */
export const simulate = async (options: SimulationOptions = {}) => {
	const network = new VirtualNetwork(
		{seed: options.seed},
		options.clockLimitMs === undefined ? undefined : new VirtualClock({maxMs: options.clockLimitMs, maxTimers: 5_000_000}),
	);
	const router = network.addRouter(new NatRouter(publicIp, options.router ?? {}, network.random, () => network.clock.now()));
	const pbx = network.addHost('pbx', [pbxIp], router);
	const servers: VirtualStunServer[] = [];
	for (const server of options.servers ?? [goodServer]) {
		servers.push(await VirtualStunServer.start(network, server));
	}

	const first = servers[0];
	let services: VirtualServices | undefined;
	if (options.services && first?.options.alternate) {
		services = await startVirtualServices(first.host, {
			...options.services,
			primary: first.options.primary,
			alternate: first.options.alternate,
		});
		first.offerServices(services.offer);
	}

	const environment: EngineEnvironment = {
		clock: network.clock,
		udp: async bind =>
			bind.port > 0 && bind.port < (options.privilegedBelow ?? 0)
				? {ok: false, code: 'not-permitted', detail: `bind EACCES ${bind.address ?? '0.0.0.0'}:${bind.port}`}
				: pbx.bind(bind),
		tcp: tcpOf(pbx),
		resolve: async (host, family) => network.resolve(host, family),
		localAddressToward: async () => pbxIp,
		findPortOwners: options.findPortOwners ?? (async () => new Map<number, PortOwnerReport>()),
		socketBudget: () => options.socketBudget ?? 1000,
		// One history per simulation: a second `run` sees the first one's ports.
		recentChecks: memoryRecentChecks(() => network.clock.now()),
	};

	const run = async (
		config: Partial<CheckConfig> & Pick<CheckConfig, 'ports'>,
		control: {signal?: AbortSignal; onEvent?: (event: SweepEvent) => void} = {},
	): Promise<Run> => {
		const events: SweepEvent[] = [];
		const report = await sweep(
			{servers: servers.map(server => ({host: server.options.name, port: server.options.port ?? 3478})), ...config},
			{
				signal: control.signal ?? new AbortController().signal,
				environment,
				onEvent(event) {
					events.push(event);
					control.onEvent?.(event);
				},
			},
		);
		return {report, events};
	};

	const ownSockets = new Set<unknown>();
	/** Sockets the engine left open on the PBX (other hosts, and ports held with holdPort, are the test's own). */
	const leftOpen = (): string[] => [...pbx.sockets].filter(socket => !ownSockets.has(socket)).map(String);
	/** Hold a port on the PBX, as another program would. */
	const holdPort = async (port: number) => {
		const bound = await pbx.bind({port, family: 4});
		if (!bound.ok) {
			throw new Error(bound.detail);
		}

		ownSockets.add(bound.socket);
		return bound.socket;
	};

	const addLanHost = (name: string, ip: string): VirtualHost => network.addHost(name, [ip], router);

	const ownTcp = new Set<string>();
	/** TCP listeners and connections the engine left open on the PBX (holdTcpPort's are the test's own). */
	const leftOpenTcp = (): string[] =>
		tcpOf(pbx)
			.open()
			.filter(entry => !ownTcp.has(entry));
	/** Listen on a TCP port of the PBX, as another program would; `onConnection` serves what connects. */
	const holdTcpPort = async (port: number, onConnection: (connection: TcpConnection) => void = () => undefined) => {
		const listened = await tcpOf(pbx).listen({port, family: 4}, onConnection);
		if (!listened.ok) {
			throw new Error(listened.detail);
		}

		ownTcp.add(`pbx tcp listen 0.0.0.0:${port}`);
		return listened.listener;
	};

	return {network, router, pbx, servers, services, environment, run, leftOpen, leftOpenTcp, holdPort, holdTcpPort, addLanHost};
};

export const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, index) => from + index);

/** The ports of `report` with verdict `code`. */
export const portsWith = (report: CheckReport, code: string): number[] =>
	report.ports.filter(port => port.code === code).map(port => port.port);
