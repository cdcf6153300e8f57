import type {CheckConfig, CheckReport, SweepEvent} from '../../check/types.js';
import {layoutOf, paneLines} from './layout.js';
import {mergeReport} from './merge-report.js';
import {ipOf, isRunning, rerunPorts, visibleRows} from './selectors.js';
import type {Filter, Intent, Pane, Row, Run, SweepState} from './types.js';

export const filters: Filter[] = ['all', 'failed', 'busy', 'ok'];

/** Command letters, when the jump prompt is not taking them as text. */
export const letterIntents: Readonly<Record<string, Intent>> = {
	k: {type: 'move', delta: -1},
	j: {type: 'move', delta: 1},
	g: {type: 'edge', to: 'first'},
	G: {type: 'edge', to: 'last'},
	f: {type: 'filter'},
	'/': {type: 'prompt-open'},
	':': {type: 'prompt-open'},
	F: {type: 'summary'},
	'?': {type: 'help'},
	c: {type: 'cancel'},
	q: {type: 'quit'},
	r: {type: 'rerun'},
	s: {type: 'save'},
};

const newRun = (id: number, ports: number[]): Run => ({
	id,
	ports,
	phase: 'starting',
	startedAt: null,
	finishedAt: null,
	finished: 0,
	lastStarted: null,
	cancelledAt: null,
	rechecking: null,
	error: null,
});

export const createState = (
	config: CheckConfig,
	options: {columns: number; rows: number; now: number; localAddress?: string; caption?: string},
): SweepState => {
	const rows: Row[] = config.ports.map(port => ({port, phase: 'queued', result: null}));
	return {
		config,
		localAddress: options.localAddress ?? config.bindAddress ?? null,
		viewport: {columns: options.columns, rows: options.rows},
		rows,
		rowIndex: new Map(rows.map((row, index) => [row.port, index])),
		server: null,
		serversTried: [],
		publicIp: config.publicIp ?? null,
		pacing: null,
		run: newRun(1, config.ports),
		report: null,
		filter: 'all',
		selected: rows[0]?.port ?? null,
		scrollTop: 0,
		follow: true,
		pane: {kind: 'table'},
		prompt: null,
		notice: null,
		caption: options.caption ?? null,
		frame: 0,
		now: options.now,
		save: {request: 0, phase: 'idle', paths: null},
		quitArmed: false,
		quitting: false,
	};
};

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), Math.max(min, max));

/** Position in table order, so "nearest port" means nearest row whatever the filter. */
const orderOf = (state: SweepState, port: number): number => state.rowIndex.get(port) ?? 0;

/** Keep a selected row that the filter shows, and keep it inside the window. */
const settle = (state: SweepState): SweepState => {
	const list = visibleRows(state.rows, state.filter);
	if (list.length === 0) {
		return state.selected === null && state.scrollTop === 0 ? state : {...state, selected: null, scrollTop: 0};
	}

	const height = layoutOf(state).tableRows;
	const following = state.follow && isRunning(state) && state.run.lastStarted !== null;
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

	// While following, leave room below for the ports still waiting: the sweep reads downward.
	let top = following ? index - Math.floor((height * 2) / 3) : state.scrollTop;
	if (index < top) {
		top = index;
	}

	if (index >= top + height) {
		top = index - height + 1;
	}

	top = clamp(top, 0, list.length - height);
	const selected = list[index]!.port;
	return selected === state.selected && top === state.scrollTop ? state : {...state, selected, scrollTop: top};
};

const moveBy = (state: SweepState, delta: number): SweepState => {
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

	const page = layoutOf(state).paneRows;
	const max = Math.max(0, paneLines(state).length - page);
	const scroll = clamp(to(pane.scroll, max, page), 0, max);
	return scroll === pane.scroll ? state : {...state, pane: {...pane, scroll}};
};

const withPane = (state: SweepState, pane: Pane): SweepState => settle({...state, pane, prompt: null});

const jump = (state: SweepState, port: number): SweepState => {
	if (!state.rowIndex.has(port)) {
		return {...state, notice: {text: `Port ${port} is not among the ports being checked.`, tone: 'warn'}};
	}

	const shown = visibleRows(state.rows, state.filter).some(row => row.port === port);
	return settle({
		...state,
		filter: shown ? state.filter : 'all',
		notice: shown ? null : {text: `Filter set back to all to show port ${port}.`, tone: 'info'},
		selected: port,
		follow: false,
		pane: {kind: 'table'},
	});
};

