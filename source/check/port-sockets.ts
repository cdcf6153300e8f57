import type {Clock} from '../net/clock.js';
import type {OpenResult, SocketCounters, StunSocket} from '../stun/stun-socket.js';

/**
 * A port this check bound and closed may refuse a new bind for a moment: a program forked meanwhile
 * (nft, ss, tracepath run beside the sweep, some on a worker thread) holds a copy of every socket
 * until it execs. Measured on Linux (bench/rebind-race.ts): 1 in 340 to 600 close-and-rebind
 * cycles while another thread spawns. The bind is tried again after these waits; a program that
 * really took the port still holds it after them, and the port reads busy as before.
 */
const rebindWaitsMs = [2, 8, 30, 60];

/**
 * The checked ports' sockets, at most `size` open at once (the socket budget). A port keeps its
 * socket from Test 3 into Tests 1-2 (one bind per port): a port whose Test 3 failed parks it while
 * the failure is rechecked, and when a new port needs room, the oldest parked socket is closed
 * (that port binds again later). Each socket's counters are added to `counters` when it closes.
 */
export class PortSockets {
	#free: number;
	readonly #waiting: Array<() => void> = [];
	/** Oldest first (a Map keeps insertion order); each holds a slot. */
	readonly #parked = new Map<number, StunSocket>();
	readonly #open: (port: number) => Promise<OpenResult>;
	readonly #counters: SocketCounters;
	readonly #clock: Clock;
	/** Ports bound at least once by this check. */
	readonly #boundBefore = new Set<number>();

	constructor(size: number, open: (port: number) => Promise<OpenResult>, counters: SocketCounters, clock: Clock) {
		this.#free = size;
		this.#open = open;
		this.#counters = counters;
		this.#clock = clock;
	}

	/** The port's parked socket, or a newly bound one; the caller holds its slot until `done` or `park`. */
	async take(port: number): Promise<OpenResult> {
		const parked = this.#parked.get(port);
		if (parked) {
			this.#parked.delete(port);
			return {ok: true, socket: parked};
		}

		await this.#acquire();
		let opened = await this.#open(port);
		for (const waitMs of this.#boundBefore.has(port) ? rebindWaitsMs : []) {
			if (opened.ok || opened.code !== 'in-use') break;
			await new Promise<void>(resolve => this.#clock.setTimeout(resolve, waitMs));
			opened = await this.#open(port);
		}

		if (opened.ok) {
			this.#boundBefore.add(port);
		} else {
			this.#release();
		}

		return opened;
	}

	/** Close the socket and free its slot. */
	async done(socket: StunSocket): Promise<void> {
		await this.#close(socket);
		this.#release();
	}

	/** Keep the socket open, in its slot, for the port's next test; closed at once when another port waits for room. */
	park(port: number, socket: StunSocket): void {
		if (this.#waiting.length > 0) {
			void this.done(socket);
			return;
		}

		this.#parked.set(port, socket);
	}

	/** Close every parked socket (the sweep ends or is cancelled). */
	async closeParked(): Promise<void> {
		const parked = [...this.#parked.values()];
		this.#parked.clear();
		await Promise.all(parked.map(async socket => this.done(socket)));
	}

	async #acquire(): Promise<void> {
		if (this.#free > 0) {
			this.#free--;
			return;
		}

		const oldest = this.#parked.entries().next();
		if (!oldest.done) {
			// Its slot passes straight to this port.
			const [port, socket] = oldest.value;
			this.#parked.delete(port);
			await this.#close(socket);
			return;
		}

		await new Promise<void>(resolve => {
			this.#waiting.push(resolve);
		});
	}

	#release(): void {
		const next = this.#waiting.shift();
		if (next) {
			next();
		} else {
			this.#free++;
		}
	}

	async #close(socket: StunSocket): Promise<void> {
		const counters = this.#counters;
		const add = socket.counters;
		counters.sent += add.sent;
		counters.garbage += add.garbage;
		counters.unknownTransaction += add.unknownTransaction;
		counters.wrongSource += add.wrongSource;
		await socket.close();
	}
}
