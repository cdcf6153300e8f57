import {words} from '../../catalog/index.js';
import {problemRanges as problemRangesOf} from '../../report/summary.js';
import type {CheckReport, PortResult} from '../../check/types.js';
import {ExitCode, exitCodeFor} from '../../check/report-model.js';
import {failedOrBusy} from '../../check/watch-rules.js';
import type {RemediationContext, VerdictCode} from '../../check/verdicts.js';
import {splitAddressText} from '../../stun/address.js';
import type {PathReport, RouterView} from '../../router/types.js';
import {hasServiceResults} from '../../report/services-text.js';
import type {Filter, Row, ServicesView, SweepState, Test3Progress} from './types.js';

export const isRunning = (state: SweepState): boolean =>
	state.run.phase === 'starting' || state.run.phase === 'running' || state.run.phase === 'cancelling';

/** The cursor follows the sweep: nobody has moved it yet and a port has started. */
export const isFollowing = (state: SweepState): boolean => state.follow && isRunning(state) && state.run.lastStarted !== null;

const matches = (row: Row, filter: Filter): boolean => {
	switch (filter) {
		case 'failed': {
			return row.result?.status === 'fail';
		}

		case 'busy': {
			return row.result?.status === 'busy';
		}

		case 'ok': {
			return row.result?.status === 'pass';
		}

		default: {
			return true;
		}
	}
};

// Rows change at most once per flush; the filtered list is asked for several times per frame.
let cached: {rows: Row[]; filter: Filter; list: Row[]} | undefined;

export const visibleRows = (rows: Row[], filter: Filter): Row[] => {
	if (filter === 'all') {
		return rows;
	}

	if (cached?.rows !== rows || cached.filter !== filter) {
		cached = {rows, filter, list: rows.filter(row => matches(row, filter))};
	}

	return cached.list;
};

export interface Counts {
	ok: number;
	/** Failed ports by verdict, most frequent first. */
	failed: Array<{code: VerdictCode; count: number}>;
	failedTotal: number;
	busy: number;
	pending: number;
	skipped: number;
}

/** Remember one answer per rows array: rows are replaced, never mutated, so identity is enough. */
const perRows = <T>(compute: (rows: Row[]) => T): ((rows: Row[]) => T) => {
	const answers = new WeakMap<Row[], T>();
	return rows => {
		let answer = answers.get(rows);
		if (answer === undefined) {
			answer = compute(rows);
			answers.set(rows, answer);
		}

		return answer;
	};
};

export const countRows = perRows((rows: Row[]): Counts => {
	const counts = {ok: 0, busy: 0, pending: 0, skipped: 0, failedTotal: 0};
	const failed = new Map<VerdictCode, number>();
	for (const row of rows) {
		if (row.phase === 'queued' || row.phase === 'running') {
			counts.pending++;
			continue;
		}

		switch (row.result?.status) {
			case 'pass': {
				counts.ok++;
				break;
			}

			case 'busy': {
				counts.busy++;
				break;
			}

			case 'fail': {
				counts.failedTotal++;
				const code = row.result.code ?? 'some-failed';
				failed.set(code, (failed.get(code) ?? 0) + 1);
				break;
			}

			default: {
				counts.skipped++;
			}
		}
	}

	return {...counts, failed: [...failed].map(([code, count]) => ({code, count})).sort((a, b) => b.count - a.count)};
});

/** What the Test 3 pass is doing, for the bar's label: its count, or the chunk it rechecks. */
const test3Words = (test3: Test3Progress): string => {
	const said = words().tui.progress;
	return (
		said.test3(test3.seen, test3.total) +
		(test3.recheck ? said.test3Recheck(test3.recheck.low, test3.recheck.high) : said.test3In(test3.passed))
	);
};

/**
 * How far the run is. Slow rechecks of failures count too, so the bar does not sit at 100%
 * while verdicts can still change; the label then says what is going on. While the run has a
 * Test 3 pass, each port counts twice (its Test 3, then Tests 1-2), so the bar moves from the
 * first Test 3 on rather than waiting for the first verdict, and the label names the test running.
 */
export const progressOf = (state: SweepState): {done: number; total: number; label?: string} => {
	const {finished, ports, rechecking, test3} = state.run;
	const early = test3 && isRunning(state) ? {done: test3.seen, total: ports.length} : {done: 0, total: 0};
	if (!rechecking) {
		if (!test3 || !isRunning(state)) {
			return {done: finished, total: ports.length};
		}

		const tests12 = words().tui.progress.tests12(finished, ports.length);
		return {
			done: early.done + finished,
			total: early.total + ports.length,
			label: test3.finished ? ` ${tests12}` : ` ${test3Words(test3)} · ${tests12}`,
		};
	}

	const rechecked = rechecking.count - rechecking.left;
	return {
		done: early.done + finished + rechecked,
		total: early.total + ports.length + rechecking.count,
		label: words().tui.progress.rechecking(rechecked, rechecking.count),
	};
};

/** Failed and busy ports as ranges of one verdict each: the reports' grouping, memoised per table. */
export const problemRanges = perRows((rows: Row[]) =>
	problemRangesOf(rows.map(row => row.result).filter((result): result is PortResult => result !== null)),
);

/** Ports to check again: failed and busy ones, whatever the filter shows. */
export const rerunPorts = (rows: Row[]): number[] => rows.filter(row => failedOrBusy(row.result)).map(row => row.port);

/** The router view and path: the report's once the run is done, else what arrived during it. */
export const networkOf = (state: SweepState): {router?: RouterView; path?: PathReport} => ({
	router: state.report?.router ?? state.network?.router,
	path: state.report?.path ?? state.network?.path,
});

export const remediationContext = (
	state: SweepState,
	ports: string,
	result?: PortResult,
	portNumbers: number[] = result ? [result.port] : [],
): RemediationContext => ({
	...networkOf(state),
	hostFirewall: state.report?.hostFirewall,
	portNumbers,
	ports,
	pbxAddress: state.localAddress ?? undefined,
	publicIp: state.config.publicIp ?? state.publicIp ?? undefined,
	server: state.server?.host ?? state.config.servers[0]?.host,
	process: result?.owner ?? undefined,
});

/** The exit code the TUI leaves with: the report's, or what stopped the run before it had one. */
export const exitCodeOf = (state: SweepState): number => {
	const {report} = state;
	if (!report) {
		return state.run.phase === 'failed' ? ExitCode.couldNotRun : ExitCode.cancelled;
	}

	return exitCodeFor(report.status);
};

/** "203.0.113.7" from "203.0.113.7:9000" or "[2001:db8::1]:9000". */
export const ipOf = (mapped: string): string | undefined => splitAddressText(mapped)?.ip;

/**
 * The SIP and TCP checks: the report's once it has them, else what their events said (a re-run
 * that leaves them out keeps the first run's); null when they never ran.
 */
export const servicesOf = (state: SweepState): ServicesView | null => {
	const {report, services} = state;
	if (!report || !hasServiceResults(report)) {
		return services;
	}

	// One view per report, so what is built from it can be remembered per view.
	let view = servicesFromReport.get(report);
	if (!view) {
		const {sip, sipService, tcp} = report;
		view = {
			phase: 'finished',
			sipPort: sipService?.port ?? services?.sipPort ?? 5060,
			tcpPorts: tcp?.map(result => result.port) ?? services?.tcpPorts ?? [],
			results: {services: report.services, sip, sipService, tcp},
		};
		servicesFromReport.set(report, view);
	}

	return view;
};

const servicesFromReport = new WeakMap<CheckReport, ServicesView>();
