import {sourceKey} from './rate-limiter.js';

/**
 * Open TCP connections of one service, counted per source (IPv4 address or IPv6 /64) and in
 * total. `admit` registers a connection (a node socket or an injected one: whatever `T` is), or
 * says no; it leaves the count when `whenClosed` calls back.
 */
export class ConnectionLimits<T> {
	readonly open = new Set<T>();
	readonly #perSource = new Map<string, number>();
	readonly #maxPerSource: number;
	readonly #maxTotal: number;

	constructor(maxPerSource: number, maxTotal: number) {
		this.#maxPerSource = maxPerSource;
		this.#maxTotal = maxTotal;
	}

	admit(socket: T, ip: string | undefined, whenClosed: (listener: () => void) => void): boolean {
		if (ip === undefined || ip === '') {
			return false;
		}

		const key = sourceKey(ip);
		const count = this.#perSource.get(key) ?? 0;
		if (count >= this.#maxPerSource || this.open.size >= this.#maxTotal) {
			return false;
		}

		this.#perSource.set(key, count + 1);
		this.open.add(socket);
		whenClosed(() => {
			this.open.delete(socket);
			const left = (this.#perSource.get(key) ?? 1) - 1;
			if (left > 0) {
				this.#perSource.set(key, left);
			} else {
				this.#perSource.delete(key);
			}
		});
		return true;
	}
}
