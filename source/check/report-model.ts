/**
 * The report model, in one place: how port results add up to an overall verdict and status, the
 * exit code a status means, how a re-run merges into the report it repeats, and how counters add
 * up. The sweep, the TUI and the CLI all ask here, so they cannot disagree.
 */
import {splitAddressText} from '../stun/address.js';
import type {CheckReport, CheckStats, CheckStatus, PortResult, ServicesResult} from './types.js';
import {type VerdictCode, verdictMessage} from './verdicts.js';

/** Exit codes: 0 ok, 1 failed ports, 2 usage error, 3 check could not run, 130 cancelled. */
export const ExitCode = {
	ok: 0,
	failed: 1,
	usage: 2,
	couldNotRun: 3,
	cancelled: 130,
} as const;

/**
 * Ports this host kept from being checked (another program holds them, or this user may not bind
 * them), in the order the headline names them: nothing was learned of the router from them.
 */
const notCheckedHere: readonly VerdictCode[] = ['port-in-use', 'port-not-permitted'];

/**
 * One code for the whole check: the ports' common code; beside ports that are ok, why the others
 * could not be checked (saying that some ports are not forwarded would not be true); else some-failed.
 */
export const overallCode = (results: PortResult[]): VerdictCode => {
	const codes = new Set(results.map(result => result.code ?? 'cancelled'));
	if (codes.size === 1) {
		return [...codes][0]!;
	}

	const notChecked = notCheckedHere.find(code => codes.has(code));
	if (notChecked && [...codes].every(code => code === 'ok' || notCheckedHere.includes(code))) {
		return notChecked;
	}

	return 'some-failed';
};

/**
 * The first failing service check's code: a SIP ALG first (the service checks' headline), then
 * the SIP service, then the TCP ports. Skipped checks never count.
 */
export const failingServiceCode = (services: Omit<ServicesResult, 'services'> | undefined): VerdictCode | undefined => {
	if (!services) {
		return undefined;
	}

	const sip = services.sip ? [services.sip.udp, services.sip.tcp] : [];
	if (sip.some(check => check.alg)) {
		return 'sip-alg';
	}

	const failing = [
		...sip,
		...(services.sipService ? [services.sipService.udp, services.sipService.tcp] : []),
		...(services.tcp ?? []),
	].find(check => check.status === 'fail');
	return failing ? (failing.code ?? 'some-failed') : undefined;
};

/**
 * Status, code and sentence of a check that ran: cancelled when not every port was checked. A
 * failing service check (a SIP ALG, a TCP port, a silent SIP service) fails a check whose ports
 * all passed, and gives its code; a port's code outranks it.
 */
export const overallVerdict = (
	results: PortResult[],
	cancelled: boolean,
	services?: Omit<ServicesResult, 'services'>,
): Pick<CheckReport, 'status' | 'code' | 'message'> => {
	const portCode = cancelled ? 'cancelled' : overallCode(results);
	const serviceCode = portCode === 'ok' ? failingServiceCode(services) : undefined;
	const code = serviceCode ?? portCode;
	const status: CheckStatus = cancelled ? 'cancelled' : code === 'ok' ? 'pass' : 'fail';
	return {status, code, message: verdictMessage(code)};
};

export const exitCodeFor = (status: CheckStatus): number => {
	switch (status) {
		case 'pass': {
			return ExitCode.ok;
		}

		case 'fail': {
			return ExitCode.failed;
		}

		case 'cancelled': {
			return ExitCode.cancelled;
		}

		default: {
			return ExitCode.couldNotRun;
		}
	}
};

/** The public IP most ports left from (a dual-WAN router may use more than one). */
export const mostCommonIp = (results: PortResult[]): string | null => {
	const counts = new Map<string, number>();
	for (const {mapped} of results) {
		const ip = mapped === null ? undefined : splitAddressText(mapped)?.ip;
		if (ip !== undefined) {
			counts.set(ip, (counts.get(ip) ?? 0) + 1);
		}
	}

	let best: string | null = null;
	let bestCount = 0;
	for (const [ip, count] of counts) {
		if (count > bestCount) {
			best = ip;
			bestCount = count;
		}
	}

	return best;
};

/** Objects whose every field is a count or another such object. */
type Counts<T> = {[K in keyof T]: T[K] extends number ? number : Counts<T[K]>};

/** Field-by-field sum of two counter objects of the same shape (socket counters, report stats). */
export const sumCounts = <T extends Counts<T>>(a: T, b: T): T => {
	const sum: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(a) as Array<[keyof T & string, unknown]>) {
		const other = b[key];
		sum[key] =
			typeof value === 'number' ? value + (other as number) : sumCounts(value as Counts<object>, other as Counts<object>);
	}

	return sum as T;
};

export const emptyStats = (): CheckStats => ({packetsSent: 0, dropped: {garbage: 0, unknownTransaction: 0, wrongSource: 0}});

/** `{[key]: value}`, or nothing when value is undefined: optional report fields stay absent. */
const pick = <K extends string, V>(value: V | undefined, key: K): Partial<Record<K, V>> =>
	value === undefined ? {} : ({[key]: value} as Record<K, V>);

/**
 * The report after a re-run of some ports: every port's latest result (`ports`, in table order),
 * with the verdict worked out again over all of them, since a re-run of ten ports alone would
 * otherwise decide the overall verdict. Time, counters and history add up.
 */
export const mergeReports = (previous: CheckReport, next: CheckReport, ports: PortResult[]): CheckReport => ({
	...next,
	...overallVerdict(
		ports,
		// Skipped for a cancel (code null or cancelled), not because this user may not bind the port.
		ports.some(result => result.status === 'skipped' && (result.code === null || result.code === 'cancelled')),
		next.services ? next : previous,
	),
	server: next.server ?? previous.server,
	// A re-run of some ports may not run the service checks again: keep the first run's.
	...pick(next.services ?? previous.services, 'services'),
	...pick(next.services ? next.sip : previous.sip, 'sip'),
	...pick(next.services ? next.sipService : previous.sipService, 'sipService'),
	...pick(next.services ? next.tcp : previous.tcp, 'tcp'),
	// A re-run of some ports may not ask the router again: keep what the first run learned.
	...pick(next.router ?? previous.router, 'router'),
	...pick(next.path ?? previous.path, 'path'),
	...pick(next.hairpin ?? previous.hairpin, 'hairpin'),
	...pick(next.hairpinDetail ?? previous.hairpinDetail, 'hairpinDetail'),
	publicAddress: next.publicAddress ?? previous.publicAddress,
	localAddress: next.localAddress ?? previous.localAddress,
	durationMs: previous.durationMs + next.durationMs,
	ports,
	serversTried: [...previous.serversTried, ...next.serversTried],
	pacing: {
		finalRate: next.pacing.finalRate ?? previous.pacing.finalRate,
		slowdowns: [...previous.pacing.slowdowns, ...next.pacing.slowdowns],
		confirmed: previous.pacing.confirmed + next.pacing.confirmed,
		flipped: previous.pacing.flipped + next.pacing.flipped,
	},
	stats: sumCounts(previous.stats, next.stats),
});
