import {words} from '../../catalog/index.js';
import {settle} from './navigation.js';
import {visibleRows} from './selectors.js';
import type {SweepState} from './types.js';

/** Port numbers have at most five digits. */
const maxDigits = 5;

/** Select a port, setting the filter back to all when it hides that port. */
export const jump = (state: SweepState, port: number): SweepState => {
	if (!state.rowIndex.has(port)) {
		return {...state, notice: {text: words().tui.notices.notAmongPorts(port), tone: 'warn'}};
	}

	const shown = visibleRows(state.rows, state.filter).some(row => row.port === port);
	return settle({
		...state,
		filter: shown ? state.filter : 'all',
		notice: shown ? null : {text: words().tui.notices.filterBack(port), tone: 'info'},
		selected: port,
		follow: false,
		pane: {kind: 'table'},
	});
};

/** The prompt opens over the table only. */
export const openPrompt = (state: SweepState): SweepState => (state.pane.kind === 'table' ? {...state, prompt: ''} : state);

/** Typing into the prompt keeps digits only, five at most; anything else leaves it as it is. */
export const typeIntoPrompt = (state: SweepState, text: string): SweepState => {
	if (state.prompt === null) {
		return state;
	}

	const digits = text.replaceAll(/\D/g, '');
	return digits === '' ? state : {...state, prompt: (state.prompt + digits).slice(0, maxDigits)};
};

export const erasePrompt = (state: SweepState): SweepState =>
	state.prompt === null ? state : {...state, prompt: state.prompt.slice(0, -1)};

/** Enter in the prompt: jump to the port typed, or just close an empty prompt. */
export const submitPrompt = (state: SweepState): SweepState => {
	if (state.prompt === null) {
		return state;
	}

	const text = state.prompt;
	const closed = {...state, prompt: null};
	return text === '' ? closed : jump(closed, Number(text));
};
