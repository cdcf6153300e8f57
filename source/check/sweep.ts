import {english} from '../catalog/index.js';
import {formatAddress} from '../stun/address.js';
import {ServerCannotChange, checkPorts} from './check-ports.js';
import {skippedPort} from './classify.js';
import {type EngineEnvironment, realEnvironment} from './environment.js';
import {staleReportNote} from './recent-checks.js';
import {RttEstimator} from './rtt.js';
import {probeServer} from './server-select.js';
import {emptyStats, mostCommonIp, overallVerdict} from './report-model.js';
import {runServices} from '../service-checks/run-services.js';
import {servicesNotes} from '../service-checks/notes.js';
import type {CheckConfig, CheckReport, ServerSpec, ServicesResult, SweepEvent} from './types.js';
import {type CheckErrorCode, type VerdictCode, verdictMessage} from './verdicts.js';

/** A server that passed the probe, with the RTT estimate learned on it. */
interface ServerChoice {
	probe: Extract<Awaited<ReturnType<typeof probeServer>>, {ok: true}>;
	rtt: RttEstimator;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export interface SweepOptions {
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
	/** The host's clock, sockets and names by default; a simulated network in the unit tests. */
	environment?: EngineEnvironment;
}

export type SweepRunner = (config: CheckConfig, options: SweepOptions) => Promise<CheckReport>;

/**
 * Check every configured port against the first server that can run Tests 1-3, else the first
 * that can run Tests 1-2 (saying so in the report's notes). Emits events
 * as it goes and always resolves with a report (cancelled, failed or passed); it never throws
 * for network conditions.
 */
export const sweep: SweepRunner = async (config, {signal, onEvent, environment = realEnvironment}) => {
	const {clock} = environment;
	const started = clock.now();
	const serversTried: CheckReport['serversTried'] = [];
	const totals = {stats: emptyStats()};
	const pacing: CheckReport['pacing'] = {finalRate: null, slowdowns: [], confirmed: 0, flipped: 0};
	const finishReport = (
		report: Omit<CheckReport, 'durationMs' | 'schema' | 'serversTried' | 'stats' | 'pacing'>,
	): CheckReport => {
		const full: CheckReport = {
			schema: 1,
			serversTried,
			stats: totals.stats,
			pacing,
			...report,
			durationMs: Math.round(clock.now() - started),
		};
		onEvent({type: 'done', report: full});
		return full;
	};

	const sweepWith = async (spec: ServerSpec, chosen: ServerChoice): Promise<CheckReport | undefined> => {
		const {server, localAddress} = chosen.probe;
		onEvent({type: 'server-ready', server, localAddress});
		// The service checks run beside the sweep, on their own sockets, and end before `done`.
		const servicesAbort = new AbortController();
		const abortServices = (): void => {
			servicesAbort.abort();
		};

		signal.addEventListener('abort', abortServices, {once: true});
		let sweepFinished: () => void = () => undefined;
		const sweepDone = new Promise<void>(resolve => {
			sweepFinished = resolve;
		});
		// Nothing asked (--no-sip and no --tcp): not even discovery, and no SIP/TCP line anywhere.
		const asked = config.services && (config.services.sip || config.services.tcp.length > 0) ? config.services : undefined;
		const servicesRun: Promise<ServicesResult> | undefined = asked
			? runServices({
					config: asked,
					server,
					localAddress,
					bindAddress: config.bindAddress,
					sweepPorts: config.ports,
					sweepDone,
					environment,
					signal: servicesAbort.signal,
					onEvent,
				})
			: undefined;
		try {
			let checked: Awaited<ReturnType<typeof checkPorts>>;
			try {
				checked = await checkPorts(config, server, chosen.rtt, {signal, onEvent, totals, pacing, environment});
			} finally {
				sweepFinished();
			}

			const results = config.ports.map(port => checked.results.get(port) ?? skippedPort(port, english.notes.notCheckedCancelled));
			const services = await servicesRun;
			const publicAddress = mostCommonIp(results);
			return finishReport({
				...overallVerdict(results, signal.aborted, services),
				...services,
				server: {
					host: server.host,
					address: formatAddress(server.address),
					otherAddress: formatAddress(server.otherAddress),
					responsePort: checked.test3SkippedReason === null,
				},
				notes: [
					...(checked.test3SkippedReason === null ? [] : [english.notes.noTest3Because(capitalise(checked.test3SkippedReason))]),
					...[staleReportNote(checked.stale)].filter(note => note !== undefined),
					...servicesNotes(services, publicAddress),
				],
				publicAddress,
				localAddress,
				ports: results,
			});
		} catch (error) {
			// This server is passed over: its service checks end with it.
			servicesAbort.abort();
			await servicesRun;
			if (!(error instanceof ServerCannotChange)) {
				throw error;
			}

			serversTried.push({host: spec.host, port: spec.port, code: 'stun-no-second-address', detail: error.message});
			onEvent({type: 'server-rejected', host: spec.host, port: spec.port, code: 'stun-no-second-address', detail: error.message});
			return undefined;
		} finally {
			signal.removeEventListener('abort', abortServices);
		}
	};

	// A server that can run Test 3 is preferred; the others wait as fall-backs, in the order given.
	const withoutTest3: Array<{spec: ServerSpec; choice: ServerChoice}> = [];
	for (const spec of config.servers) {
		if (signal.aborted) {
			break;
		}

		onEvent({type: 'server-probing', host: spec.host, port: spec.port});
		const rtt = new RttEstimator();
		const probe = await probeServer(spec, {bindAddress: config.bindAddress, rtt, signal, environment});
		if (signal.aborted) {
			break;
		}

		if (!probe.ok) {
			serversTried.push({host: spec.host, port: spec.port, code: probe.code, detail: probe.detail});
			onEvent({type: 'server-rejected', host: spec.host, port: spec.port, code: probe.code, detail: probe.detail});
			continue;
		}

		if (!probe.server.responsePort.supported) {
			withoutTest3.push({spec, choice: {probe, rtt}});
			continue;
		}

		const report = await sweepWith(spec, {probe, rtt});
		if (report) {
			return report;
		}
	}

	for (const {spec, choice} of withoutTest3) {
		if (signal.aborted) {
			break;
		}

		const report = await sweepWith(spec, choice);
		if (report) {
			return report;
		}
	}

	if (signal.aborted) {
		return finishReport({
			status: 'cancelled',
			code: 'cancelled',
			message: verdictMessage('cancelled'),
			server: null,
			notes: [],
			publicAddress: null,
			localAddress: null,
			ports: config.ports.map(port => skippedPort(port, english.notes.notCheckedCancelled)),
		});
	}

	const code = serverErrorCode(serversTried.map(tried => tried.code));
	return finishReport({
		status: 'error',
		code,
		message: `${verdictMessage(code)} ${serversTried.map(tried => tried.detail).join('; ')}.`,
		server: null,
		notes: [],
		publicAddress: null,
		localAddress: null,
		ports: config.ports.map(port => skippedPort(port, english.notes.notCheckedNoServer)),
	});
};

/** The most telling reason among the servers that failed: one that answered beats one that did not. */
const serverErrorCode = (codes: VerdictCode[]): CheckErrorCode => {
	if (codes.includes('stun-no-second-address')) {
		return 'stun-no-second-address';
	}

	if (codes.includes('stun-unreachable') || codes.length === 0) {
		return 'stun-unreachable';
	}

	return 'stun-unresolvable';
};
