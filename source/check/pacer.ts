import {type Clock, type TimerHandle, systemClock} from '../net/clock.js';
import {english} from '../catalog/index.js';
import {TokenBucket} from '../net/token-bucket.js';

/**
 * Grants between two pacer timers, however many tokens wait. Each grant runs a probe's next step
 * (a bind, a send) in the same turn of the event loop; a whole 50 ms burst at once (250 ports
 * at the starting rate) held the loop for 200 ms at the start of a sweep, and the TUI could not
 * redraw. The rest go on the next timer. 128 measured as fast as no cap on 2000 forwarded ports
 * (32 cost 15 % of wall time) with every gap between frames under 200 ms.
 */
const MAX_GRANTS_PER_TURN = 128;

export interface PacerOptions {
	/** A cap set by hand (--rate); the pacer never goes above it. */
	maxRate?: number;
	/** Where it starts, in packets per second. */
	initialRate?: number;
	/** The floor it backs off to. */
	minRate?: number;
	/** Length of one measuring period. */
	periodMs?: number;
	/** How long after a period to judge it: long enough for a few retransmissions to be answered. */
	settleMs?: number | (() => number);
	onSlowdown?: (rate: number, reason: string) => void;
	clock?: Clock;
	/**
	 * Once it aborts, every turn is granted at once: a cancelled sweep must not wait behind a
	 * queue released at a low rate (the callers check the signal after their turn, and send nothing).
	 */
	signal?: AbortSignal;
}

/** Fewer sends than this in a period say too little to act on. */
const minSamples = 8;
/** How many of the latest answered requests `shownLossless` looks at, and how many it needs. */
const losslessWindow = 128;
const losslessMinimum = 32;

interface Period {
	/** Every packet released in the period. */
	released: number;
	/** Sends of requests to the primary that were answered in the end, and how many of those sends were lost. */
	sends: number;
	lost: number;
}

/**
 * Gate for every packet the sweep sends. It starts at a rate a server takes in its stride and
 * doubles it each period while requests keep being answered first time (slow start). When
 * requests to the primary address start needing retransmissions, something drops the excess (a
 * server's socket buffer, a rate limit, port-scan detection): it cuts the rate to what got
 * through, then creeps back up, slowly near the rate that lost packets (AIMD).
 *
 * Each send is judged in the period it was *sent*, once that period has settled: judged at
 * answer time, a period late in the sweep would hold only the stragglers that needed retries,
 * and random loss would look like congestion. Only answered requests to the primary count:
 * closed ports never answer Test 2 and blocked ones never answer at all, and neither is congestion.
 */
