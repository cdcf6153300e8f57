import {isIP} from 'node:net';
import type {BindResult, UdpSocket} from '../net/udp.js';
import type {TransportAddress} from '../stun/address.js';
import type {Datagram} from './datagram.js';
import type {NatRouter} from './nat-router.js';
import {seededRandom} from './random.js';
import type {Clock} from '../net/clock.js';
import {VirtualClock} from './virtual-clock.js';

const wildcard = '0.0.0.0';
const firstEphemeral = 32_768;
const lastEphemeral = 60_999;

/** A socket on a virtual host: what the engine's UdpSocket asks for, plus its owner for the test's bookkeeping. */
export class VirtualSocket implements UdpSocket {
	closed = false;
	#listener: ((data: Buffer, from: TransportAddress) => void) | undefined;

	constructor(
		readonly host: VirtualHost,
		readonly address: string,
		readonly port: number,
	) {}

	local(): TransportAddress {
		return {family: 4, address: this.address, port: this.port};
	}

	send(data: Uint8Array, to: TransportAddress, onError: (error: Error) => void): void {
		if (this.closed) {
			onError(new Error('send on a closed socket'));
			return;
		}

		const from = {family: 4 as const, address: this.address === wildcard ? this.host.ips[0]! : this.address, port: this.port};
		this.host.network.transmit({from, to, data: Buffer.from(data)});
	}

	onMessage(listener: (data: Buffer, from: TransportAddress) => void): void {
		this.#listener = listener;
	}

	async close(): Promise<void> {
		if (!this.closed) {
			this.closed = true;
			this.host.release(this);
		}
	}

	deliver(datagram: Datagram): void {
		this.#listener?.(datagram.data, datagram.from);
	}

	toString(): string {
		return `${this.host.name} ${this.address}:${this.port}`;
	}
}

/** A machine with one or more IPv4 addresses, on the internet or behind a NAT router. */
export class VirtualHost {
	readonly sockets = new Set<VirtualSocket>();
	readonly #byPort = new Map<number, VirtualSocket[]>();
	#nextEphemeral = firstEphemeral;

	constructor(
		readonly network: VirtualNetwork<Clock>,
		readonly name: string,
		readonly ips: string[],
		/** The router it sits behind; undefined for a host on the internet side. */
		readonly router: NatRouter | undefined,
	) {}

	/** Bind like the kernel: a port is in use when a socket holds it on the same or the wildcard address. */
	async bind(options: {port: number; address?: string; family: 4 | 6}): Promise<BindResult> {
		const address = options.address ?? wildcard;
		if (options.family !== 4 || (address !== wildcard && !this.ips.includes(address))) {
			return {ok: false, code: 'no-such-address', detail: `bind EADDRNOTAVAIL ${address}:${options.port}`};
		}

		const port = options.port === 0 ? this.#ephemeral(address) : options.port;
		if (port === undefined || this.#holder(address, port)) {
			return {ok: false, code: 'in-use', detail: `bind EADDRINUSE ${address}:${options.port}`};
		}

		const socket = new VirtualSocket(this, address, port);
		this.sockets.add(socket);
		this.#byPort.set(port, [...(this.#byPort.get(port) ?? []), socket]);
		return {ok: true, socket};
	}

	release(socket: VirtualSocket): void {
		this.sockets.delete(socket);
		const left = this.#byPort.get(socket.port)?.filter(each => each !== socket) ?? [];
		if (left.length > 0) {
			this.#byPort.set(socket.port, left);
		} else {
			this.#byPort.delete(socket.port);
		}
	}

	/** The socket a datagram to `ip:port` reaches, if any. */
	socketFor(ip: string, port: number): VirtualSocket | undefined {
		const bound = this.#byPort.get(port) ?? [];
		return bound.find(socket => socket.address === ip) ?? bound.find(socket => socket.address === wildcard);
	}

