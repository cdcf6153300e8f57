import {type Key, useInput} from 'ink';
import {type Dispatch, useCallback} from 'react';
import type {Intent} from '../state/types.js';

/**
 * Keys become intents. Letters go to the reducer as they are, because what one means depends on
 * the state (a digit is a port number while the jump prompt is open): deciding here would read a
 * state that may be a render behind fast typing.
 */
export const useKeys = (dispatch: Dispatch<Intent>): void => {
	const onInput = useCallback(
		(input: string, key: Key) => {
			if (key.ctrl && input === 'c') {
				dispatch({type: 'interrupt'});
			} else if (key.escape) {
				// Ink sets key.meta on a bare Esc too, so Esc is tested before anything reads meta.
				dispatch({type: 'back'});
			} else if (key.return) {
				dispatch({type: 'enter'});
			} else if (key.backspace || key.delete) {
				dispatch({type: 'prompt-backspace'});
			} else if (key.upArrow) {
				dispatch({type: 'move', delta: -1});
			} else if (key.downArrow) {
				dispatch({type: 'move', delta: 1});
			} else if (key.pageUp) {
				dispatch({type: 'page', delta: -1});
			} else if (key.pageDown) {
				dispatch({type: 'page', delta: 1});
			} else if (key.home) {
				dispatch({type: 'edge', to: 'first'});
			} else if (key.end) {
				dispatch({type: 'edge', to: 'last'});
			} else if (key.leftArrow) {
				dispatch({type: 'step', delta: -1});
			} else if (key.rightArrow) {
				dispatch({type: 'step', delta: 1});
			} else if (!key.ctrl && !key.meta && input !== '') {
				dispatch({type: 'press', text: input});
			}
		},
		[dispatch],
	);
	useInput(onInput);
};
