import {type Key, useInput} from 'ink';
import {type Dispatch, useCallback} from 'react';
import {keyIntent} from '../state/key-map.js';
import type {Intent} from '../state/types.js';

/** Keys become intents (state/key-map.ts); the reducer decides what they mean. */
export const useKeys = (dispatch: Dispatch<Intent>): void => {
	const onInput = useCallback(
		(input: string, key: Key) => {
			const intent = keyIntent(input, key);
			if (intent) {
				dispatch(intent);
			}
		},
		[dispatch],
	);
	useInput(onInput);
};
