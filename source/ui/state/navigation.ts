import {isFollowing, visibleRows} from './selectors.js';
import type {Filter, IntentOf, Pane, SweepState} from './types.js';

/** The order `f` steps through. */
export const filters: Filter[] = ['all', 'failed', 'busy', 'ok'];

export const nextFilter = (filter: Filter): Filter => filters[(filters.indexOf(filter) + 1) % filters.length]!;

export const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * The first row of a window `height` rows high that shows row `index`, moving as little as
 * possible from `top`; while following a sweep, the row sits a third of the way down, leaving
 * room below for the ports still waiting (the sweep reads downward).
 */
export const windowTop = ({
	index,
	top,
	height,
	count,
	following,
}: {
	index: number;
	top: number;
	height: number;
	count: number;
	following: boolean;
}): number => {
	let next = following ? index - Math.floor((height * 2) / 3) : top;
	if (index < next) {
		next = index;
	}

	if (index >= next + height) {
		next = index - height + 1;
	}

	return clamp(next, 0, count - height);
};

/** Position in table order, so "nearest port" means nearest row whatever the filter. */
const orderOf = (state: SweepState, port: number): number => state.rowIndex.get(port) ?? 0;

/** Keep a selected row that the filter shows, and keep it inside the window. */
export const settle = (state: SweepState): SweepState => {
	const list = visibleRows(state.rows, state.filter);
	if (list.length === 0) {
		return state.selected === null && state.scrollTop === 0 ? state : {...state, selected: null, scrollTop: 0};
	}

	const following = isFollowing(state);
	let index: number;
	if (following) {
		// The latest port started, or the last row before it that the filter shows.
		const target = orderOf(state, state.run.lastStarted!);
		index =
			state.filter === 'all'
				? target
				: Math.max(
						0,
						list.findLastIndex(row => orderOf(state, row.port) <= target),
					);
	} else {
		index = state.selected === null ? 0 : list.findIndex(row => row.port === state.selected);
		if (index < 0) {
			const target = orderOf(state, state.selected!);
			const after = list.findIndex(row => orderOf(state, row.port) >= target);
			index = after < 0 ? list.length - 1 : after;
		}
	}

	const top = windowTop({index, top: state.scrollTop, height: state.measure.tableRows(state), count: list.length, following});
	const selected = list[index]!.port;
	return selected === state.selected && top === state.scrollTop ? state : {...state, selected, scrollTop: top};
};

export const moveBy = (state: SweepState, delta: number): SweepState => {
	const list = visibleRows(state.rows, state.filter);
	if (list.length === 0) {
		return state;
	}

	const current = Math.max(
		0,
		list.findIndex(row => row.port === state.selected),
	);
	return settle({...state, follow: false, selected: list[clamp(current + delta, 0, list.length - 1)]!.port});
};

const scrollPane = (state: SweepState, to: (scroll: number, max: number, page: number) => number): SweepState => {
	const {pane} = state;
	if (pane.kind === 'table') {
		return state;
	}

	const page = state.measure.paneRows(state);
	const max = Math.max(0, state.measure.paneLineCount(state) - page);
	const scroll = clamp(to(pane.scroll, max, page), 0, max);
	return scroll === pane.scroll ? state : {...state, pane: {...pane, scroll}};
};

export const withPane = (state: SweepState, pane: Pane): SweepState => settle({...state, pane, prompt: null});

export const resize = (state: SweepState, {columns, rows}: IntentOf<'viewport'>): SweepState => {
	if (columns === state.viewport.columns && rows === state.viewport.rows) {
		return state;
	}

	return scrollPane(settle({...state, viewport: {columns, rows}}), scroll => scroll);
};

/** Up and down: the selection in the table, the text in a pane. */
export const move = (state: SweepState, {delta}: IntentOf<'move'>): SweepState => {
	if (state.prompt !== null) {
		return state;
	}

	return state.pane.kind === 'table' ? moveBy(state, delta) : scrollPane(state, scroll => scroll + delta);
};

export const page = (state: SweepState, {delta}: IntentOf<'page'>): SweepState =>
	state.pane.kind === 'table'
		? moveBy(state, delta * state.measure.tableRows(state))
		: scrollPane(state, (scroll, _max, height) => scroll + delta * height);

export const edge = (state: SweepState, {to}: IntentOf<'edge'>): SweepState => {
	const far = to === 'first' ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
	return state.pane.kind === 'table' ? moveBy(state, far) : scrollPane(state, (_scroll, max) => (to === 'first' ? 0 : max));
};

/** Left and right: the previous or next port, in the drill-down too. */
export const step = (state: SweepState, {delta}: IntentOf<'step'>): SweepState => {
	if (state.pane.kind !== 'detail') {
		return moveBy(state, delta);
	}

	const moved = moveBy({...state, selected: state.pane.port}, delta);
	return moved.selected === null ? moved : {...moved, pane: {kind: 'detail', port: moved.selected, scroll: 0}};
};

export const filter = (state: SweepState, {next}: IntentOf<'filter'>): SweepState =>
	state.pane.kind === 'table' ? settle({...state, filter: next ?? nextFilter(state.filter), notice: null}) : state;

export const open = (state: SweepState, {port: given}: IntentOf<'open'>): SweepState => {
	const port = given ?? state.selected;
	return port === null || !state.rowIndex.has(port)
		? state
		: withPane({...state, selected: port}, {kind: 'detail', port, scroll: 0});
};

/** F, n, v and ?: open the pane, or close it when it is the one showing. */
export const toggle = (state: SweepState, kind: 'summary' | 'help' | 'router' | 'services'): SweepState =>
	withPane(state, state.pane.kind === kind ? {kind: 'table'} : {kind, scroll: 0});

/** Esc: close the prompt, else the pane, else the filter. */
export const back = (state: SweepState): SweepState => {
	if (state.prompt !== null) {
		return {...state, prompt: null};
	}

	if (state.pane.kind !== 'table') {
		return withPane(state, {kind: 'table'});
	}

	return state.filter === 'all' ? {...state, notice: null} : settle({...state, filter: 'all', notice: null});
};
