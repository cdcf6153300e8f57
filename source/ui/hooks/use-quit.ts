import {useApp} from 'ink';
import {useEffect, useEffectEvent} from 'react';
import type {CheckReport} from '../../check/types.js';
import {exitCodeOf, isRunning} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';

// The engine promises to stop at once on abort; if it ever does not, quit anyway.
const engineGraceMs = 2000;

/** Leaves once quitting was asked for and the engine has let go of its sockets. */
export const useQuit = (state: SweepState, onExit?: (report: CheckReport | null, exitCode: number) => void): void => {
	const {exit} = useApp();
	const running = isRunning(state);
	const {quitting} = state;
	const leave = useEffectEvent(() => {
		onExit?.(state.report, exitCodeOf(state));
		exit();
	});

	useEffect(() => {
		if (!quitting) {
			return;
		}

		if (!running) {
			leave();
			return;
		}

		const timer = setTimeout(() => {
			leave();
		}, engineGraceMs);
		return () => {
			clearTimeout(timer);
		};
	}, [quitting, running]);
};
