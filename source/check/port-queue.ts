/**
 * Ports handed from one pass to the next as they become ready (a port goes to Tests 1-2 once its
 * Test 3 is decided), taken by a pool of workers. `take` resolves undefined once it is closed and empty.
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

/** A count of sockets two passes running at once share, so together they stay within the budget. */
export class SocketSlots {
	#free: number;
	readonly #waiting: Array<() => void> = [];

	constructor(size: number) {
		this.#free = size;
	}

	async hold<T>(work: () => Promise<T>): Promise<T> {
		if (this.#free > 0) {
			this.#free--;
		} else {
			await new Promise<void>(resolve => {
				this.#waiting.push(resolve);
			});
		}

		try {
			return await work();
		} finally {
			const next = this.#waiting.shift();
			if (next) {
				next();
			} else {
				this.#free++;
			}
		}
	}
}
