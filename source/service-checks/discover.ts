// Discovery: one extra Binding request, carrying FWCHECK-QUERY, to the server the sweep uses. It
// runs on its own socket, apart from Tests 1-3, so a server that chokes on it changes nothing else.
import {english} from '../catalog/index.js';
import {findServices, queryAttribute} from '../wire/index.js';
import type {OfferedServices} from '../wire/index.js';
import {fromAddress} from '../stun/stun-socket.js';
import {type EngineEnvironment, openStunSocket} from '../check/environment.js';
import type {ServerInfo} from '../check/types.js';

/** Said wherever a service check is skipped because the server is not `fwcheck serve`. */
export const needsFwcheckServe = english.notes.needsFwcheckServe;

const WAITS_MS = [300, 600, 1200] as const;

export type Discovery = {offered: true; services: OfferedServices; text: string} | {offered: false; detail: string};

/** The services text as the server would write it back, for the report. */
const describe = (services: OfferedServices): string =>
	[
		'fwcheck/1',
		services.sipPort === undefined ? '' : `sip=${services.sipPort}`,
		services.controlPort === undefined ? '' : `control=${services.controlPort}`,
		services.options ? 'options=1' : '',
		services.connect ? 'connect=1' : '',
		services.maxPorts === undefined ? '' : `maxports=${services.maxPorts}`,
	]
		.filter(token => token !== '')
		.join(' ');

/** Ask `server` which services it offers. Never throws; any failure reads as "none". */
export const discoverServices = async (
	server: ServerInfo,
	options: {environment: EngineEnvironment; bindAddress?: string; signal: AbortSignal},
): Promise<Discovery> => {
	const opened = await openStunSocket(options.environment, {
		port: 0,
		address: options.bindAddress,
		family: server.address.family,
	});
	if (!opened.ok) {
		return {offered: false, detail: `${needsFwcheckServe} (Could not open a socket to ask: ${opened.detail}.)`};
	}

	try {
		const answer = await opened.socket.request({
			to: server.address,
			attributes: [queryAttribute()],
			accept: fromAddress(server.address),
			maxSends: WAITS_MS.length,
			waitAfter: index => WAITS_MS[index] ?? 1000,
			signal: options.signal,
		});
		const services = answer.ok ? findServices(answer.response) : undefined;
		return services ? {offered: true, services, text: describe(services)} : {offered: false, detail: needsFwcheckServe};
	} finally {
		await opened.socket.close();
	}
};
