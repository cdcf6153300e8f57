// The router view, the hop trace and the path verdict together, for one check. It starts at once
// and runs beside the sweep; it never waits on the sweep except for the mapped address, and that
// wait is bounded. Nothing here can fail the check: a silent router gives a view with no answers.
import {english} from '../catalog/index.js';
import type {Clock, TimerHandle} from '../net/clock.js';
import {traceFirstHops} from './hops.js';
import type {HopsOptions, HopsResult} from './hops.js';
import {pathVerdict} from './path.js';
import {readRouterView} from './router-view.js';
import type {RouterViewOptions} from './router-view.js';
import {type RouterEnvironment, realRouterEnvironment} from './router-environment.js';
import type {PathReport, RouterView} from './types.js';

export interface NetworkCheckOptions {
	/** The STUN server's IP address, once known: the hop trace goes towards it. */
	target: Promise<string | undefined>;
	/** How long to wait for the target before tracing nothing. */
	targetWaitMs?: number;
	/** Cuts the hop trace short (the sweep ended and the report should not wait): hops so far are kept. */
	signal?: AbortSignal;
	/** This host's public address as the STUN server saw it, once the sweep knows it. */
	mappedAddress: Promise<string | undefined>;
	/** How long to wait for mappedAddress after the router and the trace are done. */
	mappedWaitMs?: number;
	router?: RouterViewOptions;
	trace?: Omit<HopsOptions, 'target' | 'signal'>;
}

export interface NetworkCheck {
	router: RouterView;
	path: PathReport;
	trace: HopsResult;
	localAddress: string | undefined;
}

const within = async <T>(clock: Clock, promise: Promise<T>, ms: number, fallback: T): Promise<T> => {
	let timer: TimerHandle | undefined;
	const timeout = new Promise<T>(resolve => {
		timer = clock.setTimeout(() => resolve(fallback), ms);
	});
	try {
		return await Promise.race([promise.catch(() => fallback), timeout]);
	} finally {
		clock.clearTimeout(timer);
	}
};

export async function runNetworkCheck(
	options: NetworkCheckOptions,
	environment: RouterEnvironment = realRouterEnvironment,
): Promise<NetworkCheck> {
	const {clock} = environment;
	const noTarget: HopsResult = {hops: [], note: english.notes.hopsNoTarget};
	const traced = async (): Promise<{trace: HopsResult; localAddress: string | undefined}> => {
		const target = await within(clock, options.target, options.targetWaitMs ?? 10_000, undefined);
		if (!target || options.signal?.aborted) return {trace: noTarget, localAddress: options.router?.localAddress};
		const [trace, localAddress] = await Promise.all([
			traceFirstHops({...options.trace, target, signal: options.signal}, environment),
			options.router?.localAddress ?? environment.localAddressToward(target),
		]);
		return {trace, localAddress};
	};

	const [router, {trace, localAddress}] = await Promise.all([readRouterView(options.router, environment), traced()]);
	const mappedAddress = await within(clock, options.mappedAddress, options.mappedWaitMs ?? 10_000, undefined);
	const path = pathVerdict({
		localAddress,
		routerWan: router.wanAddress ? {address: router.wanAddress, source: router.wanSource ?? 'router'} : undefined,
		hops: trace.hops.length === 0 && trace.note ? undefined : trace.hops,
		hopsNote: trace.note,
		mappedAddress,
	});
	return {router, path, trace, localAddress};
}