	#holder(address: string, port: number): VirtualSocket | undefined {
		return this.#byPort
			.get(port)
			?.find(socket => socket.address === address || socket.address === wildcard || address === wildcard);
	}

	#ephemeral(address: string): number | undefined {
		for (let tries = 0; tries <= lastEphemeral - firstEphemeral; tries++) {
			const port = this.#nextEphemeral;
			this.#nextEphemeral = port === lastEphemeral ? firstEphemeral : port + 1;
			if (!this.#holder(address, port)) {
				return port;
			}
		}

		return undefined;
	}
}

export interface NetworkOptions {
	/** Seeds every random choice: losses, randomised NAT ports. */
	seed?: number;
	/** One way across the internet (through a router). */
	wanLatencyMs?: number;
	/** One way between hosts behind the same router. */
	lanLatencyMs?: number;
}

/**
 * An in-process IPv4 network in virtual time: hosts, NAT routers between a LAN and the
 * internet, and names. Datagrams take a fixed latency; routers may translate, filter, lose or
 * rate-limit them on the way. Nothing here touches a real socket.
 */
export class VirtualNetwork<C extends Clock = VirtualClock> {
	readonly clock: C;
	readonly random: () => number;
	readonly wanLatencyMs: number;
	readonly lanLatencyMs: number;
	readonly hosts: VirtualHost[] = [];
	readonly routers: NatRouter[] = [];
	readonly names = new Map<string, string>();
	/** Datagrams that reached an address nobody listens on. */
	undeliverable = 0;
	readonly #byIp = new Map<string, VirtualHost>();

	/**
	 * @param clock Virtual time by default (tests); the demo passes the real clock, so a simulated
	 * router can be watched at human speed.
	 */
	constructor(options: NetworkOptions = {}, clock?: C) {
		this.clock = clock ?? (new VirtualClock() as Clock as C);
		this.random = seededRandom(options.seed ?? 1);
		this.wanLatencyMs = options.wanLatencyMs ?? 10;
		this.lanLatencyMs = options.lanLatencyMs ?? 1;
	}

	addHost(name: string, ips: string[], router?: NatRouter): VirtualHost {
		const host = new VirtualHost(this, name, ips, router);
		for (const ip of ips) {
			if (this.#byIp.has(ip) || this.routers.some(each => each.publicIp === ip)) {
				throw new Error(`address ${ip} is taken`);
			}

			this.#byIp.set(ip, host);
		}

		this.hosts.push(host);
		return host;
	}

	addRouter(router: NatRouter): NatRouter {
		this.routers.push(router);
		return router;
	}

	/** Every socket still open, on every host except `except` (servers keep theirs). */
	openSockets(except: VirtualHost[] = []): string[] {
		return this.hosts.filter(host => !except.includes(host)).flatMap(host => [...host.sockets].map(String));
	}

	async resolve(name: string, family: 4 | 6 | undefined): Promise<{family: 4 | 6; address: string} | undefined> {
		if (family === 6) {
			return undefined;
		}

		const address = isIP(name) === 4 ? name : this.names.get(name);
		return address ? {family: 4, address} : undefined;
	}

	/** A datagram leaves a socket: it crosses the LAN, or its router, then the internet. */
	transmit(datagram: Datagram): void {
		const sender = this.#byIp.get(datagram.from.address);
		const receiver = this.#byIp.get(datagram.to.address);
		if (sender?.router && receiver?.router === sender.router) {
			this.#later(this.lanLatencyMs, datagram);
			return;
		}

		const translated = sender?.router ? sender.router.outbound(datagram) : datagram;
		if (translated) {
			this.#later(this.wanLatencyMs, translated);
		}
	}

	#later(latencyMs: number, datagram: Datagram): void {
		this.clock.setTimeout(() => {
			this.#arrive(datagram);
		}, latencyMs);
	}

	#arrive(datagram: Datagram): void {
		const router = this.routers.find(each => each.publicIp === datagram.to.address);
		const inside = router ? router.inbound(datagram) : datagram;
		if (!inside) {
			return;
		}

		const socket = this.#byIp.get(inside.to.address)?.socketFor(inside.to.address, inside.to.port);
		if (socket) {
			socket.deliver(inside);
		} else {
			this.undeliverable++;
		}
	}
}