const foldEvents = (state: SweepState, events: SweepEvent[], now: number): SweepState => {
	let rows: Row[] | undefined;
	const writable = (): Row[] => (rows ??= [...state.rows]);
	const next: SweepState = {...state, run: {...state.run}, now, frame: state.frame + 1};
	const {run} = next;
	let report: CheckReport | undefined;
	for (const event of events) {
		switch (event.type) {
			case 'server-probing': {
				next.server = {host: event.host, port: event.port, info: null};
				break;
			}

			case 'server-rejected': {
				const {host, port, code, detail} = event;
				next.serversTried = [...next.serversTried, {host, port, code, detail}];
				break;
			}

			case 'server-ready': {
				next.server = {host: event.server.host, port: event.server.port, info: event.server};
				next.localAddress = event.localAddress ?? next.localAddress;
				break;
			}

			case 'sweep-started': {
				// Also sent again when the engine moves on to another server: start the count over.
				const table = writable();
				for (const port of event.ports) {
					const index = state.rowIndex.get(port);
					if (index !== undefined) {
						table[index] = {...table[index]!, phase: 'queued'};
					}
				}

				run.finished = 0;
				run.rechecking = null;
				break;
			}

			case 'port-started': {
				const index = state.rowIndex.get(event.port);
				if (index !== undefined) {
					const table = writable();
					const row = table[index]!;
					table[index] = {...row, phase: row.phase === 'done' || row.phase === 'rechecking' ? 'rechecking' : 'running'};
					run.lastStarted = event.port;
				}

				break;
			}

			case 'port-finished': {
				const {result} = event;
				const index = state.rowIndex.get(result.port);
				if (index === undefined) {
					break;
				}

				const table = writable();
				const row = table[index]!;
				if (row.phase === 'queued' || row.phase === 'running') {
					run.finished++;
				}

				if (row.phase === 'rechecking' && run.rechecking) {
					const left = run.rechecking.left - 1;
					run.rechecking = left > 0 ? {...run.rechecking, left} : null;
				}

				table[index] = {port: result.port, phase: 'done', result};
				if (!next.publicIp && result.mapped) {
					next.publicIp = ipOf(result.mapped) ?? null;
				}

				break;
			}

			case 'paced': {
				next.pacing = {rate: event.rate, reason: event.reason};
				break;
			}

			case 'confirming': {
				const table = writable();
				for (const port of event.ports) {
					const index = state.rowIndex.get(port);
					if (index !== undefined) {
						table[index] = {...table[index]!, phase: 'rechecking'};
					}
				}

				run.rechecking = {count: event.ports.length, left: event.ports.length, reason: event.reason};
				break;
			}

			case 'done': {
				report = event.report;
				break;
			}
		}
	}

	if (rows) {
		next.rows = rows;
	}

	return report ? finishRun(next, report, now) : settle(next);
};

const finishRun = (state: SweepState, report: CheckReport, now: number): SweepState => {
	const {run} = state;
	if (run.phase === 'finished' || run.phase === 'failed') {
		return state;
	}

	const rows = [...state.rows];
	for (const result of report.ports) {
		const index = state.rowIndex.get(result.port);
		if (index === undefined) {
			continue;
		}

		// A re-run cut short keeps the earlier verdict rather than forgetting it.
		const previous = rows[index]!.result;
		rows[index] = {port: result.port, phase: 'done', result: result.status === 'skipped' && previous ? previous : result};
	}

	for (const port of run.ports) {
		const index = state.rowIndex.get(port)!;
		if (rows[index]!.phase !== 'done') {
			rows[index] = {...rows[index]!, phase: 'done'};
		}
	}

	const cancelled = report.status === 'cancelled';
	const merged = state.report ? mergeReport(state.report, report, rows) : report;
	// Nobody has touched the keys: end on the first failure (or busy port) rather than the last row.
	const focus = state.follow
		? (rows.find(row => row.result?.status === 'fail') ?? rows.find(row => row.result?.status === 'busy'))
		: undefined;
	const focusIndex = focus ? visibleRows(rows, state.filter).indexOf(focus) : -1;
	return settle({
		...state,
		...(focusIndex >= 0 ? {selected: focus!.port, scrollTop: Math.max(0, focusIndex - 2), follow: false} : {}),
		rows,
		report: merged,
		localAddress: report.localAddress ?? state.localAddress,
		publicIp: report.publicAddress ?? state.publicIp,
		now,
		run: {
			...run,
			phase: 'finished',
			finishedAt: now,
			rechecking: null,
			// Counted from the report, which has every port of the run, checked or not.
			cancelledAt: cancelled
				? {done: report.ports.filter(result => result.status !== 'skipped').length, total: run.ports.length}
				: null,
		},
	});
};

