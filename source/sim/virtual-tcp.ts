// TCP on the simulated network: streams between virtual hosts, through a NAT router's masquerade
// and TCP forwards, in virtual time. A handshake takes one round trip; each write arrives whole,
// in order, one way's latency later. Loss and rate limits are UDP's only: TCP would retransmit.
import type {Clock} from '../net/clock.js';
import type {ConnectResult, ListenResult, Tcp, TcpConnection} from '../net/tcp.js';
import type {TransportAddress} from '../stun/address.js';
import type {VirtualHost, VirtualNetwork} from './virtual-network.js';

const wildcard = '0.0.0.0';
const firstEphemeral = 32_768;
const lastEphemeral = 60_999;

const ipv4 = (address: string, port: number): TransportAddress => ({family: 4, address, port});

/** One end of a virtual stream. Node's default: when the peer ends its side, this end ends too. */
class VirtualTcpConnection implements TcpConnection {
	peer: VirtualTcpConnection | undefined;
	#state: 'open' | 'ended' | 'closed' = 'open';
	readonly #dataListeners: Array<(chunk: Buffer) => void> = [];
	/** What arrived before anyone listened: a node socket holds it until its first 'data' listener. */
	#unread: Buffer[] = [];
	readonly #closeListeners: Array<() => void> = [];
	readonly #endListeners: Array<() => void> = [];

	constructor(
		readonly clock: Clock,
		readonly latencyMs: number,
		readonly localPort: number,
		readonly remote: TransportAddress,
		/** What the path does to our bytes on the way (a SIP ALG), if anything. */
		readonly onTheWay: ((data: Buffer) => Buffer) | undefined,
		readonly release: () => void,
	) {}

	write(data: Uint8Array | string): void {
		if (this.#state !== 'open' || !this.peer) {
			return;
		}

		const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
		const sent = this.onTheWay ? this.onTheWay(bytes) : bytes;
		const {peer} = this;
		this.clock.setTimeout(() => {
			peer.#receive(sent);
		}, this.latencyMs);
	}

	end(data?: Uint8Array | string): void {
		if (data !== undefined) {
			this.write(data);
		}

		if (this.#state === 'open') {
			this.#state = 'ended';
			this.#sendFin();
		}
	}

	destroy(): void {
		if (this.#state === 'closed') {
			return;
		}

		this.#close();
		const {peer} = this;
		if (peer) {
			// A reset: the peer closes as soon as it arrives, whatever it was doing.
			this.clock.setTimeout(() => {
				peer.#close();
			}, this.latencyMs);
		}
	}

	/** Writes leave at once here (no backpressure): closing now still delivers them first. */
	closeAfterWrite(): void {
		this.destroy();
	}

	get writable(): boolean {
		return this.#state === 'open';
	}

	readonly unsentBytes = 0;

	onData(listener: (chunk: Buffer) => void): void {
		this.#dataListeners.push(listener);
		if (this.#dataListeners.length === 1 && this.#unread.length > 0) {
			this.clock.setTimeout(() => {
				for (const chunk of this.#unread.splice(0)) {
					this.#deliver(chunk);
				}
			}, 0);
		}
	}

	onEnd(listener: () => void): void {
		this.#endListeners.push(listener);
	}

	onClose(listener: () => void): void {
		if (this.#state === 'closed') {
			this.clock.setTimeout(listener, 0);
		} else {
			this.#closeListeners.push(listener);
		}
	}

	#sendFin(): void {
		const {peer} = this;
		if (peer) {
			this.clock.setTimeout(() => {
				peer.#finArrived();
			}, this.latencyMs);
		}
	}

	#finArrived(): void {
		if (this.#state === 'closed') {
			return;
		}

		for (const listener of this.#endListeners.splice(0)) {
			listener();
		}

		if (this.#state === 'open') {
			this.#sendFin();
		}

		this.#close();
	}

	#receive(chunk: Buffer): void {
		if (this.#state === 'closed') {
			return;
		}

		if (this.#dataListeners.length === 0) {
			this.#unread.push(chunk);
		} else {
			this.#deliver(chunk);
		}
	}

	#deliver(chunk: Buffer): void {
		for (const listener of this.#dataListeners) {
			listener(chunk);
		}
	}

	#close(): void {
		if (this.#state === 'closed') {
			return;
		}

		this.#state = 'closed';
		this.release();
		// Node emits 'close' after the call that caused it returns: so does this.
		for (const listener of this.#closeListeners.splice(0)) {
			this.clock.setTimeout(listener, 0);
		}
	}
}

interface Listening {
	address: string;
	port: number;
	accept: (connection: TcpConnection) => void;
	accepted: Set<VirtualTcpConnection>;
}

/** Where a SYN ends up: a host's address, or what answers in its place. */
type SynOutcome = {host: VirtualHost; ip: string} | 'refuse' | 'drop';

/** One host's TCP: its listeners and the ports its connections hold. */
export class VirtualTcpStack implements Tcp {
	readonly #listening: Listening[] = [];
	readonly #connectionPorts = new Set<number>();
	#nextEphemeral = firstEphemeral;

	readonly network: VirtualNetwork<Clock>;

	constructor(readonly host: VirtualHost) {
		this.network = host.network;
	}