export class Pacer {
	readonly maxRate: number;
	readonly minRate: number;
	readonly periodMs: number;
	readonly #settleMs: number | (() => number);
	#rate: number;
	#slowStart = true;
	/** At most 50 ms worth of packets (see #refill); one to start with. */
	readonly #bucket: TokenBucket;
	/** Grants since the last timer: see MAX_GRANTS_PER_TURN. */
	#grantedThisTurn = 0;
	readonly #clock: Clock;
	/** Sends that finish a port in flight (Test 2, retransmissions) go before ones that start a new port. */
	#urgent: Array<() => void> = [];
	#waiters: Array<() => void> = [];
	#timer: TimerHandle | undefined;
	readonly #origin: number;
	readonly #periods = new Map<number, Period>();
	/** Periods before this one are judged (or were sent at an old rate): never looked at again. */
	#nextToJudge = 0;
	/** The rate that got through when losses began: growth slows down as it gets near. */
	#ceiling = Number.POSITIVE_INFINITY;
	#slowdowns: Array<{atMs: number; rate: number; reason: string}> = [];
	/** Its signal aborted: every turn from now on is granted at once. */
	#aborted = false;
	readonly #signal: AbortSignal | undefined;
	readonly #onAbort = (): void => {
		this.#aborted = true;
		this.release();
	};
	readonly #onSlowdown: PacerOptions['onSlowdown'];
	/** The latest requests that should have been answered: true when the first send was, in a ring. */
	readonly #firstSendAnswered: boolean[] = [];
	#ringNext = 0;
	#resentInRing = 0;

	constructor(options: PacerOptions = {}) {
		this.maxRate = options.maxRate ?? Number.POSITIVE_INFINITY;
		this.minRate = Math.min(options.minRate ?? 20, this.maxRate);
		this.periodMs = options.periodMs ?? 200;
		this.#settleMs = options.settleMs ?? 800;
		this.#rate = Math.min(options.initialRate ?? 5000, this.maxRate);
		this.#onSlowdown = options.onSlowdown;
		this.#clock = options.clock ?? systemClock;
		this.#origin = this.#clock.now();
		this.#bucket = new TokenBucket(1, this.#origin);
		this.#signal = options.signal;
		if (this.#signal?.aborted) {
			this.#aborted = true;
		} else {
			this.#signal?.addEventListener('abort', this.#onAbort, {once: true});
		}
	}

	get settleMs(): number {
		return typeof this.#settleMs === 'number' ? this.#settleMs : this.#settleMs();
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
		if (this.#aborted) {
			return;
		}

		this.#judge();
		this.#period(this.#clock.now()).released++;
		this.#refill();
		if (this.#queued() === 0 && this.#grantedThisTurn < MAX_GRANTS_PER_TURN && this.#bucket.take()) {
			this.#grantedThisTurn++;
			return;
		}

		return new Promise(resolve => {
			(urgent ? this.#urgent : this.#waiters).push(resolve);
			this.#schedule();
		});
	}

	/**
	 * Whether the path has been shown lossless lately: the last requests that should have been
	 * answered (at least 32 of the latest 128) were all answered first time. A quick pass may then
	 * send fewer retransmissions (its failures are rechecked slowly before they stand anyway).
	 */
	get shownLossless(): boolean {
		return this.#firstSendAnswered.length >= losslessMinimum && this.#resentInRing === 0;
	}

	/**
	 * A request given to `answered` was answered a second time: one of the sends counted lost was
	 * only late (a busy host or server, not a full path). Its earliest send is taken back as
	 * delivered, unless its period has been judged already.
	 */
	delayed(sendTimes: readonly number[]): void {
		const first = sendTimes[0];
		if (first === undefined || sendTimes.length < 2 || this.#index(first) < this.#nextToJudge) {
			return;
		}

		const period = this.#periods.get(this.#index(first));
		if (period && period.lost > 0) {
			period.lost--;
		}
	}

	/** A request that the server should have answered (a loss probe) never was: it was lost. */
	unanswered(): void {
		this.#remember(false);
	}

	/**
	 * A request to the primary address was answered; `sendTimes` are its sends, on the pacer's clock.
	 * The last one was answered, every one before it lost.
	 */
	answered(sendTimes: readonly number[]): void {
		this.#remember(sendTimes.length === 1);
		for (const [index, time] of sendTimes.entries()) {
			const index_ = this.#index(time);
			if (index_ < this.#nextToJudge) {
				continue;
			}

			const period = this.#period(time);
			period.sends++;
			if (index < sendTimes.length - 1) {
				period.lost++;
			}
		}

		this.#judge();
	}

	/**
	 * A pass has ended: its requests are decided, so every period is complete and can be judged now
	 * rather than after it settles (requests of another pass still in flight, if any, are judged
	 * on what is known of them). A quick pass shorter than the settling time (a rate limit that
	 * failed most ports at once) would otherwise end unjudged: no slowdown reported, and its
	 * rechecks would start from the rate that overflowed.
	 */
	passEnded(): void {
		this.#judge(true);
	}

	/** Stop timers and let every waiter go (they check their own abort signal). */
	release(): void {
		this.#clock.clearTimeout(this.#timer);
		this.#timer = undefined;
		for (const resolve of [...this.#urgent.splice(0), ...this.#waiters.splice(0)]) {
			resolve();
		}
	}

	#remember(firstSendAnswered: boolean): void {
		if (this.#firstSendAnswered.length < losslessWindow) {
			this.#firstSendAnswered.push(firstSendAnswered);
		} else {
			this.#resentInRing -= this.#firstSendAnswered[this.#ringNext] ? 0 : 1;
			this.#firstSendAnswered[this.#ringNext] = firstSendAnswered;
			this.#ringNext = (this.#ringNext + 1) % losslessWindow;
		}

		this.#resentInRing += firstSendAnswered ? 0 : 1;
	}

	#queued(): number {
		return this.#urgent.length + this.#waiters.length;
	}

	#index(time: number): number {
		return Math.floor((time - this.#origin) / this.periodMs);
	}

	#period(time: number): Period {
		const index = this.#index(time);
		let period = this.#periods.get(index);
		if (!period) {
			period = {released: 0, sends: 0, lost: 0};
			this.#periods.set(index, period);
		}

		return period;
	}

	#refill(): void {
		// A burst of at most 50 ms worth of packets.
		this.#bucket.refill(this.#clock.now(), {size: Math.max(1, this.#rate / 20), perSecond: this.#rate});
	}

	#schedule(): void {
		if (this.#timer) {
			return;
		}

		// Release in small batches: one timer per packet would cost more than the sends.
		this.#timer = this.#clock.setTimeout(
			() => {
				this.#timer = undefined;
				this.#refill();
				this.#grantedThisTurn = 0;
				while (this.#queued() > 0 && this.#grantedThisTurn < MAX_GRANTS_PER_TURN && this.#bucket.take()) {
					this.#grantedThisTurn++;
					(this.#urgent.shift() ?? this.#waiters.shift())!();
				}

				if (this.#queued() > 0) {
					this.#schedule();
				}
			},
			Math.max(1, Math.min(20, 1000 / this.#rate)),
		);
	}

	/** Judge every period that has settled (with `all`, every one so far), oldest first. */
	#judge(all = false): void {
		const now = this.#clock.now();
		const settled = all ? this.#index(now) + 1 : this.#index(now - this.settleMs);
		while (this.#nextToJudge < settled) {
			const index = this.#nextToJudge++;
			const period = this.#periods.get(index);
			this.#periods.delete(index);
			if (period && this.#decide(period, now)) {
				// Periods sent at the old rate tell nothing more about the new one.
				for (const key of this.#periods.keys()) {
					if (key <= this.#index(now)) {
						this.#periods.delete(key);
					}
				}

				this.#nextToJudge = this.#index(now) + 1;
				return;
			}
		}
	}

	/** Returns true when it cut the rate. */
	#decide(period: Period, now: number): boolean {
		if (period.sends < minSamples) {
			return false;
		}

		const lossRatio = period.lost / period.sends;
		const releasedRate = (period.released / this.periodMs) * 1000;
		// Random loss of 10% each way loses about 19% of round trips: that alone is no reason to slow down.
		if (lossRatio > 0.35) {
			// What got through is the best estimate of what the path allows; aim a little under it,
			// but one period in which a burst overflowed a buffer (all lost) must not stall the sweep:
			// never cut below an eighth in one step.
			const delivered = releasedRate * (1 - lossRatio);
			const next = Math.max(this.minRate, this.#rate / 8, Math.min(this.#rate / 2, delivered * 0.9));
			this.#slowStart = false;
			this.#ceiling = Math.max(next, delivered);
			if (next >= this.#rate) {
				return false;
			}

			this.#rate = next;
			const reason = english.notes.lossSlowdown(String(Math.round(lossRatio * 100)));
			this.#slowdowns.push({atMs: Math.round(now - this.#origin), rate: Math.round(next), reason});
			this.#onSlowdown?.(Math.round(next), reason);
			return true;
		}

		if (lossRatio < 0.1 && releasedRate >= this.#rate * 0.5) {
			// Grow only when the rate was actually used: doubling until the first loss, then by 10%
			// a period below the rate that lost packets and 1% above it, so it does not keep running
			// into a rate limit it has already found.
			const factor = this.#slowStart ? 2 : this.#rate < this.#ceiling * 0.9 ? 1.1 : 1.01;
			this.#rate = Math.min(this.maxRate, this.#rate * factor);
		}

		return false;
	}
}
