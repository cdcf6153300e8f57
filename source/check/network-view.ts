// The router view, the path and the hairpin test beside the sweep. They start with it, never slow
// it (no shared sockets, no shared pacing) and never fail the check: a router that answers
// nothing is a line in the report. The sweep's 'done' event is held back until they are in
// (bounded), so the TUI, plain output and JSON all get one report.
import {english} from '../catalog/index.js';
import {isIP} from 'node:net';
import {splitAddressText} from '../stun/address.js';
import {hairpinTest} from '../router/hairpin.js';
import {type RouterEnvironment, realRouterEnvironment} from '../router/router-environment.js';
import {runNetworkCheck} from '../router/network-check.js';
import type {NetworkCheck} from '../router/network-check.js';
import type {HairpinResult} from '../router/types.js';
import {checksAcrossNetwork} from './across-network.js';
import type {SweepRunner} from './sweep.js';
import type {CheckConfig, CheckReport, SweepEvent} from './types.js';

export type RouterMode = 'off' | 'read' | 'probe-map';

export interface NetworkViewOptions {
	mode: RouterMode;
	/** After the sweep ends, how long the report may wait for the hop trace before cutting it short. */
	afterSweepMs?: number;
	/** The host the view asks (clock, UDP, HTTP, commands); the real one unless a test simulates it. */
	environment?: RouterEnvironment;
	/** Injected in tests. */
	runNetwork?: typeof runNetworkCheck;
	hairpin?: typeof hairpinTest;
}

/**
 * Only a check across a real network asks the router: against a server on loopback (the demo,
 * tests) there is no router in the way, and asking the LAN's would be traffic nobody wanted.
 */
export const wantsNetworkView = (config: CheckConfig, mode: RouterMode): boolean => mode !== 'off' && checksAcrossNetwork(config);

/** A port outside the checked ones for --router-probe-map's one PCP MAP. */
const spareProbePort = (ports: number[]): number => {
	const taken = new Set(ports);
	for (let port = 61_613; port < 65_535; port += 17) {
		if (!taken.has(port)) return port;
	}

	return 65_535;
};

export const withNetworkView =
	(run: SweepRunner, options: NetworkViewOptions): SweepRunner =>
	async (config, sweepOptions) => {
		if (!wantsNetworkView(config, options.mode)) return run(config, sweepOptions);
		const environment = options.environment ?? realRouterEnvironment;
		let setTarget: (ip: string | undefined) => void = () => undefined;
		let setMapped: (ip: string | undefined) => void = () => undefined;
		// The first hops are the same towards any server: trace towards the first one at once when it
		// is an address, so the trace starts before the sweep's burst rather than in the middle of it.
		const first = config.servers[0]?.host;
		const target = new Promise<string | undefined>(resolve => (setTarget = resolve));
		if (first && isIP(first) === 4) setTarget(first);
		const mapped = new Promise<string | undefined>(resolve => (setMapped = resolve));
		const cutShort = new AbortController();
		let network: NetworkCheck | undefined;
		const networkDone = (options.runNetwork ?? runNetworkCheck)(
			{
				target,
				mappedAddress: mapped,
				signal: cutShort.signal,
				router: {
					...(config.bindAddress ? {localAddress: config.bindAddress, localBind: config.bindAddress} : {}),
					...(options.mode === 'probe-map' ? {probeMap: {internalPort: spareProbePort(config.ports)}} : {}),
				},
			},
			environment,
		).then(
			result => {
				network = result;
				sweepOptions.onEvent({type: 'network', router: result.router, path: result.path});
			},
			() => undefined, // never the check's failure: the report just lacks the view
		);

		let held: SweepEvent | undefined;
		const report = await run(config, {
			...sweepOptions,
			onEvent(event) {
				if (event.type === 'server-ready') setTarget(event.server.address.address);
				if (event.type === 'port-finished' && event.result.mapped) setMapped(splitAddressText(event.result.mapped)?.ip);
				if (event.type === 'done') held = event;
				else sweepOptions.onEvent(event);
			},
		});
		setTarget(undefined);
		setMapped(report.publicAddress ?? undefined);
		const cancelled = sweepOptions.signal.aborted;
		const timer = environment.clock.setTimeout(() => cutShort.abort(), cancelled ? 0 : (options.afterSweepMs ?? 3000));
		// The hairpin test runs while the router view finishes: neither needs the other.
		const [hairpin] = await Promise.all([
			cancelled
				? {result: 'skipped' as HairpinResult, detail: english.notes.hairpinCancelled}
				: hairpinFor(report, config, options, environment),
			networkDone,
		]);
		environment.clock.clearTimeout(timer);
		const full: CheckReport = {
			...report,
			...(network ? {router: network.router, path: network.path} : {}),
			hairpin: hairpin.result,
			hairpinDetail: hairpin.detail,
		};
		if (held) sweepOptions.onEvent({type: 'done', report: full});
		return full;
	};

/** One bounded hairpin test on the first port that passed (a forward exists for it). */
async function hairpinFor(
	report: CheckReport,
	config: CheckConfig,
	options: NetworkViewOptions,
	environment: RouterEnvironment,
): Promise<{result: HairpinResult; detail: string}> {
	const passed = report.ports.find(result => result.status === 'pass');
	if (!report.publicAddress) return {result: 'skipped', detail: english.notes.hairpinNoPublicAddress};
	if (!passed) return {result: 'skipped', detail: english.notes.hairpinNoPass};
	return (options.hairpin ?? hairpinTest)(
		{
			publicAddress: report.publicAddress,
			port: passed.port,
			// The LAN answers in well under a millisecond: a short bound keeps the report from waiting.
			timeoutMs: 300,
			intervalMs: 100,
			...(config.bindAddress ? {localBind: config.bindAddress} : {}),
		},
		environment,
	);
}