	/** Listeners open and connections not yet closed, as "host address:port" (for leak checks). */
	open(): string[] {
		return [
			...this.#listening.map(each => `${this.host.name} tcp listen ${each.address}:${each.port}`),
			...[...this.#connectionPorts].map(port => `${this.host.name} tcp connection from port ${port}`),
		];
	}

	async listen(
		options: {port: number; address?: string; family: 4 | 6; noDelay?: boolean},
		onConnection: (connection: TcpConnection) => void,
	): Promise<ListenResult> {
		const address = options.address ?? wildcard;
		if (options.family !== 4 || (address !== wildcard && !this.host.ips.includes(address))) {
			return {ok: false, code: 'no-such-address', detail: `listen EADDRNOTAVAIL ${address}:${options.port}`};
		}

		const port = options.port === 0 ? this.#ephemeral() : options.port;
		if (port === undefined || this.#listening.some(each => each.port === port && overlaps(each.address, address))) {
			return {ok: false, code: 'in-use', detail: `listen EADDRINUSE ${address}:${options.port}`};
		}

		const entry: Listening = {address, port, accept: onConnection, accepted: new Set()};
		this.#listening.push(entry);
		return {
			ok: true,
			listener: {
				port,
				close: async () => {
					const index = this.#listening.indexOf(entry);
					if (index >= 0) {
						this.#listening.splice(index, 1);
					}

					for (const connection of entry.accepted) {
						connection.destroy();
					}
				},
			},
		};
	}

	async connect(
		to: TransportAddress,
		options: {timeoutMs: number; localAddress?: string; signal?: AbortSignal},
	): Promise<ConnectResult> {
		const {clock} = this.network;
		const localIp = options.localAddress ?? this.host.ips[0]!;
		const localPort = this.host.ips.includes(localIp) ? this.#ephemeral() : undefined;
		if (to.family !== 4 || localPort === undefined || options.signal?.aborted) {
			return {ok: false, reason: 'unreachable'};
		}

		const router = this.host.router;
		const sameLan = router !== undefined && this.#hostOf(to.address)?.router === router;
		const crossesRouter = router !== undefined && !sameLan;
		const latencyMs = sameLan ? this.network.lanLatencyMs : this.network.wanLatencyMs;
		// Masquerade keeps the source port (Linux does while the tuple is unique, as it is here).
		const seenFrom = ipv4(crossesRouter ? router.publicIp : localIp, localPort);
		const syn = this.#synTo(to);
		this.#connectionPorts.add(localPort);
		const release = (): void => {
			this.#connectionPorts.delete(localPort);
		};

		return new Promise<ConnectResult>(resolve => {
			let settled = false;
			const settle = (result: ConnectResult): void => {
				if (!settled) {
					settled = true;
					clock.clearTimeout(timer);
					options.signal?.removeEventListener('abort', onAbort);
					resolve(result);
				}
			};

			const onAbort = (): void => {
				release();
				settle({ok: false, reason: 'unreachable'});
			};

			const timer = clock.setTimeout(() => {
				release();
				settle({ok: false, reason: 'timeout'});
			}, options.timeoutMs);
			options.signal?.addEventListener('abort', onAbort, {once: true});
			if (syn === 'drop') {
				return;
			}

			clock.setTimeout(() => {
				if (settled) {
					return;
				}

				const listening = syn === 'refuse' ? undefined : tcpOf(syn.host).#listenerFor(syn.ip, to.port);
				if (!listening) {
					clock.setTimeout(() => {
						release();
						settle({ok: false, reason: 'refused'});
					}, latencyMs);
					return;
				}

				const onTheWay = crossesRouter ? router.sipAlgFor(to.port, localIp) : undefined;
				const client = new VirtualTcpConnection(clock, latencyMs, localPort, to, onTheWay, release);
				const server = new VirtualTcpConnection(clock, latencyMs, to.port, seenFrom, undefined, () => {
					listening.accepted.delete(server);
				});
				client.peer = server;
				server.peer = client;
				listening.accepted.add(server);
				listening.accept(server);
				clock.setTimeout(() => {
					if (settled) {
						// Gave up meanwhile: the late SYN-ACK is answered with a reset.
						client.destroy();
						return;
					}

					settle({ok: true, connection: client});
				}, latencyMs);
			}, latencyMs);
		});
	}

	#listenerFor(ip: string, port: number): Listening | undefined {
		const bound = this.#listening.filter(each => each.port === port);
		return bound.find(each => each.address === ip) ?? bound.find(each => each.address === wildcard);
	}

	#hostOf(ip: string): VirtualHost | undefined {
		return this.network.hosts.find(host => host.ips.includes(ip));
	}

	/** A SYN to `to`: a router's public address goes by its TCP forwards; an address nobody has is silence. */
	#synTo(to: TransportAddress): SynOutcome {
		const router = this.network.routers.find(each => each.publicIp === to.address);
		const inside = router ? router.tcpInbound(to.port) : {insideIp: to.address};
		if (typeof inside === 'string') {
			return inside;
		}

		const host = this.#hostOf(inside.insideIp);
		return host ? {host, ip: inside.insideIp} : 'drop';
	}

	#ephemeral(): number | undefined {
		for (let tries = 0; tries <= lastEphemeral - firstEphemeral; tries++) {
			const port = this.#nextEphemeral;
			this.#nextEphemeral = port === lastEphemeral ? firstEphemeral : port + 1;
			if (!this.#connectionPorts.has(port) && !this.#listening.some(each => each.port === port)) {
				return port;
			}
		}

		return undefined;
	}
}

const overlaps = (a: string, b: string): boolean => a === b || a === wildcard || b === wildcard;

const stacks = new WeakMap<VirtualHost, VirtualTcpStack>();

/** The TCP of a virtual host, made on first use. */
export const tcpOf = (host: VirtualHost): VirtualTcpStack => {
	let stack = stacks.get(host);
	if (!stack) {
		stack = new VirtualTcpStack(host);
		stacks.set(host, stack);
	}

	return stack;
};
