import type {Clock} from '../net/clock.js';
import type {Pacer} from './pacer.js';
import {PortQueue} from './port-queue.js';
import type {PassTiming} from './probe.js';
import type {SweepEvent} from './types.js';

/** What a pass keeps of each port: enough for the recheck plan to group and compare failures. */
export interface PassVerdict {
	port: number;
	status: string;
	code: string | null;
}

/** Probe one port in one pass; undefined when cancelled part way. */
export type PortProbe<R> = (port: number, timing: PassTiming, pacer: Pacer, attempts: number) => Promise<R | undefined>;

export interface PassRunner<R extends PassVerdict> {
	/** The latest verdict of every port probed so far. */
	readonly results: Map<number, R>;
	/** Probe `ports` with at most `window` in flight, each through `pacer`; `attempts` is this pass's number. */
	run(ports: number[], timing: PassTiming, attempts: number, pacer: Pacer): Promise<void>;
	/** Probe one port now, outside the window's workers (a port handed on by another pass's worker, which holds its place). */
	one(port: number, timing: PassTiming, attempts: number, pacer: Pacer): Promise<void>;
}

/**
 * Workers started in one turn of the event loop. Each runs until it waits for its turn at the
 * pacer; 2000 at once (the whole window of a default check) held the loop for 20-50 ms as the
 * sweep began, just after the TUI's first frame. The pacer grants at most 128 sends a turn, so
 * 256 new workers a turn still keep it supplied.
 */
const WORKERS_PER_TURN = 256;

/**
 * Runs passes over ports against one server: a window of workers, each taking the next port
 * until none are left or the sweep is cancelled. A port cancelled part way keeps its earlier verdict.
 * `started` and `finished` hear each port (the Test 3 pass stays quiet: its results are not verdicts yet).
 */
export const createPassRunner = <R extends PassVerdict>(options: {
	window: number;
	signal: AbortSignal;
	/** The workers start a slice per turn of this clock (see WORKERS_PER_TURN). */
	clock: Clock;
	probe: PortProbe<R>;
	started?: (port: number) => void;
	finished?: (result: R) => void;
}): PassRunner<R> => {
	const {window, probe, signal} = options;
	const results = new Map<number, R>();
	const one = async (port: number, timing: PassTiming, attempts: number, pacer: Pacer) => {
		options.started?.(port);
		const result = await probe(port, timing, pacer, attempts);
		if (result && !signal.aborted) {
			results.set(port, result);
			options.finished?.(result);
		}
	};

	const runQueue = async (queue: PortQueue, timing: PassTiming, attempts: number, pacer: Pacer, workers: number) => {
		const worker = async () => {
			for (let port = await queue.take(); port !== undefined && !signal.aborted; port = await queue.take()) {
				await one(port, timing, attempts, pacer);
			}
		};

		const running: Array<Promise<void>> = [];
		for (let started = 0; started < workers && !signal.aborted; started += WORKERS_PER_TURN) {
			if (started > 0) {
				await nextTurn(options.clock);
			}

			for (let index = started; index < Math.min(workers, started + WORKERS_PER_TURN); index++) {
				running.push(worker());
			}
		}

		await Promise.all(running);
	};

	return {
		results,
		async run(ports, timing, attempts, pacer) {
			await runQueue(PortQueue.of(ports), timing, attempts, pacer, Math.min(window, ports.length));
		},
		one,
	};
};

/** Resolves on a later turn of the event loop: I/O, timers and the TUI's frame may run first. */
const nextTurn = async (clock: Clock): Promise<void> =>
	new Promise(resolve => {
		clock.setTimeout(resolve, 0);
	});

/** The events a pass of verdicts sends: each port as it starts and finishes. */
export const portEvents = (onEvent: (event: SweepEvent) => void) => ({
	started(port: number) {
		onEvent({type: 'port-started', port});
	},
	finished(result: Extract<SweepEvent, {type: 'port-finished'}>['result']) {
		onEvent({type: 'port-finished', result});
	},
});
