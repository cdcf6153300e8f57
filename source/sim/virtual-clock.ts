import type {Clock, TimerHandle} from '../net/clock.js';

interface Timer {
	due: number;
	/** Order of creation: timers due at the same time fire in the order they were set. */
	seq: number;
	callback: () => void;
}

/**
 * Virtual time for the simulated network. Timers never wait for real time: whenever the real
 * event loop has nothing left to do (a setImmediate turn, after every promise continuation has
 * run), the clock jumps to the earliest timer and fires it, one timer per turn. A sweep that
 * would take ten seconds runs in milliseconds and always in the same order.
 */
export class VirtualClock implements Clock {
	readonly #heap: Timer[] = [];
	readonly #cancelled = new Set<number>();
	#now = 0;
	#seq = 0;
	#fired = 0;
	#turnPending = false;
	#idleWaiters: Array<() => void> = [];

	/**
	 * @param limits Bounds on one test: past either the clock stops and reports the overrun,
	 * so a runaway loop fails the test instead of hanging it.
	 */
	constructor(readonly limits: {maxMs: number; maxTimers: number} = {maxMs: 3_600_000, maxTimers: 5_000_000}) {}

	now(): number {
		return this.#now;
	}

	setTimeout(callback: () => void, ms: number): TimerHandle {
		const timer = {due: this.#now + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: this.#seq++, callback};
		this.#push(timer);
		this.#wake();
		return {timer: timer.seq};
	}

	clearTimeout(handle: TimerHandle | undefined): void {
		if (handle && typeof handle.timer === 'number') {
			this.#cancelled.add(handle.timer);
		}
	}

	/** Timers fired so far. */
	get fired(): number {
		return this.#fired;
	}

	/** Resolves once no timer is left: every packet delivered or dropped, every wait over. */
	async idle(): Promise<void> {
		return new Promise(resolve => {
			this.#idleWaiters.push(resolve);
			this.#wake();
		});
	}

	#wake(): void {
		if (!this.#turnPending) {
			this.#turnPending = true;
			setImmediate(() => {
				this.#turnPending = false;
				this.#turn();
			});
		}
	}

	#turn(): void {
		const timer = this.#pop();
		if (!timer) {
			for (const resolve of this.#idleWaiters.splice(0)) {
				resolve();
			}

			return;
		}

		if (timer.due > this.limits.maxMs || this.#fired >= this.limits.maxTimers) {
			throw new Error(`virtual clock overrun at ${this.#now} ms after ${this.#fired} timers: a loop that never ends?`);
		}

		this.#now = Math.max(this.#now, timer.due);
		this.#fired++;
		timer.callback();
		this.#wake();
	}

	/** The earliest live timer, taken off the heap. */
	#pop(): Timer | undefined {
		while (this.#heap.length > 0) {
			const top = this.#heap[0]!;
			const last = this.#heap.pop()!;
			if (this.#heap.length > 0) {
				this.#heap[0] = last;
				this.#siftDown(0);
			}

			if (this.#cancelled.delete(top.seq)) {
				continue;
			}

			return top;
		}

		return undefined;
	}

	#push(timer: Timer): void {
		const heap = this.#heap;
		heap.push(timer);
		let index = heap.length - 1;
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (!before(heap[index]!, heap[parent]!)) {
				break;
			}

			[heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
			index = parent;
		}
	}

	#siftDown(start: number): void {
		const heap = this.#heap;
		let index = start;
		for (;;) {
			const left = 2 * index + 1;
			const right = left + 1;
			let smallest = index;
			if (left < heap.length && before(heap[left]!, heap[smallest]!)) {
				smallest = left;
			}

			if (right < heap.length && before(heap[right]!, heap[smallest]!)) {
				smallest = right;
			}

			if (smallest === index) {
				return;
			}

			[heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
			index = smallest;
		}
	}
}

const before = (a: Timer, b: Timer): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);
