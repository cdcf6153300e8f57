import type {Pacer} from './pacer.js';
import {type PassTiming, type ProbeContext, probePort} from './probe.js';
import type {PortResult, SweepEvent} from './types.js';

export interface PassRunner {
	/** The latest verdict of every port probed so far. */
	readonly results: Map<number, PortResult>;
	/** Probe `ports` with at most `window` in flight, each through `pacer`; `attempts` is this pass's number. */
	run(ports: number[], timing: PassTiming, attempts: number, pacer: Pacer): Promise<void>;
}

/**
 * Runs passes over ports against one server: a window of workers, each taking the next port
 * until none are left or the sweep is cancelled. A port cancelled part way keeps its earlier verdict.
 */
export const createPassRunner = (options: {
	window: number;
	probe: Omit<ProbeContext, 'pacer'>;
	onEvent: (event: SweepEvent) => void;
}): PassRunner => {
	const {window, probe, onEvent} = options;
	const {signal} = probe;
	const results = new Map<number, PortResult>();
	return {
		results,
		async run(ports, timing, attempts, pacer) {
			let next = 0;
			const worker = async () => {
				while (next < ports.length && !signal.aborted) {
					const port = ports[next++]!;
					onEvent({type: 'port-started', port});
					const result = await probePort(port, timing, {...probe, pacer}, attempts);
					if (result && !signal.aborted) {
						results.set(port, result);
						onEvent({type: 'port-finished', result});
					}
				}
			};

			await Promise.all(Array.from({length: Math.min(window, ports.length)}, worker));
		},
	};
};
