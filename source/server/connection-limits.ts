import type net from 'node:net';
import {sourceKey} from './rate-limiter.js';

/**
 * Open TCP connections of one service, counted per source (IPv4 address or IPv6 /64) and in
 * total. `admit` registers a socket, or says no; the socket leaves the count when it closes.
 */
export class ConnectionLimits {
	readonly open = new Set<net.Socket>();
	readonly #perSource = new Map<string, number>();
	readonly #maxPerSource: number;
	readonly #maxTotal: number;

	constructor(maxPerSource: number, maxTotal: number) {
		this.#maxPerSource = maxPerSource;
		this.#maxTotal = maxTotal;
	}

	admit(socket: net.Socket): boolean {
		const ip = socket.remoteAddress;
		if (ip === undefined) {
			return false;
		}

		const key = sourceKey(ip);
		const count = this.#perSource.get(key) ?? 0;
		if (count >= this.#maxPerSource || this.open.size >= this.#maxTotal) {
			return false;
		}

		this.#perSource.set(key, count + 1);
		this.open.add(socket);
		socket.once('close', () => {
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
