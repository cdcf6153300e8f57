import {useStdout} from 'ink';
import {type Dispatch, useEffect, useRef} from 'react';
import {isRunning} from '../state/selectors.js';
import type {Intent, SweepState} from '../state/types.js';

/**
 * Watch mode's effects: the pause between rounds (the next round is the reducer's to start), the
 * terminal bell, once for each round that brought a port to pass, and with --watch the start of
 * watching as soon as the first check has ended.
 */
export const useWatch = (
	state: SweepState,
	dispatch: Dispatch<Intent>,
	{pauseMs, bell, ring, startAfterCheck = false}: {pauseMs: number; bell: boolean; ring?: () => void; startAfterCheck?: boolean},
): void => {
	const {stdout} = useStdout();
	// Only after the first check, and not when the user cancelled it: that says "stop", not "watch".
	const ended = state.report === null || isRunning(state) ? null : state.report.status;
	const started = useRef(false);
	useEffect(() => {
		if (startAfterCheck && ended !== null && !started.current) {
			started.current = true;
			if (ended !== 'cancelled') {
				dispatch({type: 'watch', now: Date.now()});
			}
		}
	}, [startAfterCheck, ended, dispatch]);

	const waiting = Boolean(state.watch && !state.watch.stopped && !isRunning(state));
	const round = state.watch?.round ?? 0;
	useEffect(() => {
		if (!waiting) {
			return;
		}

		const timer = setTimeout(() => {
			dispatch({type: 'watch-round'});
		}, pauseMs);
		return () => {
			clearTimeout(timer);
		};
	}, [waiting, round, pauseMs, dispatch]);

	const bells = state.watch?.bells ?? 0;
	const rung = useRef(0);
	useEffect(() => {
		if (bells > rung.current) {
			rung.current = bells;
			if (bell) {
				if (ring) {
					ring();
				} else {
					stdout.write('\u0007');
				}
			}
		}
	}, [bells, bell, ring, stdout]);
};
