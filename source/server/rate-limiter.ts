import {performance} from 'node:perf_hooks';
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

interface Bucket {
	tokens: number;
	updatedAt: number;
}

/** Top up a bucket for the time that passed, never past its size. */
const refill = (bucket: Bucket, now: number, size: number, perSecond: number): void => {
	const elapsed = Math.max(0, now - bucket.updatedAt);
	bucket.tokens = Math.min(size, bucket.tokens + (elapsed / 1000) * perSecond);
	bucket.updatedAt = now;
};

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
	readonly #settings: RateLimitSettings;
	readonly #maxSources: number;
	readonly #clock: () => number;
	readonly #sources = new Map<string, Bucket>();
	readonly #total: Bucket;

	constructor(settings: RateLimitSettings, maxSources: number, clock: () => number = () => performance.now()) {
		this.#settings = settings;
		this.#maxSources = maxSources;
		this.#clock = clock;
		this.#total = {tokens: settings.totalBurst, updatedAt: clock()};
	}

	/** Sources remembered now. */
	get size(): number {
		return this.#sources.size;
	}

	/** Take `cost` tokens (one reply's worth by default) from the source's bucket and the total; false if either is short. */
	allow(ip: string, cost = 1): boolean {
		const now = this.#clock();
		const key = sourceKey(ip);
		const {perSourceBurst, perSourcePerSecond, totalBurst, totalPerSecond} = this.#settings;
		let bucket = this.#sources.get(key);
		if (bucket) {
			this.#sources.delete(key);
			refill(bucket, now, perSourceBurst, perSourcePerSecond);
		} else {
			bucket = {tokens: perSourceBurst, updatedAt: now};
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

		refill(this.#total, now, totalBurst, totalPerSecond);
		if (this.#total.tokens < cost) {
			return false;
		}

		bucket.tokens -= cost;
		this.#total.tokens -= cost;
		return true;
	}
}
