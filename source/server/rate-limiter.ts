import {performance} from 'node:perf_hooks';
import {type BucketLimit, TokenBucket} from '../net/token-bucket.js';
import {normalizeIp} from '../stun/index.js';

/** Token buckets that bound how many replies the server sends. */
export interface RateLimitOptions {
	/** Replies one source may get in a burst. */
	perSourceBurst?: number;
	/** Sustained replies per second to one source. */
	perSourcePerSecond?: number;
	/** Replies all sources together may get in a burst. */
	totalBurst?: number;
	/** Sustained replies per second over all sources. */
	totalPerSecond?: number;
}

export type RateLimitSettings = Required<RateLimitOptions>;

/**
 * Who a limit applies to: an IPv4 address, or an IPv6 /64, since one IPv6 host usually holds a
 * whole /64 and could otherwise rotate through it to dodge the limit.
 */
export const sourceKey = (ip: string): string => {
	// Plain IPv4 needs no work; it is also the common case, worth skipping normalizeIp's regexes.
	if (!ip.includes(':')) {
		return ip;
	}

	const normalized = normalizeIp(ip);
	return normalized.includes('.') ? normalized : `${normalized.slice(0, 16)}/64`;
};

/**
 * Token buckets per source plus one over all sources. The source table is a Map used as an LRU
 * (Map keeps insertion order; a hit is moved to the end), capped at `maxSources`, so a flood from
 * random addresses costs a fixed amount of memory. A forgotten source comes back with a full
 * bucket; the total bucket is what bounds the output then.
 */
export class SourceRateLimiter {
	readonly #perSource: BucketLimit;
	readonly #allSources: BucketLimit;
	readonly #maxSources: number;
	readonly #clock: () => number;
	readonly #sources = new Map<string, TokenBucket>();
	readonly #total: TokenBucket;

	constructor(settings: RateLimitSettings, maxSources: number, clock: () => number = () => performance.now()) {
		this.#perSource = {size: settings.perSourceBurst, perSecond: settings.perSourcePerSecond};
		this.#allSources = {size: settings.totalBurst, perSecond: settings.totalPerSecond};
		this.#maxSources = maxSources;
		this.#clock = clock;
		this.#total = new TokenBucket(settings.totalBurst, clock());
	}

	/** Sources remembered now. */
	get size(): number {
		return this.#sources.size;
	}

	/** Take `cost` tokens (one reply's worth by default) from the source's bucket and the total; false if either is short. */
	allow(ip: string, cost = 1): boolean {
		const now = this.#clock();
		const key = sourceKey(ip);
		let bucket = this.#sources.get(key);
		if (bucket) {
			this.#sources.delete(key);
			bucket.refill(now, this.#perSource);
		} else {
			bucket = new TokenBucket(this.#perSource.size, now);
			if (this.#sources.size >= this.#maxSources) {
				const oldest = this.#sources.keys().next();
				if (!oldest.done) {
					this.#sources.delete(oldest.value);
				}
			}
		}

		this.#sources.set(key, bucket);
		if (bucket.tokens < cost) {
			return false;
		}

		this.#total.refill(now, this.#allSources);
		if (this.#total.tokens < cost) {
			return false;
		}

		// Taken from both only when both hold enough: a reply the total refuses costs its source nothing.
		bucket.take(cost);
		this.#total.take(cost);
		return true;
	}
}
