import {performance} from 'node:perf_hooks';

export interface PacerOptions {
	/** A cap set by hand (--rate); the pacer never goes above it. */
	maxRate?: number;
	/** Where it starts, in packets per second. */
	initialRate?: number;
	/** The floor it backs off to. */
	minRate?: number;
	/** Shortest measuring period. */
	periodMs?: number;
	onSlowdown?: (rate: number, reason: string) => void;
}

/** Fewer answered requests than this in a period say too little to act on. */
const minSamples = 8;

/**
 * Gate for every packet the sweep sends. It starts at a rate any server takes and doubles it
 * each period while requests keep being answered first time (slow start). When requests to the
 * primary address start needing retransmissions, something drops the excess (a server's socket
 * buffer, a rate limit, port-scan detection): it cuts the rate to what got through, once per
 * loss episode, then creeps back up while losses stay low (AIMD).
 * Only answered requests to the primary address count: closed ports never answer Test 2 and
 * blocked ones never answer at all, and neither must read as congestion.
 */
export class Pacer {
	readonly maxRate: number;
	readonly minRate: number;
	readonly periodMs: number;
	#rate: number;
	#slowStart = true;
	#tokens = 1;
	#lastRefill = performance.now();
	/** Sends that finish a port in flight (Test 2, retransmissions) go before ones that start a new port. */
	#urgent: Array<() => void> = [];
	#waiters: Array<() => void> = [];
	#timer: NodeJS.Timeout | undefined;
	#periodStart = performance.now();
	#answered = 0;
	#lost = 0;
	#sent = 0;
	/** Requests sent before the last cut still report the old episode's losses: ignore those. */
	#lastCutAt = Number.NEGATIVE_INFINITY;
	/** The rate that got through when losses began: growth slows down as it gets near. */
	#ceiling = Number.POSITIVE_INFINITY;
	#slowdowns: Array<{atMs: number; rate: number; reason: string}> = [];
	readonly #started = performance.now();
	readonly #onSlowdown: PacerOptions['onSlowdown'];

	constructor(options: PacerOptions = {}) {
		this.maxRate = options.maxRate ?? Number.POSITIVE_INFINITY;
		this.minRate = Math.min(options.minRate ?? 20, this.maxRate);
		this.periodMs = options.periodMs ?? 200;
		this.#rate = Math.min(options.initialRate ?? 5000, this.maxRate);
		this.#onSlowdown = options.onSlowdown;
	}

	get rate(): number {
		return this.#rate;
	}

	get slowdowns(): ReadonlyArray<{atMs: number; rate: number; reason: string}> {
		return this.#slowdowns;
	}

	/**
	 * Resolve when one packet may be sent. `urgent` sends finish ports already in flight, so
	 * under a low rate ports complete one after another instead of all at the very end.
	 */
	async take(urgent = false): Promise<void> {
		this.#sent++;
		this.#refill();
		if (this.#queued() === 0 && this.#tokens >= 1) {
			this.#tokens--;
			return;
		}

		return new Promise(resolve => {
			(urgent ? this.#urgent : this.#waiters).push(resolve);
			this.#schedule();
		});
	}

	#queued(): number {
		return this.#urgent.length + this.#waiters.length;
	}

	/**
	 * A request to the primary address, first sent at `firstSentAt`, was answered after `sends`
	 * sends: every send before the answered one was lost.
	 */
	answered(sends: number, firstSentAt = performance.now()): void {
		this.#maybeAdjust();
		this.#answered++;
		if (firstSentAt >= this.#lastCutAt) {
			this.#lost += Math.max(0, sends - 1);
		}
	}

	/** Stop timers and let every waiter go (they check their own abort signal). */
	release(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		for (const resolve of [...this.#urgent.splice(0), ...this.#waiters.splice(0)]) {
			resolve();
		}
	}

	#refill(): void {
		const now = performance.now();
		// A burst of at most 50 ms worth of packets.
		const burst = Math.max(1, this.#rate / 20);
		this.#tokens = Math.min(burst, this.#tokens + (((now - this.#lastRefill) / 1000) * this.#rate));
		this.#lastRefill = now;
	}

	#schedule(): void {
		if (this.#timer) {
			return;
		}

		// Release in small batches: one timer per packet would cost more than the sends.
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#refill();
			while (this.#queued() > 0 && this.#tokens >= 1) {
				this.#tokens--;
				(this.#urgent.shift() ?? this.#waiters.shift())!();
			}

			if (this.#queued() > 0) {
				this.#schedule();
			}
		}, Math.max(1, Math.min(20, 1000 / this.#rate)));
	}

	#maybeAdjust(): void {
		const now = performance.now();
		const elapsed = now - this.#periodStart;
		const samples = this.#answered + this.#lost;
		if (elapsed < this.periodMs || samples < minSamples) {
			return;
		}

		const lossRatio = this.#lost / samples;
		const sentRate = (this.#sent / elapsed) * 1000;
		this.#periodStart = now;
		this.#answered = 0;
		this.#lost = 0;
		this.#sent = 0;
		// Random loss of 10% each way loses about 19% of round trips: that alone is no reason to slow down.
		if (lossRatio > 0.35) {
			// What got through is the best estimate of what the path allows; aim a little under it.
			const delivered = sentRate * (1 - lossRatio);
			const next = Math.max(this.minRate, Math.min(this.#rate / 2, delivered * 0.9));
			this.#slowStart = false;
			this.#lastCutAt = now;
			this.#ceiling = Math.max(this.minRate, delivered);
			if (next < this.#rate) {
				this.#rate = next;
				const reason = `${Math.round(lossRatio * 100)}% of requests to the server went unanswered`;
				this.#slowdowns.push({atMs: Math.round(now - this.#started), rate: Math.round(next), reason});
				this.#onSlowdown?.(Math.round(next), reason);
			}
		} else if (lossRatio < 0.1 && sentRate >= this.#rate * 0.5) {
			// Grow only when the current rate was actually used: doubling until the first loss, then
			// by 10% a period below the rate that lost packets and 1% above it, so it does not keep
			// running into a rate limit it has already found.
			const factor = this.#slowStart ? 2 : this.#rate < this.#ceiling * 0.9 ? 1.1 : 1.01;
			this.#rate = Math.min(this.maxRate, this.#rate * factor);
		}
	}
}
