import {formatAddress} from '../stun/address.js';
import {ServerCannotChange, checkPorts} from './check-ports.js';
import {skippedPort} from './classify.js';
import {type EngineEnvironment, realEnvironment} from './environment.js';
import {RttEstimator} from './rtt.js';
import {probeServer} from './server-select.js';
import {emptyStats, mostCommonIp, overallVerdict} from './report-model.js';
import type {CheckConfig, CheckReport, SweepEvent} from './types.js';
import {type CheckErrorCode, type VerdictCode, verdict} from './verdicts.js';

export interface SweepOptions {
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
	/** The host's clock, sockets and names by default; a simulated network in the unit tests. */
	environment?: EngineEnvironment;
}

export type SweepRunner = (config: CheckConfig, options: SweepOptions) => Promise<CheckReport>;

/**
 * Check every configured port against the first server that can run both tests. Emits events
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

		onEvent({type: 'server-ready', server: probe.server, localAddress: probe.localAddress});
		try {
			const ports = await checkPorts(config, probe.server, rtt, {signal, onEvent, totals, pacing, environment});
			const results = config.ports.map(port => ports.get(port) ?? skippedPort(port, 'Not checked: the check was cancelled.'));
			return finishReport({
				...overallVerdict(results, signal.aborted),
				server: {
					host: probe.server.host,
					address: formatAddress(probe.server.address),
					otherAddress: formatAddress(probe.server.otherAddress),
				},
				publicAddress: mostCommonIp(results),
				localAddress: probe.localAddress,
				ports: results,
			});
		} catch (error) {
			if (!(error instanceof ServerCannotChange)) {
				throw error;
			}

			serversTried.push({host: spec.host, port: spec.port, code: 'stun-no-second-address', detail: error.message});
			onEvent({type: 'server-rejected', host: spec.host, port: spec.port, code: 'stun-no-second-address', detail: error.message});
		}
	}

	if (signal.aborted) {
		return finishReport({
			status: 'cancelled',
			code: 'cancelled',
			message: verdict('cancelled').sentence,
			server: null,
			publicAddress: null,
			localAddress: null,
			ports: config.ports.map(port => skippedPort(port, 'Not checked: the check was cancelled.')),
		});
	}

	const code = serverErrorCode(serversTried.map(tried => tried.code));
	return finishReport({
		status: 'error',
		code,
		message: `${verdict(code).sentence} ${serversTried.map(tried => tried.detail).join('; ')}.`,
		server: null,
		publicAddress: null,
		localAddress: null,
		ports: config.ports.map(port => skippedPort(port, 'Not checked: no usable STUN server.')),
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
