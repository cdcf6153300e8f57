/** How fast a bucket fills and how much it holds: `size` is the largest burst it lets through. */
export interface BucketLimit {
	size: number;
	perSecond: number;
}

/**
 * A token bucket on a caller's clock (milliseconds). The limit is given at each top-up, not kept:
 * the pacer's changes as it adapts, while the server's and the simulated router's stay put.
 */
export class TokenBucket {
	#tokens: number;
	#updatedAt: number;

	constructor(tokens: number, now: number) {
		this.#tokens = tokens;
		this.#updatedAt = now;
	}

	get tokens(): number {
		return this.#tokens;
	}

	/** Add what `limit` earned since the last top-up, never past its size. */
	refill(now: number, limit: BucketLimit): void {
		const elapsed = Math.max(0, now - this.#updatedAt);
		this.#tokens = Math.min(limit.size, this.#tokens + (elapsed / 1000) * limit.perSecond);
		this.#updatedAt = now;
	}

	/** Take `cost` tokens if the bucket holds that many; false (and nothing taken) if not. */
	take(cost = 1): boolean {
		if (this.#tokens < cost) {
			return false;
		}

		this.#tokens -= cost;
		return true;
	}
}
