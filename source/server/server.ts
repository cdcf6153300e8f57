import type dgram from 'node:dgram';
import {formatAddress, type TransportAddress} from '../stun/index.js';
import {type ServerStats, copyStats, countDrop, countReply, emptyStats, formatStatsLine} from './counters.js';
import {type Endpoint, type EndpointLayout, type ServerMode, planLayout} from './endpoints.js';
import {type ResolvedServerOptions, type StunServerOptions, resolveOptions} from './options.js';
import {SourceRateLimiter} from './rate-limiter.js';
import {AMPLIFICATION_FACTOR} from './reply-budget.js';
import {respond} from './respond.js';
import {type ServiceStats, emptyServiceStats, formatServiceStatsLine} from './service-stats.js';
import {type RunningServices, startServices} from './services.js';
import {bindUdp, closeUdp} from './sockets.js';
import type {OfferedServices} from '../wire/index.js';

export interface StunServer {
	readonly mode: ServerMode;
	/** The bound sockets, with their real ports. */
	readonly addresses: readonly Endpoint[];
	/** A snapshot of the counters. */
	stats(): ServerStats;
	/** The services only `fwcheck serve` offers running, with their real ports; undefined when none were asked for. */
	readonly services: OfferedServices | undefined;
	/** A snapshot of the services' counters (all zero without services). */
	serviceStats(): ServiceStats;
	/** Stop answering and free every socket. Safe to call twice. */
	close(): Promise<void>;
}

/** Bind every socket the layout needs, in order; on any failure close those already bound. */
const bindLayout = async (layout: EndpointLayout): Promise<Array<{endpoint: Endpoint; socket: dgram.Socket}>> => {
	const bound: Array<{endpoint: Endpoint; socket: dgram.Socket}> = [];
	try {
		for (const planned of layout.endpoints) {
			const socket = await bindUdp(planned);
			// Port 0 (single-address only) becomes the port the OS picked.
			bound.push({endpoint: {...planned, port: socket.address().port}, socket});
		}
	} catch (error) {
		await Promise.all(bound.map(async ({socket}) => closeUdp(socket)));
		throw error;
	}

	return bound;
};

const startupLines = (options: ResolvedServerOptions, layout: EndpointLayout): string[] => {
	const listening = `STUN server listening on ${layout.endpoints.map(endpoint => formatAddress(endpoint)).join(', ')}`;
	const mode =
		layout.mode === 'rfc5780'
			? 'RFC 5780 mode: CHANGE-REQUEST is answered from the alternate IP and/or port, replies carry OTHER-ADDRESS'
			: 'single-address mode (no alternate IP): replies carry no OTHER-ADDRESS and CHANGE-REQUEST gets error 420, so clients cannot run Test 2 against this server';
	const {perSourceBurst, perSourcePerSecond, totalBurst, totalPerSecond} = options.rateLimit;
	const limits =
		`limits: ${perSourcePerSecond}/s per source (burst ${perSourceBurst}), ${totalPerSecond}/s in total (burst ${totalBurst}),` +
		` ${options.maxSources} sources remembered, replies at most ${AMPLIFICATION_FACTOR}x the request size`;
	return [listening, mode, limits];
};

/**
 * Start a STUN server for `fwcheck serve`. Resolves once every socket is bound; rejects with a
 * StunServerError (see formatServerError) when options are wrong or a socket cannot be bound.
 */
export const startStunServer = async (options: StunServerOptions): Promise<StunServer> => {
	const resolved = resolveOptions(options);
	const bound = await bindLayout(planLayout(resolved));
	let services: RunningServices | undefined;
	try {
		services = resolved.services && (await startServices(resolved, resolved.services));
	} catch (error) {
		await Promise.all(bound.map(async ({socket}) => closeUdp(socket)));
		throw error;
	}

	const layout: EndpointLayout = {
		mode: resolved.alternate === undefined ? 'single-address' : 'rfc5780',
		endpoints: bound.map(({endpoint}) => endpoint),
	};
	const socketOf = new Map<Endpoint, dgram.Socket>(bound.map(({endpoint, socket}) => [endpoint, socket]));
	const limiter = new SourceRateLimiter(resolved.rateLimit, resolved.maxSources);
	const stats = emptyStats();
	const settings = {layout, software: resolved.software, services: services && Buffer.from(services.text, 'utf8')};

	const onSent = (error: Error | null) => {
		if (error) {
			stats.sendErrors++;
		}
	};

	for (const {endpoint, socket} of bound) {
		socket.on('message', (data, remote) => {
			try {
				const source: TransportAddress = {family: remote.family === 'IPv6' ? 6 : 4, address: remote.address, port: remote.port};
				const decision = respond({data, source, receivedOn: endpoint}, settings);
				if (decision.action === 'drop') {
					countDrop(stats, decision.reason);
					return;
				}

				// Only requests that would be answered reach the limiter: garbage never grows its table.
				if (!limiter.allow(source.address)) {
					stats.rateLimited++;
					return;
				}

				countReply(stats, decision);
				socketOf.get(decision.from)?.send(decision.datagram, decision.to.port, decision.to.address, onSent);
			} catch {
				// One odd datagram must not stop a public server; the counter makes the bug visible.
				stats.internalErrors++;
			}
		});
		// A send that fails later surfaces here; a server must outlive it.
		socket.on('error', () => {
			stats.sendErrors++;
		});
	}

	for (const line of [...startupLines(resolved, layout), ...(services?.lines ?? [])]) {
		resolved.log(line);
	}

	let logged = copyStats(stats);
	const snapshot = (): ServerStats => ({...copyStats(stats), sources: limiter.size});
	const serviceSnapshot = (): ServiceStats => ({...(services?.stats ?? emptyServiceStats())});
	let loggedServices = serviceSnapshot();
	const timer = setInterval(() => {
		const now = snapshot();
		const nowServices = serviceSnapshot();
		const lines = [
			formatStatsLine(logged, now, resolved.logIntervalMs),
			formatServiceStatsLine(loggedServices, nowServices, resolved.logIntervalMs),
		];
		logged = now;
		loggedServices = nowServices;
		for (const line of lines) {
			if (line) {
				resolved.log(line);
			}
		}
	}, resolved.logIntervalMs);
	timer.unref();

	let closing: Promise<void> | undefined;
	return {
		mode: layout.mode,
		addresses: layout.endpoints,
		stats: snapshot,
		services: services?.offer,
		serviceStats: serviceSnapshot,
		async close() {
			closing ??= (async () => {
				clearInterval(timer);
				await Promise.all([...bound.map(async ({socket}) => closeUdp(socket)), services?.close()]);
			})();
			return closing;
		},
	};
};
