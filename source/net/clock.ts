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

export const systemClock: Clock = {
	// Looked up on every call, not bound once: tests may stand in for performance.now.
	now: () => performance.now(),
	setTimeout: (callback, ms) => ({timer: setTimeout(callback, ms)}),
	clearTimeout(handle) {
		if (handle) {
			clearTimeout(handle.timer as NodeJS.Timeout);
		}
	},
};
