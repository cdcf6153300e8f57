import {performance} from 'node:perf_hooks';

/** A handle from Clock.setTimeout; only the clock that made it knows what it is. */
export type TimerHandle = {readonly timer: unknown};

/**
 * Time as the engine sees it: milliseconds from an arbitrary origin, and timers on the same
 * scale. The real one is performance.now() and Node's timers; tests drive a virtual one.
 */
export interface Clock {
	now(): number;
	setTimeout(callback: () => void, ms: number): TimerHandle;
	clearTimeout(handle: TimerHandle | undefined): void;
}

/** A Node timer, then the immediate it hands over to; `cancelled` stops a callback already on its way. */
type SystemTimer = {timer: NodeJS.Timeout | NodeJS.Immediate | undefined; cancelled: boolean};

export const systemClock: Clock = {
	// Looked up on every call, not bound once: tests may stand in for performance.now.
	now: () => performance.now(),
	// The callback runs after the event loop's next poll for I/O, not before it: when the process
	// was busy (or descheduled on a loaded machine) past a retransmission's deadline, answers that
	// arrived meanwhile are read first, so they settle their transactions instead of drawing a
	// needless retransmission that the pacer would count as a loss.
	setTimeout(callback, ms) {
		const handle: SystemTimer = {timer: undefined, cancelled: false};
		handle.timer = setTimeout(() => {
			handle.timer = setImmediate(() => {
				if (!handle.cancelled) {
					callback();
				}
			});
		}, ms);
		return handle;
	},
	clearTimeout(handle) {
		if (handle) {
			const timer = handle as SystemTimer;
			timer.cancelled = true;
			clearTimeout(timer.timer as NodeJS.Timeout | undefined);
			clearImmediate(timer.timer as NodeJS.Immediate | undefined);
		}
	},
};
