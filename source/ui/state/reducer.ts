/**
 * Every intent, key or engine event, goes through here to the module that owns what it changes:
 * run-events (the engine), run-control (cancel, quit, re-run), save-flow (save), navigation (selection,
 * panes, filter), jump (the jump prompt). Keys are mapped in key-map.
 */
import {jump, openPrompt, submitPrompt, erasePrompt, typeIntoPrompt} from './jump.js';
import {letterIntent, splitPress} from './key-map.js';
import {back, edge, filter, move, open, page, resize, step, toggle} from './navigation.js';
import {cancel, interrupt, quit, rerun} from './run-control.js';
import {runEvents, runFailed, runFinished, runStarted} from './run-events.js';
import {save, saveFailed, saved} from './save-flow.js';
import type {Intent, SweepState} from './types.js';
import {afterWatchRound, toggleWatch, watchRound} from './watch.js';

// The state's constructor, next to the reducer: the pair useReducer takes.
export {createState} from './initial-state.js';

export const reducer = (state: SweepState, intent: Intent): SweepState => {
	switch (intent.type) {
		case 'events': {
			// The engine's done event can end a run too.
			return afterWatchRound(state, runEvents(state, intent), intent.now);
		}

		case 'run-started': {
			return runStarted(state, intent);
		}

		case 'run-finished': {
			return afterWatchRound(state, runFinished(state, intent), intent.now);
		}

		case 'run-failed': {
			return afterWatchRound(state, runFailed(state, intent), intent.now);
		}

		case 'viewport': {
			return resize(state, intent);
		}

		case 'move': {
			return move(state, intent);
		}

		case 'page': {
			return page(state, intent);
		}

		case 'edge': {
			return edge(state, intent);
		}

		case 'step': {
			return step(state, intent);
		}

		case 'filter': {
			return filter(state, intent);
		}

		case 'jump': {
			return jump(state, intent.port);
		}

		case 'press': {
			const pieces = splitPress(intent.text);
			if (pieces) {
				// Each piece sees the state the one before it left (a "/" opens the prompt for the digits).
				return pieces.reduce(reducer, state);
			}

			if (state.prompt !== null) {
				return typeIntoPrompt(state, intent.text);
			}

			const command = letterIntent(intent.text);
			return command ? reducer(state, command) : state;
		}

		case 'enter': {
			return state.prompt === null ? open(state, {type: 'open'}) : submitPrompt(state);
		}

		case 'prompt-open': {
			return openPrompt(state);
		}

		case 'prompt-input': {
			return typeIntoPrompt(state, intent.text);
		}

		case 'prompt-backspace': {
			return erasePrompt(state);
		}

		case 'prompt-submit': {
			return submitPrompt(state);
		}

		case 'open': {
			return open(state, intent);
		}

		case 'summary': {
			return toggle(state, 'summary');
		}

		case 'help': {
			return toggle(state, 'help');
		}

		case 'router': {
			return toggle(state, 'router');
		}

		case 'services': {
			return toggle(state, 'services');
		}

		case 'back': {
			return back(state);
		}

		case 'cancel': {
			return cancel(state);
		}

		case 'interrupt': {
			return interrupt(state);
		}

		case 'quit': {
			return quit(state);
		}

		case 'rerun': {
			return rerun(state);
		}

		case 'watch': {
			return toggleWatch(state, intent.now ?? state.now);
		}

		case 'watch-round': {
			return watchRound(state);
		}

		case 'save': {
			return save(state);
		}

		case 'saved': {
			return saved(state, intent);
		}

		case 'save-failed': {
			return saveFailed(state, intent);
		}
	}
};
