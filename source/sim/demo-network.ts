/**
 * The demo on a simulated network: a PBX behind a made-up router and a two-address STUN server,
 * all inside this process, in real time so the TUI can be watched. `--demo --faults` gives the
 * router a fault of every kind; without faults it forwards every port (the demo on a machine
 * that answers on 127.0.0.1 only, such as macOS). Nothing here sends a real packet.
 */
import {memoryRecentChecks} from '../check/recent-checks.js';
import type {EngineEnvironment} from '../check/environment.js';
import {formatRange, groupRanges} from '../ports/ranges.js';
import {words} from '../catalog/index.js';
import type {ServerSpec} from '../check/types.js';
import {type Clock, systemClock} from '../net/clock.js';
import type {UdpSocket} from '../net/udp.js';
import type {PortOwnerReport} from '../system/port-owner.js';
import {NatRouter, type PortForward, type RouterPolicy} from './nat-router.js';
import {VirtualNetwork} from './virtual-network.js';
import {tcpOf} from './virtual-tcp.js';
import {VirtualStunServer} from './virtual-stun-server.js';

/** Addresses of the made-up network: documentation and private ranges, never used on a wire. */
const publicIp = '203.0.113.1';
const pbxIp = '192.168.1.10';
const oldPbxIp = '192.168.1.50';
const serverName = 'stun.simulated.example';
/** The program the simulation says holds the busy port. */
const busyOwner = {pid: 4242, name: 'asterisk'};

export interface SimulatedDemo {
	environment: EngineEnvironment;
	servers: ServerSpec[];
	/** What the made-up router does, range by range, for the notice. */
	layout: string[];
	close(): Promise<void>;
}

interface FaultPlan {
	forwarded: number[];
	/** Forwarded, but to another LAN host: the router gives the PBX's own traffic another port. */
	translated: number[];
	/** Not forwarded, but the router lets anyone in once the port has sent (full-cone NAT). */
	fullCone: number[];
	unforwarded: number[];
	outboundBlocked: number[];
	busy: number[];
}

/**
 * How the faulty router treats the checked ports: the first half forwarded 1:1 (one of them
 * held by a process, and the last one translated), a quarter not forwarded (its first half behind
 * a full-cone NAT that lets replies in), the rest blocked on the way out. Pure, so the split is tested for any port list.
 */
export const planFaults = (ports: number[]): FaultPlan => {
	const sorted = [...new Set(ports)].sort((a, b) => a - b);
	const half = Math.ceil(sorted.length / 2);
	const quarter = Math.ceil(sorted.length / 4);
	const firstHalf = sorted.slice(0, half);
	const translated = firstHalf.length >= 3 ? [firstHalf.at(-1)!] : [];
	const busy = firstHalf.length >= 3 ? [firstHalf[1]!] : [];
	return {
		forwarded: firstHalf.filter(port => !translated.includes(port)),
		translated,
		fullCone: sorted.slice(half, half + Math.ceil(quarter / 2)),
		unforwarded: sorted.slice(half + Math.ceil(quarter / 2), half + quarter),
		outboundBlocked: sorted.slice(half + quarter),
		busy,
	};
};

const rangesOf = (ports: number[]): Array<[number, number]> =>
	groupRanges(ports.map(port => ({port, value: true}))).map(range => [range.from, range.to]);

const describe = (ports: number[]): string =>
	groupRanges(ports.map(port => ({port, value: true})))
		.map(range => formatRange(range))
		.join(', ');

const routerPolicy = (ports: number[], faults: boolean): {policy: Partial<RouterPolicy>; layout: string[]; busy: number[]} => {
	if (!faults) {
		const forwards: PortForward[] = rangesOf(ports).map(([from, to]) => ({from, to, host: pbxIp}));
		return {policy: {forwards}, layout: [words().cli.layout.allForwarded(pbxIp)], busy: []};
	}

	const plan = planFaults(ports);
	const forwards: PortForward[] = [
		...rangesOf(plan.forwarded).map(([from, to]) => ({from, to, host: pbxIp})),
		...rangesOf(plan.translated).map(([from, to]) => ({from, to, host: oldPbxIp})),
	];
	const {layout: says} = words().cli;
	const layout = [
		plan.forwarded.length > 0 && says.forwarded(describe(plan.forwarded), pbxIp),
		plan.busy.length > 0 && says.heldBy(describe(plan.busy), busyOwner.name),
		plan.translated.length > 0 && says.translated(describe(plan.translated), oldPbxIp),
		plan.fullCone.length > 0 && says.fullCone(describe(plan.fullCone)),
		plan.unforwarded.length > 0 && says.notForwarded(describe(plan.unforwarded)),
		plan.outboundBlocked.length > 0 && says.blockedOut(describe(plan.outboundBlocked)),
	].filter((text): text is string => typeof text === 'string');
	return {
		policy: {
			forwards,
			translated: rangesOf(plan.translated),
			outboundBlocked: rangesOf(plan.outboundBlocked),
			fullCone: rangesOf(plan.fullCone),
		},
		layout,
		busy: plan.busy,
	};
};

/** The owner report the simulated `ss` gives for a busy port. */
const simulatedOwner = (port: number): PortOwnerReport => {
	const line = `UNCONN 0      0        0.0.0.0:${port}      0.0.0.0:*    users:(("${busyOwner.name}",pid=${busyOwner.pid},fd=23))`;
	return {
		port,
		owner: busyOwner,
		runs: [{command: ['ss', '-uanp'], output: `(simulated)\n${line}`}],
		excerpt: `(simulated ss -uanp)\n${line}`,
		userCommand: `ss -uanp 'sport = :${port}'`,
	};
};

export const startSimulatedDemo = async (ports: number[], options: {faults: boolean; clock?: Clock}): Promise<SimulatedDemo> => {
	// Real time by default: the demo is watched. Latency as on a good internet path.
	const network = new VirtualNetwork({seed: 7, wanLatencyMs: 12, lanLatencyMs: 1}, options.clock ?? systemClock);
	const {policy, layout, busy} = routerPolicy(ports, options.faults);
	const router = network.addRouter(new NatRouter(publicIp, policy, network.random, () => network.clock.now()));
	const pbx = network.addHost('pbx', [pbxIp], router);
	network.addHost('old-pbx', [oldPbxIp], router);
	const server = await VirtualStunServer.start(network, {name: serverName, primary: '198.51.100.1', alternate: '198.51.100.2'});
	const held: UdpSocket[] = [];
	for (const port of busy) {
		const bound = await pbx.bind({port, family: 4});
		if (bound.ok) {
			held.push(bound.socket);
		}
	}

	return {
		environment: {
			clock: network.clock,
			udp: async bind => pbx.bind(bind),
			tcp: tcpOf(pbx),
			resolve: async (host, family) => network.resolve(host, family),
			localAddressToward: async () => pbxIp,
			findPortOwners: async busyPorts => new Map(busyPorts.map(port => [port, simulatedOwner(port)])),
			socketBudget: () => 4096,
			recentChecks: memoryRecentChecks(() => network.clock.now()),
		},
		servers: [{host: serverName, port: server.options.port ?? 3478}],
		layout,
		async close() {
			await Promise.all(held.map(async socket => socket.close()));
		},
	};
};
