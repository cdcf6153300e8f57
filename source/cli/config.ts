import dgram from 'node:dgram';
import {isIP} from 'node:net';
import {DEFAULT_PORTS, parsePortList} from '../ports/port-list.js';
import {parseServerSpec} from '../check/server-select.js';
import type {CheckConfig, ServerSpec} from '../check/types.js';
import {words} from '../catalog/index.js';
import {defaultWatchPauseMs} from '../check/watch-rules.js';

/**
 * Servers tried in order. The PBX vendor's own come first because admins already allow them
 * through; the others advertise a second address. None is guaranteed to be up or to keep
 * honouring CHANGE-REQUEST: `fwcheck serve` exists for that reason.
 */
export const DEFAULT_SERVERS = [
	'stun.3cx.com',
	'stun2.3cx.com',
	'stun3.3cx.com',
	'stun4.3cx.com',
	'stun.voipgate.com',
	'stun.freeswitch.org',
	'stun.nextcloud.com',
];

export interface CliFlags {
	ports?: string;
	stun?: string[];
	bind?: string;
	publicIp?: string;
	rate?: number;
	window?: number;
	tcp?: string;
	/** False with --no-sip. */
	sip?: boolean;
	sipPort?: number;
}

/** Most TCP ports one check may ask the server to connect back to (its budget is 64 a minute). */
export const MAX_TCP_PORTS = 64;
export const DEFAULT_SIP_PORT = 5060;

/** Most STUN servers one check tries: each dead one costs seconds before the next is asked. */
export const MAX_SERVERS = 10;

export class UsageError extends Error {}

/**
 * --stun's values, each one server or a comma list, to servers in the order given; the same
 * server named twice (`127.0.0.1` and `127.0.0.1:3478`) is tried once.
 */
const serversFromFlag = (values: readonly string[]): ServerSpec[] => {
	const servers = new Map<string, ServerSpec>();
	for (const text of values.flatMap(value => value.split(','))) {
		const spec = parseServerSpec(text);
		if (!spec) {
			throw new UsageError(words().cli.notHostPort(text));
		}

		servers.set(`${spec.host.toLowerCase()} ${spec.port}`, spec);
	}

	if (servers.size > MAX_SERVERS) {
		throw new UsageError(words().cli.tooManyServers(MAX_SERVERS, servers.size));
	}

	return [...servers.values()];
};

/** Flags to a CheckConfig, or a UsageError with one line saying what is wrong. */
export const configFromFlags = (flags: CliFlags): CheckConfig => {
	const ports = parsePortList(flags.ports ?? DEFAULT_PORTS);
	if (!ports.ok) {
		throw new UsageError(`--ports: ${ports.error}`);
	}

	const servers = serversFromFlag(flags.stun?.length ? flags.stun : DEFAULT_SERVERS);

	for (const [name, value] of [
		['--bind', flags.bind],
		['--public-ip', flags.publicIp],
	] as const) {
		if (value !== undefined && isIP(value) === 0) {
			throw new UsageError(words().cli.notIp(name, value));
		}
	}

	for (const [name, value] of [
		['--rate', flags.rate],
		['--window', flags.window],
	] as const) {
		// Packets and ports come whole: 0.5 a second is not a rate the pacer keeps.
		if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
			throw new UsageError(words().cli.wholeNumber(name, Number.isNaN(value) ? '' : words().cli.notValue(String(value))));
		}
	}

	const bindFamily = flags.bind === undefined ? 0 : isIP(flags.bind);
	const otherFamily = servers.find(server => isIP(server.host) !== 0 && isIP(server.host) !== bindFamily);
	if (bindFamily !== 0 && otherFamily) {
		// An IPv6 socket cannot reach an IPv4 server: that would read as "no server answered".
		throw new UsageError(words().cli.bindFamily(flags.bind!, bindFamily, otherFamily.host, isIP(otherFamily.host)));
	}

	const tcp = parsePortList(flags.tcp ?? '');
	if (flags.tcp !== undefined && !tcp.ok) {
		throw new UsageError(`--tcp: ${tcp.error}`);
	}

	const tcpPorts = flags.tcp !== undefined && tcp.ok ? tcp.ports : [];
	if (tcpPorts.length > MAX_TCP_PORTS) {
		throw new UsageError(words().cli.tooManyTcp(MAX_TCP_PORTS, tcpPorts.length));
	}

	const sipPort = flags.sipPort ?? DEFAULT_SIP_PORT;
	if (!Number.isInteger(sipPort) || sipPort < 1 || sipPort > 65_535) {
		throw new UsageError(words().cli.sipPortRange);
	}

	return {
		servers,
		ports: ports.ports,
		services: {sip: flags.sip !== false, sipPort, tcp: tcpPorts},
		bindAddress: flags.bind,
		publicIp: flags.publicIp,
		rate: flags.rate,
		window: flags.window,
	};
};

/** --watch's longest pause: a round an hour apart would be the only round. */
export const MAX_WATCH_SECONDS = 3600;

/**
 * --watch's pause between rounds in ms: absent means no watching, a bare `--watch` the default
 * pause; anything but whole seconds from 1 to MAX_WATCH_SECONDS is a UsageError.
 */
export const watchPauseFromFlag = (value: string | undefined): number | undefined => {
	if (value === undefined) {
		return undefined;
	}

	if (value === '') {
		return defaultWatchPauseMs;
	}

	const seconds = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
	if (!(seconds >= 1 && seconds <= MAX_WATCH_SECONDS)) {
		throw new UsageError(words().cli.watchSeconds(MAX_WATCH_SECONDS, value));
	}

	return seconds * 1000;
};

/** Whether this host has the address: a bind to port 0 on it (nothing is sent) tells. */
export const canBind = async (address: string): Promise<boolean> => {
	const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
	const missing = await new Promise<boolean>(resolve => {
		socket.once('error', (error: NodeJS.ErrnoException) => {
			resolve(error.code === 'EADDRNOTAVAIL');
		});
		socket.bind({address, port: 0, exclusive: true}, () => {
			resolve(false);
		});
	});
	socket.close();
	return !missing;
};

/**
 * --bind must name an address of this host, found out before any name is resolved or packet
 * sent, so a typo is a usage error, not a failed check.
 */
export const checkBindAddress = async (address: string | undefined): Promise<void> => {
	if (address !== undefined && !(await canBind(address))) {
		throw new UsageError(words().cli.noSuchAddress(address));
	}
};
