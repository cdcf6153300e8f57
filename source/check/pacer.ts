import {performance} from 'node:perf_hooks';

export interface PacerOptions {
	/** A cap set by hand (--rate); the pacer never goes above it. */
	maxRate?: number;
	/** The floor it backs off to. */
	minRate?: number;
	/** Length of one measuring period. */
	periodMs?: number;
	onSlowdown?: (rate: number, reason: string) => void;
}

/**
 * Gate for every packet the sweep sends. It starts unlimited (or at --rate) and stays there
 * while replies keep coming. When requests that used to be answered start going unanswered,
 * a router or server is dropping the excess (rate limits, port-scan detection): it cuts the
 * rate to what actually got through, then creeps back up while losses stay low (AIMD).
 * Only answered requests to the primary address count: closed ports never answer Test 2, and
 * blocked ones never answer at all, and neither must read as congestion.
 */
export class Pacer {
	readonly maxRate: number;
	readonly minRate: number;
	readonly periodMs: number;
	#rate: number;
	#tokens = 0;
	#lastRefill = performance.now();
	#waiters: Array<() => void> = [];
	#timer: NodeJS.Timeout | undefined;
	#periodStart = performance.now();
	#answered = 0;
	#lost = 0;
	#sent = 0;
	#everAnswered = false;
	#slowdowns: Array<{atMs: number; rate: number; reason: string}> = [];
	readonly #started = performance.now();
	readonly #onSlowdown: PacerOptions['onSlowdown'];

	constructor(options: PacerOptions = {}) {
		this.maxRate = options.maxRate ?? Number.POSITIVE_INFINITY;
		this.minRate = Math.min(options.minRate ?? 20, this.maxRate);
		this.periodMs = options.periodMs ?? 250;
		this.#rate = this.maxRate;
		this.#onSlowdown = options.onSlowdown;
	}

	get rate(): number {
		return this.#rate;
	}

	get slowdowns(): ReadonlyArray<{atMs: number; rate: number; reason: string}> {
		return this.#slowdowns;
	}

	/** Resolve when one packet may be sent. */
	async take(): Promise<void> {
		this.#sent++;
		if (this.#rate === Number.POSITIVE_INFINITY && this.#waiters.length === 0) {
			return;
		}

		this.#refill();
		if (this.#waiters.length === 0 && this.#tokens >= 1) {
			this.#tokens--;
			return;
		}

		return new Promise(resolve => {
			this.#waiters.push(resolve);
			this.#schedule();
		});
	}

	/**
	 * A request to the primary address was answered after `sends` sends: every send before the
	 * answered one was lost. Requests never answered say nothing here: a blocked port looks
	 * exactly like that, and must not read as congestion (the slow recheck deals with those).
	 */
	answered(sends: number): void {
		this.#maybeAdjust();
		this.#answered++;
		this.#lost += Math.max(0, sends - 1);
		this.#everAnswered = true;
	}

	/** Stop timers and let every waiter go (they check their own abort signal). */
	release(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		for (const resolve of this.#waiters.splice(0)) {
			resolve();
		}
	}

	#refill(): void {
		const now = performance.now();
		const burst = Math.max(1, this.#rate / 20);
		this.#tokens = Math.min(burst, this.#tokens + (((now - this.#lastRefill) / 1000) * this.#rate));
		this.#lastRefill = now;
	}

	#schedule(): void {
		if (this.#timer) {
			return;
		}

		// Drain in small batches: one timer per packet would cost more than the sends.
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#refill();
			while (this.#waiters.length > 0 && (this.#tokens >= 1 || this.#rate === Number.POSITIVE_INFINITY)) {
				if (this.#rate !== Number.POSITIVE_INFINITY) {
					this.#tokens--;
				}

				this.#waiters.shift()!();
			}

			if (this.#waiters.length > 0) {
				this.#schedule();
			}
		}, Math.max(1, Math.min(20, 1000 / this.#rate)));
	}

	#maybeAdjust(): void {
		const now = performance.now();
		const elapsed = now - this.#periodStart;
		if (elapsed < this.periodMs) {
			return;
		}

		const answered = this.#answered;
		const lost = this.#lost;
		const sent = this.#sent;
		this.#periodStart = now;
		this.#answered = 0;
		this.#lost = 0;
		this.#sent = 0;
		const samples = answered + lost;
		// Judged on the period just ended; "ever answered" must predate it too.
		if (samples < 8 || !this.#everAnswered) {
			return;
		}

		const lossRatio = lost / samples;
		// Random loss of 10% each way loses about 19% of round trips: that alone is no reason to slow down.
		if (lossRatio > 0.35) {
			// What got through is the best estimate of what the path allows; aim a little under it.
			const deliveredRate = (sent / elapsed) * 1000 * (1 - lossRatio) * 0.9;
			const next = Math.max(this.minRate, Math.min(this.#rate / 2, deliveredRate));
			if (next < this.#rate) {
				this.#rate = next;
				const reason = `${Math.round(lossRatio * 100)}% of requests to the server went unanswered`;
				this.#slowdowns.push({atMs: Math.round(now - this.#started), rate: Math.round(next), reason});
				this.#onSlowdown?.(Math.round(next), reason);
			}
		} else if (lossRatio < 0.1 && this.#rate < this.maxRate) {
			this.#rate = Math.min(this.maxRate, this.#rate * 1.1);
		}
	}
}
