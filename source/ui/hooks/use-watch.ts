import {useStdout} from 'ink';
import {type Dispatch, useEffect, useRef} from 'react';
import {isRunning} from '../state/selectors.js';
import type {Intent, SweepState} from '../state/types.js';

/**
 * Watch mode's two effects: the pause between rounds (the next round is the reducer's to start),
 * and the terminal bell, once for each round that brought a port to pass.
 */
export const useWatch = (
	state: SweepState,
	dispatch: Dispatch<Intent>,
	{pauseMs, bell, ring}: {pauseMs: number; bell: boolean; ring?: () => void},
): void => {
	const {stdout} = useStdout();
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
