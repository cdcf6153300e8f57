// The service checks beside the sweep: discovery, then the SIP ALG test (UDP and TCP), the SIP
// service check and the TCP ports, each only when the server offers what it needs. They never
// hold up the sweep; what binds a port the sweep may use waits until the sweep is done with it.
import {randomInt} from 'node:crypto';
import {isIPv6} from 'node:net';
import type {EngineEnvironment} from '../check/environment.js';
import type {PortOwner, PortOwnerReport} from '../system/port-owner.js';
import type {
	ServerInfo,
	ServicesConfig,
	ServicesResult,
	SipAlgCheck,
	SipServiceCheck,
	SweepEvent,
	TcpPortResult,
} from '../check/types.js';
import {ControlClient} from './control-client.js';
import {discoverServices, needsFwcheckServe} from './discover.js';
import {checkSipAlg} from './sip-alg.js';
import {checkSipService, skippedSipOutcome} from './sip-service.js';
import {checkTcpPorts, skippedTcp} from './tcp-connect-back.js';
import {DEFAULT_MAX_PORTS} from '../wire/index.js';

export interface ServicesInput {
	config: ServicesConfig;
	server: ServerInfo;
	/** This host's LAN address toward the server: what the SIP requests carry. */
	localAddress: string | null;
	bindAddress?: string;
	/** The UDP ports the sweep checks, and when it is done with them. */
	sweepPorts: readonly number[];
	sweepDone: Promise<unknown>;
	environment: EngineEnvironment;
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
}

export const skippedAlg = (
	transport: 'udp' | 'tcp',
	message: string,
	code: SipAlgCheck['code'] = 'services-unavailable',
): SipAlgCheck => ({
	transport,
	status: 'skipped',
	alg: false,
	code,
	message,
	rewritten: [],
	exchanges: [],
});

const skippedService = (
	port: number,
	message: string,
	code: 'services-unavailable' | 'cancelled' = 'services-unavailable',
): SipServiceCheck => ({
	port,
	held: false,
	process: null,
	udp: skippedSipOutcome(message, code),
	tcp: skippedSipOutcome(message, code),
});

/** Every check skipped for one reason (the server is not `fwcheck serve`, or was not asked). */
export const skippedServices = (
	config: ServicesConfig,
	detail: string,
	message = needsFwcheckServe,
	code: 'services-unavailable' | 'cancelled' = 'services-unavailable',
): ServicesResult => ({
	services: {offered: false, detail},
	...(config.sip
		? {
				sip: {udp: skippedAlg('udp', message, code), tcp: skippedAlg('tcp', message, code)},
				sipService: skippedService(config.sipPort, message, code),
			}
		: {}),
	...(config.tcp.length > 0 ? {tcp: config.tcp.map(port => skippedTcp(port, message, code))} : {}),
});

const cutShort = 'Cut short: the check was cancelled before this check finished.';

/**
 * A check the cancel cut short saw no answer because it stopped waiting, not because none came:
 * its failure is no verdict. Passes and skips stand as they are.
 */
export const withoutCutShortFailures = (result: ServicesResult): ServicesResult => ({
	...result,
	...(result.sip
		? {
				sip: {
					udp: result.sip.udp.status === 'fail' ? skippedAlg('udp', cutShort, 'cancelled') : result.sip.udp,
					tcp: result.sip.tcp.status === 'fail' ? skippedAlg('tcp', cutShort, 'cancelled') : result.sip.tcp,
				},
			}
		: {}),
	...(result.sipService
		? {
				sipService: {
					...result.sipService,
					udp: result.sipService.udp.status === 'fail' ? skippedSipOutcome(cutShort, 'cancelled') : result.sipService.udp,
					tcp: result.sipService.tcp.status === 'fail' ? skippedSipOutcome(cutShort, 'cancelled') : result.sipService.tcp,
				},
			}
		: {}),
	...(result.tcp
		? {tcp: result.tcp.map(check => (check.status === 'fail' ? skippedTcp(check.port, cutShort, 'cancelled') : check))}
		: {}),
});

const tcpOwnersOf =
	(environment: EngineEnvironment) =>
	async (ports: number[]): Promise<Map<number, PortOwner | null>> => {
		const reports: Map<number, PortOwnerReport> = environment.findTcpPortOwners
			? await environment.findTcpPortOwners(ports)
			: new Map<number, PortOwnerReport>();
		return new Map(ports.map(port => [port, reports.get(port)?.owner ?? null]));
	};

