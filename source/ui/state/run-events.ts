/**
 * The engine's side of the state: events folded into rows and counts, and the end of a run.
 * Every intent here carries its run's id, so a late one from an earlier run changes nothing.
 */
import type {CheckReport, SweepEvent} from '../../check/types.js';
import {mergeReport} from './merge-report.js';
import {settle} from './navigation.js';
import {ipOf, isRunning, visibleRows} from './selectors.js';
import type {IntentOf, Row, SweepState} from './types.js';

/** One tick's worth of engine events, applied in order as one update. */
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
						table[index] = {...table[index]!, phase: 'queued', test3: undefined};
					}
				}

				run.finished = 0;
				run.rechecking = null;
				run.test3 = null;
				break;
			}

			case 'test3-started': {
				run.test3 = {total: event.ports.length, seen: 0, passed: 0, recheck: null, finished: false};
				break;
			}

			case 'test3-port': {
				const index = state.rowIndex.get(event.port);
				const row = index === undefined ? undefined : (rows ?? state.rows)[index]!;
				if (!row || !run.test3 || (row.phase !== 'queued' && row.phase !== 'running')) {
					break;
				}

				if (event.attempt === 1) {
					run.test3 = {...run.test3, seen: run.test3.seen + 1, passed: run.test3.passed + (event.outcome === 'pass' ? 1 : 0)};
				}

				writable()[index!] = {...row, test3: event.outcome === 'fail' ? 'fail?' : event.outcome};
				break;
			}

			case 'test3-rechecking': {
				if (run.test3) {
					const low = event.ports.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
					const high = event.ports.reduce((a, b) => Math.max(a, b), 0);
					run.test3 = {...run.test3, recheck: {low, high, count: event.ports.length}};
				}

				const table = writable();
				for (const port of event.ports) {
					const index = state.rowIndex.get(port);
					if (index !== undefined && table[index]!.test3 === 'fail?') {
						table[index] = {...table[index]!, test3: 'confirming'};
					}
				}

				break;
			}

			case 'test3-finished': {
				if (run.test3) {
					run.test3 = {...run.test3, seen: run.test3.total, recheck: null, finished: true};
				}

				break;
			}

			case 'port-started': {
				const index = state.rowIndex.get(event.port);
				if (index !== undefined) {
					const table = writable();
					const row = table[index]!;
					// Tests 1-2 start on a failed Test 3 only once that failure stood.
					const test3 = row.test3 === 'fail?' || row.test3 === 'confirming' ? 'fail' : row.test3;
					table[index] = {
						...row,
						phase: row.phase === 'done' || row.phase === 'rechecking' ? 'rechecking' : 'running',
						test3,
					};
					run.lastStarted = event.port;
					// A failure in the chunk being rechecked goes on to Tests 1-2: it stood, that recheck is over.
					const recheck = run.test3?.recheck;
					if (recheck && test3 === 'fail' && row.test3 !== 'fail' && event.port >= recheck.low && event.port <= recheck.high) {
						run.test3 = {...run.test3!, recheck: null};
					}
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

			case 'network': {
				next.network = {router: event.router, path: event.path};
				break;
			}

			case 'services-started': {
				next.services = {phase: 'running', sipPort: event.sipPort, tcpPorts: event.tcp, results: {}};
				break;
			}

			case 'services-finished': {
				const {services, sip, sipService, tcp} = event;
				next.services = {
					phase: 'finished',
					sipPort: next.services?.sipPort ?? sipService?.port ?? 5060,
					tcpPorts: next.services?.tcpPorts ?? (tcp ?? []).map(result => result.port),
					results: {services, sip, sipService, tcp},
				};
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
	// A run cut short replaces what its own ports showed with what stands of them (findings not
	// confirmed read as cancelled), but a re-run cut short keeps an earlier run's verdict.
	const earlier = state.report ? new Map(state.report.ports.map(result => [result.port, result])) : undefined;
	for (const result of report.ports) {
		const index = state.rowIndex.get(result.port);
		if (index === undefined) {
			continue;
		}

		const previous = result.provisional ? earlier?.get(result.port) : rows[index]!.result;
		const keep = result.status === 'skipped' && previous && previous.status !== 'skipped';
		rows[index] = {port: result.port, phase: 'done', result: keep ? previous : result};
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

export const runStarted = (state: SweepState, {runId, now}: IntentOf<'run-started'>): SweepState =>
	runId !== state.run.id || state.run.phase !== 'starting'
		? state
		: {...state, now, run: {...state.run, phase: 'running', startedAt: now}};

export const runEvents = (state: SweepState, {runId, events, now}: IntentOf<'events'>): SweepState =>
	runId !== state.run.id || !isRunning(state) ? state : foldEvents(state, events, now);

export const runFinished = (state: SweepState, {runId, report, now}: IntentOf<'run-finished'>): SweepState =>
	runId === state.run.id ? finishRun(state, report, now) : state;

export const runFailed = (state: SweepState, {runId, error, now}: IntentOf<'run-failed'>): SweepState =>
	runId === state.run.id && isRunning(state) ? failRun(state, error, now) : state;