const failRun = (state: SweepState, error: string, now: number): SweepState => {
	const rows = state.rows.map(row => (row.phase === 'done' ? row : {...row, phase: 'done' as const}));
	return settle({...state, rows, now, run: {...state.run, phase: 'failed', finishedAt: now, rechecking: null, error}});
};

const cancel = (state: SweepState): SweepState =>
	state.run.phase === 'starting' || state.run.phase === 'running'
		? {...state, run: {...state.run, phase: 'cancelling'}, notice: null}
		: state;

export const reducer = (state: SweepState, intent: Intent): SweepState => {
	switch (intent.type) {
		case 'events': {
			if (intent.runId !== state.run.id || !isRunning(state)) {
				return state;
			}

			return foldEvents(state, intent.events, intent.now);
		}

		case 'run-started': {
			if (intent.runId !== state.run.id || state.run.phase !== 'starting') {
				return state;
			}

			return {...state, now: intent.now, run: {...state.run, phase: 'running', startedAt: intent.now}};
		}

		case 'run-finished': {
			return intent.runId === state.run.id ? finishRun(state, intent.report, intent.now) : state;
		}

		case 'run-failed': {
			return intent.runId === state.run.id && isRunning(state) ? failRun(state, intent.error, intent.now) : state;
		}

		case 'viewport': {
			if (intent.columns === state.viewport.columns && intent.rows === state.viewport.rows) {
				return state;
			}

			const resized = settle({...state, viewport: {columns: intent.columns, rows: intent.rows}});
			return scrollPane(resized, scroll => scroll);
		}

		case 'move': {
			if (state.prompt !== null) {
				return state;
			}

			return state.pane.kind === 'table' ? moveBy(state, intent.delta) : scrollPane(state, scroll => scroll + intent.delta);
		}

		case 'page': {
			return state.pane.kind === 'table'
				? moveBy(state, intent.delta * layoutOf(state).tableRows)
				: scrollPane(state, (scroll, _max, page) => scroll + intent.delta * page);
		}

		case 'edge': {
			const far = intent.to === 'first' ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
			return state.pane.kind === 'table'
				? moveBy(state, far)
				: scrollPane(state, (_scroll, max) => (intent.to === 'first' ? 0 : max));
		}

		case 'step': {
			if (state.pane.kind !== 'detail') {
				return moveBy(state, intent.delta);
			}

			const moved = moveBy({...state, selected: state.pane.port}, intent.delta);
			return moved.selected === null ? moved : {...moved, pane: {kind: 'detail', port: moved.selected, scroll: 0}};
		}

		case 'filter': {
			if (state.pane.kind !== 'table') {
				return state;
			}

			const filter = intent.next ?? filters[(filters.indexOf(state.filter) + 1) % filters.length]!;
			return settle({...state, filter, notice: null});
		}

		case 'jump': {
			return jump(state, intent.port);
		}

		case 'press': {
			const chars = [...intent.text];
			if (chars.length > 1) {
				// A paste, or keys typed faster than the terminal sends them apart ("/9500⏎").
				return chars.reduce(
					(next, char) => reducer(next, char === '\r' || char === '\n' ? {type: 'enter'} : {type: 'press', text: char}),
					state,
				);
			}

			if (state.prompt !== null) {
				return reducer(state, {type: 'prompt-input', text: intent.text});
			}

			const command = letterIntents[intent.text];
			return command ? reducer(state, command) : state;
		}

		case 'enter': {
			return reducer(state, state.prompt === null ? {type: 'open'} : {type: 'prompt-submit'});
		}

		case 'prompt-open': {
			return state.pane.kind === 'table' ? {...state, prompt: ''} : state;
		}

		case 'prompt-input': {
			if (state.prompt === null) {
				return state;
			}

			const digits = intent.text.replaceAll(/\D/g, '');
			return digits === '' ? state : {...state, prompt: (state.prompt + digits).slice(0, 5)};
		}

		case 'prompt-backspace': {
			return state.prompt === null ? state : {...state, prompt: state.prompt.slice(0, -1)};
		}

		case 'prompt-submit': {
			if (state.prompt === null) {
				return state;
			}

			const text = state.prompt;
			const closed = {...state, prompt: null};
			return text === '' ? closed : jump(closed, Number(text));
		}

		case 'open': {
			const port = intent.port ?? state.selected;
			return port === null || !state.rowIndex.has(port)
				? state
				: withPane({...state, selected: port}, {kind: 'detail', port, scroll: 0});
		}

		case 'summary': {
			return withPane(state, state.pane.kind === 'summary' ? {kind: 'table'} : {kind: 'summary', scroll: 0});
		}

		case 'help': {
			return withPane(state, state.pane.kind === 'help' ? {kind: 'table'} : {kind: 'help', scroll: 0});
		}

		case 'back': {
			if (state.prompt !== null) {
				return {...state, prompt: null};
			}

			if (state.pane.kind !== 'table') {
				return withPane(state, {kind: 'table'});
			}

			return state.filter === 'all' ? {...state, notice: null} : settle({...state, filter: 'all', notice: null});
		}

		case 'cancel': {
			return isRunning(state)
				? cancel(state)
				: {...state, notice: {text: 'Nothing to cancel: the check has stopped.', tone: 'muted'}};
		}

		case 'interrupt': {
			// First Ctrl+C stops the sweep; the next one (or one after it stopped) quits.
			return state.run.phase === 'starting' || state.run.phase === 'running' ? cancel(state) : {...state, quitting: true};
		}

		case 'quit': {
			if (state.prompt !== null || state.pane.kind !== 'table') {
				return reducer(state, {type: 'back'});
			}

			if (state.run.phase === 'starting' || state.run.phase === 'running') {
				return {...cancel(state), quitArmed: true};
			}

			return {...state, quitting: true};
		}

		case 'rerun': {
			if (isRunning(state)) {
				return {
					...state,
					notice: {text: 'The check is still running: wait for it, or press c to cancel it first.', tone: 'warn'},
				};
			}

			const ports = rerunPorts(state.rows);
			if (ports.length === 0) {
				return {...state, notice: {text: 'No failed or busy ports to re-run.', tone: 'muted'}};
			}

			const again = new Set(ports);
			const rows = state.rows.map(row => (again.has(row.port) ? {...row, phase: 'queued' as const} : row));
			return settle({
				...state,
				rows,
				run: newRun(state.run.id + 1, ports),
				pacing: null,
				follow: true,
				pane: {kind: 'table'},
				notice: null,
				quitArmed: false,
			});
		}

		case 'save': {
			if (isRunning(state) || !state.report) {
				return {...state, notice: {text: 'Nothing to save yet: the report is ready when the check stops.', tone: 'warn'}};
			}

			// Back to the table, where the banner will say where the files went.
			return settle({
				...state,
				pane: {kind: 'table'},
				save: {request: state.save.request + 1, phase: 'saving', paths: null},
				notice: {text: 'Saving the report…', tone: 'info'},
			});
		}

		case 'saved': {
			if (intent.request !== state.save.request) {
				return state;
			}

			const {markdownPath, jsonPath} = intent.paths;
			return {
				...state,
				save: {...state.save, phase: 'saved', paths: intent.paths},
				notice: {text: `Saved ${markdownPath} and ${jsonPath}`, tone: 'ok'},
			};
		}

		case 'save-failed': {
			return intent.request === state.save.request
				? {
						...state,
						save: {...state.save, phase: 'failed'},
						notice: {text: `Could not save the report: ${intent.error}`, tone: 'bad'},
					}
				: state;
		}
	}
};