/** Run what the server offers; emits services-started and services-finished. Never throws. */
export const runServices = async (input: ServicesInput): Promise<ServicesResult> => {
	const {config, server, environment, signal, onEvent} = input;
	onEvent({type: 'services-started', tcp: config.tcp, sipPort: config.sipPort});
	const finish = (result: ServicesResult): ServicesResult => {
		onEvent({type: 'services-finished', ...result});
		return result;
	};

	const discovery = await discoverServices(server, {environment, bindAddress: input.bindAddress, signal});
	if (signal.aborted) {
		// Not asked to the end: nothing is known of what the server offers.
		return finish(skippedServices(config, cutShort, cutShort, 'cancelled'));
	}

	if (!discovery.offered) {
		return finish(skippedServices(config, discovery.detail));
	}

	const {services} = discovery;
	const family = server.address.family;
	const sweepHoldsSipPort = input.sweepPorts.includes(config.sipPort);
	const lan = input.localAddress ?? input.bindAddress ?? null;
	let control: Promise<ControlClient | {error: string}> | undefined;
	const openControl = async (): Promise<ControlClient | {error: string}> => {
		control ??=
			services.controlPort === undefined
				? Promise.resolve({error: 'no control service'})
				: ControlClient.open({family, address: server.address.address, port: services.controlPort}, environment);
		return control;
	};

	// A new pair of even audio ports per run and transport: the Linux helper silently drops an
	// INVITE offering a media address and port it already expects (measured in the lab).
	const media = 2 * randomInt(10_000, 15_000);
	const alg = async (transport: 'udp' | 'tcp'): Promise<SipAlgCheck> => {
		if (services.sipPort === undefined) {
			return skippedAlg(transport, 'The server does not offer its SIP echo.');
		}

		if (lan === null || (isIPv6(lan) ? 6 : 4) !== family) {
			return skippedAlg(transport, "This host's address toward the server is not known.", null);
		}

		if (transport === 'udp' && sweepHoldsSipPort) {
			await input.sweepDone;
		}

		const offset = transport === 'udp' ? 0 : 4;
		return checkSipAlg({
			transport,
			lan,
			target: {family, address: server.address.address, port: services.sipPort},
			preferredPort: transport === 'udp' ? config.sipPort : undefined,
			bindAddress: input.bindAddress,
			mediaPorts: [media + offset, media + offset + 2],
			environment,
			signal,
		});
	};

	const sipService = async (udpAlg: Promise<SipAlgCheck>): Promise<SipServiceCheck> => {
		if (!services.options) {
			return skippedService(
				config.sipPort,
				'The server does not offer SIP OPTIONS: it needs a second address (`fwcheck serve --alternate`).',
			);
		}

		// Listens on the SIP port: after the UDP ALG test and the sweep are done with it.
		await udpAlg;
		if (sweepHoldsSipPort) {
			await input.sweepDone;
		}

		const client = await openControl();
		if (!(client instanceof ControlClient)) {
			return skippedService(config.sipPort, `Could not reach the server's control service (${client.error}).`);
		}

		return checkSipService({
			port: config.sipPort,
			control: client,
			environment,
			family,
			bindAddress: input.bindAddress,
			findTcpOwners: tcpOwnersOf(environment),
		});
	};

	const tcpPorts = async (): Promise<TcpPortResult[]> => {
		if (!services.connect) {
			const why = 'The server does not offer TCP connect-back: it needs a second address (`fwcheck serve --alternate`).';
			return config.tcp.map(port => skippedTcp(port, why));
		}

		const client = await openControl();
		if (!(client instanceof ControlClient)) {
			return config.tcp.map(port => skippedTcp(port, `Could not reach the server's control service (${client.error}).`, null));
		}

		return checkTcpPorts(config.tcp, {
			control: client,
			maxPorts: services.maxPorts ?? DEFAULT_MAX_PORTS,
			family,
			bindAddress: input.bindAddress,
			environment,
			findOwners: tcpOwnersOf(environment),
		});
	};

	// Cancelled: closing the control connection ends its waiting requests at once.
	const closeControl = (): void => {
		void control?.then(client => {
			if (client instanceof ControlClient) {
				client.close();
			}
		});
	};

	signal.addEventListener('abort', closeControl, {once: true});
	try {
		const udp = config.sip ? alg('udp') : undefined;
		const [udpResult, tcpResult, serviceResult, tcpResults] = await Promise.all([
			udp,
			config.sip ? alg('tcp') : undefined,
			udp ? sipService(udp) : undefined,
			config.tcp.length > 0 ? tcpPorts() : undefined,
		]);
		const result: ServicesResult = {
			services: {offered: true, detail: discovery.text},
			...(udpResult && tcpResult ? {sip: {udp: udpResult, tcp: tcpResult}} : {}),
			...(serviceResult ? {sipService: serviceResult} : {}),
			...(tcpResults ? {tcp: tcpResults} : {}),
		};
		return finish(signal.aborted ? withoutCutShortFailures(result) : result);
	} finally {
		signal.removeEventListener('abort', closeControl);
		const client = await control;
		if (client instanceof ControlClient) {
			client.close();
		}
	}
};
