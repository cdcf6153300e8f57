/**
 * Ports for a pool of workers, pushed while they run if need be. `take` resolves undefined once
 * it is closed and empty.
 */
export class PortQueue {
	static of(ports: readonly number[]): PortQueue {
		const queue = new PortQueue();
		for (const port of ports) {
			queue.push(port);
		}

		queue.close();
		return queue;
	}

	readonly #ready: number[] = [];
	#head = 0;
	#closed = false;
	readonly #waiting: Array<(port: number | undefined) => void> = [];

	push(port: number): void {
		const waiter = this.#waiting.shift();
		if (waiter) {
			waiter(port);
		} else {
			this.#ready.push(port);
		}
	}

	/** No more ports will come: waiting workers are let go. */
	close(): void {
		this.#closed = true;
		for (const waiter of this.#waiting.splice(0)) {
			waiter(undefined);
		}
	}

	async take(): Promise<number | undefined> {
		if (this.#head < this.#ready.length) {
			return this.#ready[this.#head++];
		}

		if (this.#closed) {
			return undefined;
		}

		return new Promise(resolve => {
			this.#waiting.push(resolve);
		});
	}
}
