import {type OfferedServices, encodeServices} from '../wire/index.js';
import {type ControlService, startControl} from './control-service.js';
import type {ResolvedServerOptions} from './options.js';
import type {ResolvedServices} from './service-options.js';
import {type ServiceStats, emptyServiceStats} from './service-stats.js';
import {type SipEchoService, startSipEcho} from './sip-echo-service.js';

export interface RunningServices {
	/** What the discovery attribute says, with the real ports. */
	offer: OfferedServices;
	/** The FWCHECK-SERVICES text. */
	text: string;
	/** Start-up lines naming each service and its port, or why it is off. */
	lines: string[];
	stats: ServiceStats;
	close(): Promise<void>;
}

/** Start the services the options ask for, on the primary IP; on a failure, close what started. */
export const startServices = async (options: ResolvedServerOptions, services: ResolvedServices): Promise<RunningServices> => {
	const stats = emptyServiceStats();
	const {family, primary, alternate, maxSources} = options;
	const {limits} = services;
	let echo: SipEchoService | undefined;
	let control: ControlService | undefined;
	try {
		if (services.sipEcho) {
			echo = await startSipEcho({family, address: primary, port: services.sipPort}, limits, stats, maxSources);
		}

		if (alternate !== undefined && (services.sipOptions || services.connectBack)) {
			control = await startControl(
				{family, address: primary, port: services.controlPort},
				alternate,
				services,
				stats,
				maxSources,
			);
		}
	} catch (error) {
		await echo?.close();
		throw error;
	}

	const offer: OfferedServices = {
		options: control !== undefined && services.sipOptions,
		connect: control !== undefined && services.connectBack,
	};
	if (echo) {
		offer.sipPort = echo.port;
	}

	if (control) {
		offer.controlPort = control.port;
		offer.maxPorts = services.maxPorts;
	}

	return {
		offer,
		text: encodeServices(offer),
		lines: startupLines(options, services, echo, control),
		stats,
		async close() {
			await Promise.all([echo?.close(), control?.close()]);
		},
	};
};

const startupLines = (
	options: ResolvedServerOptions,
	services: ResolvedServices,
	echo: SipEchoService | undefined,
	control: ControlService | undefined,
): string[] => {
	const {limits} = services;
	const host = options.family === 6 ? `[${options.primary}]` : options.primary;
	const lines = [
		echo
			? `SIP echo on ${host}:${echo.port} (UDP and TCP): answers are at most 3x the request, ${limits.sipRate.perSourcePerSecond}/s per source (burst ${limits.sipRate.perSourceBurst}), ${limits.sipRate.totalPerSecond}/s in total`
			: 'SIP echo off',
	];
	if (control) {
		const actions = [services.sipOptions && 'SIP OPTIONS', services.connectBack && 'TCP connect-back']
			.filter(Boolean)
			.join(' and ');
		lines.push(
			`control service on ${host}:${control.port}/tcp: ${actions} from ${options.alternate}, only to the control connection's own IP;` +
				` connect-back ${limits.connectPerSourcePerMinute}/min per source and ${limits.connectTotalPerSecond}/s in total,` +
				` OPTIONS ${limits.optionsPerSourcePerMinute}/min per source and ${limits.optionsTotalPerSecond}/s in total`,
		);
	} else {
		lines.push(
			options.alternate === undefined
				? 'SIP OPTIONS and TCP connect-back off: they need a second address (--alternate)'
				: 'SIP OPTIONS and TCP connect-back off',
		);
	}

	return lines;
};
