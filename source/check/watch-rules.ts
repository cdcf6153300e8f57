/**
 * Watch mode's decisions, shared by the TUI (w) and the plain output (--watch): which ports a
 * round checks again, which started to pass, which service checks run again, how a round's
 * report joins the one before, and when watching stops. Pure; the pauses and the bell are the
 * callers'.
 */
import {mergeReports} from './report-model.js';
import {readNotNeeded} from './host-firewall-need.js';
import type {CheckReport, PortResult, ServicesConfig, TcpPortResult} from './types.js';
import {settleHostFirewall} from './host-firewall-settle.js';

/** Watching stops by itself after this long, and says so. */
export const watchLimitMs = 60 * 60 * 1000;
/** The pause between rounds unless the user gives another. */
export const defaultWatchPauseMs = 10_000;

/** Why watching stopped: every watched port passes, the hour is up, or the user (or a cancel) stopped it. */
export type WatchStop = 'all pass' | 'an hour' | 'stopped';

/** A result worth checking again: the port failed, or another program held it. */
export const failedOrBusy = (result: Pick<PortResult, 'status'> | null | undefined): boolean =>
	result?.status === 'fail' || result?.status === 'busy';

/** The ports a round checks again, in the order given. */
export const watchedPorts = (results: readonly PortResult[]): number[] =>
	results.filter(result => failedOrBusy(result)).map(result => result.port);

/** Of the `watched` ports, those that pass in `results`. */
export const startedToPass = (watched: Iterable<number>, results: readonly PortResult[]): number[] => {
	const was = new Set(watched);
	return results.filter(result => was.has(result.port) && result.status === 'pass').map(result => result.port);
};

/** After a round: whether watching stops, and why; null to go on. */
export const watchStop = ({
	interrupted,
	left,
	elapsedMs,
}: {
	interrupted: boolean;
	left: number;
	elapsedMs: number;
}): WatchStop | null => (interrupted ? 'stopped' : left === 0 ? 'all pass' : elapsedMs >= watchLimitMs ? 'an hour' : null);

/**
 * The service checks a round runs again: only those that failed (a SIP ALG counts as failed);
 * undefined when none did. One that was skipped (the server is not `fwcheck serve`) stays skipped.
 */
export const servicesToRecheck = (asked: ServicesConfig | undefined, report: CheckReport): ServicesConfig | undefined => {
	if (!asked) {
		return undefined;
	}

	const alg = report.sip ? [report.sip.udp, report.sip.tcp] : [];
	const service = report.sipService ? [report.sipService.udp, report.sipService.tcp] : [];
	const sip =
		asked.sip && (alg.some(check => check.alg || check.status === 'fail') || service.some(check => check.status === 'fail'));
	const tcp = (report.tcp ?? []).filter(result => result.status === 'fail').map(result => result.port);
	return sip || tcp.length > 0 ? {sip, sipPort: asked.sipPort, tcp} : undefined;
};

/** Each TCP port's latest result: a round may have checked only some of them again. */
const latestTcp = (previous: TcpPortResult[] | undefined, round: TcpPortResult[] | undefined): TcpPortResult[] | undefined => {
	if (!round) {
		return previous;
	}

	const latest = new Map(round.map(result => [result.port, result]));
	return previous ? previous.map(result => latest.get(result.port) ?? result) : round;
};

/**
 * A round's report with the service checks it did not run again filled in from `previous`, so a
 * merge keeps them: a round asks only for those that failed.
 */
export const withServicesKept = (previous: CheckReport, round: CheckReport): CheckReport => {
	if (!round.services) {
		return round;
	}

	const sip = round.sip ?? previous.sip;
	const sipService = round.sipService ?? previous.sipService;
	const tcp = latestTcp(previous.tcp, round.tcp);
	return {...round, ...(sip && {sip}), ...(sipService && {sipService}), ...(tcp && {tcp})};
};

/**
 * The report after a round: each port's latest result, the service checks the round did not run
 * kept as they were, the verdict worked out again over all of it. It keeps the first check's
 * origin (when the check started) and host firewall reading (which covers every checked port,
 * not just the round's).
 */
export const mergeWatchRound = (previous: CheckReport, round: CheckReport): CheckReport => {
	const latest = new Map(round.ports.map(result => [result.port, result]));
	const ports = previous.ports.map(result => latest.get(result.port) ?? result);
	const {origin, hostFirewall, ...merged} = mergeReports(previous, withServicesKept(previous, round), ports);
	const keptOrigin = previous.origin ?? origin;
	// The first reading covers every port; one not made because nothing had failed yields to a round's.
	const keptFirewall = readNotNeeded(previous.hostFirewall)
		? (hostFirewall ?? previous.hostFirewall)
		: (previous.hostFirewall ?? hostFirewall);
	// Ports that pass now are not blamed on this host, whatever an earlier reading said of them.
	const settled = keptFirewall && settleHostFirewall(keptFirewall, ports);
	return {...merged, ...(keptOrigin && {origin: keptOrigin}), ...(settled && {hostFirewall: settled})};
};
