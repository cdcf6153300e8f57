import {type Dispatch, useCallback, useEffect, useEffectEvent, useRef} from 'react';
import type {SweepRunner} from '../../check/sweep.js';
import type {CheckConfig, SweepEvent} from '../../check/types.js';
import {isRunning} from '../state/selectors.js';
import type {Intent, SweepState} from '../state/types.js';

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs the engine for each run the reducer asks for, and feeds its events back. Events arrive
 * by the thousand per second: they wait in a buffer and reach React as one update per tick,
 * which also moves the spinners and the clock. Nothing ticks once the sweep has stopped.
 */
export const useSweep = (
	state: SweepState,
	dispatch: Dispatch<Intent>,
	{config, run, tickMs}: {config: CheckConfig; run: SweepRunner; tickMs: number},
): void => {
	const buffer = useRef<SweepEvent[]>([]);
	const controller = useRef<AbortController | undefined>(undefined);
	const runId = useRef(state.run.id);
	useEffect(() => {
		runId.current = state.run.id;
	}, [state.run.id]);

	const flush = useCallback(
		(id: number) => {
			const events = buffer.current;
			buffer.current = [];
			dispatch({type: 'events', runId: id, events, now: Date.now()});
		},
		[dispatch],
	);

	const {id, ports, servicesAsked} = state.run;
	// The config and runner as they are when a run starts; changing them never starts one.
	const startRun = useEffectEvent((signal: AbortSignal, onEvent: (event: SweepEvent) => void) =>
		run(servicesAsked === undefined ? {...config, ports} : {...config, ports, services: servicesAsked ?? undefined}, {
			signal,
			onEvent,
		}),
	);
	useEffect(() => {
		const own = new AbortController();
		controller.current = own;
		buffer.current = [];
		dispatch({type: 'run-started', runId: id, now: Date.now()});
		const onEvent = (event: SweepEvent) => {
			// A late event from an earlier run must not land in this one.
			if (controller.current !== own) {
				return;
			}

			buffer.current.push(event);
			// The sweep's first packets go out now: show it at once rather than a tick after the
			// first frame (the first tick comes late, behind the engine's start). Each comes once a run.
			if (event.type === 'done' || event.type === 'test3-started' || event.type === 'sweep-started') {
				flush(id);
			}
		};

		Promise.resolve()
			.then(async () => startRun(own.signal, onEvent))
			.then(
				report => {
					if (controller.current === own) {
						flush(id);
					}

					dispatch({type: 'run-finished', runId: id, report, now: Date.now()});
				},
				(error: unknown) => {
					dispatch({type: 'run-failed', runId: id, error: describe(error), now: Date.now()});
				},
			);
		return () => {
			// Unmount (quit) or a newer run: close this run's sockets.
			own.abort();
		};
		// A run starts when the reducer hands out a new run id, and only then.
	}, [id, dispatch, flush]);

	const cancelling = state.run.phase === 'cancelling';
	useEffect(() => {
		if (cancelling) {
			controller.current?.abort();
		}
	}, [cancelling]);

	const running = isRunning(state);
	useEffect(() => {
		if (!running) {
			return;
		}

		const timer = setInterval(() => {
			flush(runId.current);
		}, tickMs);
		return () => {
			clearInterval(timer);
		};
	}, [running, tickMs, flush]);
};
