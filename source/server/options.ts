import {isIP} from 'node:net';
import {ipToBytes} from '../stun/index.js';
import {StunServerError} from './errors.js';
import type {RateLimitOptions, RateLimitSettings} from './rate-limiter.js';
import {type ResolvedServices, type ServiceOptions, resolveServices} from './service-options.js';

export interface StunServerOptions {
	/** IP literal of the primary address. Wildcards (0.0.0.0, ::) are refused: replies must leave from a known address. */
	primary: string;
	/** Second IP of the same family. Without it the server runs in single-address mode. */
	alternate?: string;
	/** Primary port (3478). 0 picks a free port, allowed in single-address mode only. */
	port?: number;
	/** Alternate port (3479), used only with an alternate address. */
	altPort?: number;
	rateLimit?: RateLimitOptions;
	/** Sources the rate limiter remembers; the least recently seen is forgotten first. */
	maxSources?: number;
	/** Where the startup lines and the periodic counter line go. */
	log?: (line: string) => void;
	/** How often counters are logged (60 000 ms); nothing is logged for an idle period. */
	logIntervalMs?: number;
	/** SOFTWARE attribute text; '' leaves the attribute out. */
	software?: string;
	/**
	 * The services only `fwcheck serve` offers (SIP echo, control service), and the discovery
	 * attribute that names them. Absent: none, and requests with FWCHECK-QUERY get a plain answer.
	 */
	services?: ServiceOptions;
}

/**
 * Sized for fwcheck itself. Its first pass over the default 2000-port range sends Test 1 once
 * and Test 2 up to six times per port when the router drops the replies: 14 000 requests,
 * possibly in a few seconds. Rechecks go at 1000/s at most. So one source gets a burst of a
 * full worst-case pass and a sustained rate equal to the recheck rate. The total keeps the
 * server's output near 2 MB/s however many sources send (or are spoofed).
 */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
	perSourceBurst: 20_000,
	perSourcePerSecond: 1000,
	totalBurst: 40_000,
	totalPerSecond: 20_000,
};

export const DEFAULT_PORT = 3478;
export const DEFAULT_ALT_PORT = 3479;
export const DEFAULT_MAX_SOURCES = 10_000;
export const DEFAULT_LOG_INTERVAL_MS = 60_000;
export const DEFAULT_SOFTWARE = 'fwcheck';
/** RFC 8489 §14.10 keeps SOFTWARE under 128 characters. */
const MAX_SOFTWARE_LENGTH = 127;

export interface ResolvedServerOptions {
	family: 4 | 6;
	primary: string;
	alternate: string | undefined;
	port: number;
	altPort: number;
	rateLimit: RateLimitSettings;
	maxSources: number;
	log: (line: string) => void;
	logIntervalMs: number;
	software: string;
	services: ResolvedServices | undefined;
}

const invalid = (message: string): StunServerError => new StunServerError('invalid-options', message);

const checkIp = (name: string, ip: string): 4 | 6 => {
	const family = isIP(ip);
	if (family === 0) {
		throw invalid(`${name} address must be an IP address, not "${ip}"`);
	}

	if (ipToBytes(family === 4 ? 4 : 6, ip).every(byte => byte === 0)) {
		throw invalid(`${name} address ${ip} is a wildcard: give the host's real address, so replies leave from a known one`);
	}

	return family === 4 ? 4 : 6;
};

const checkPort = (name: string, port: number, allowZero: boolean): number => {
	if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65_535) {
		throw invalid(`${name} must be a whole number from ${allowZero ? 0 : 1} to 65535, not ${port}`);
	}

	return port;
};

const checkPositive = (name: string, value: number): number => {
	if (!Number.isFinite(value) || value <= 0) {
		throw invalid(`${name} must be a positive number, not ${value}`);
	}

	return value;
};

/** The SIP echo shares no UDP port with STUN, and no TCP port with the control service (0 = the OS picks, never a clash). */
const checkServicePorts = (services: ResolvedServices, stunPort: number, stunPorts: number[]): void => {
	const {sipPort, controlPort, sipEcho} = services;
	if (sipEcho && sipPort !== 0 && stunPort !== 0 && stunPorts.includes(sipPort)) {
		throw invalid(`the SIP port ${sipPort} is also a STUN port: pick another`);
	}

	const control = services.sipOptions || services.connectBack;
	if (sipEcho && control && sipPort !== 0 && sipPort === controlPort) {
		throw invalid(`the SIP port and the control port are both ${sipPort}/tcp: pick two`);
	}
};

/** Fill in defaults and refuse option sets the server cannot honour, with a one-line reason. */
export const resolveOptions = (options: StunServerOptions): ResolvedServerOptions => {
	const family = checkIp('primary', options.primary);
	const alternate = options.alternate === undefined || options.alternate === '' ? undefined : options.alternate;
	if (alternate !== undefined) {
		if (checkIp('alternate', alternate) !== family) {
			throw invalid(`primary ${options.primary} and alternate ${alternate} must both be IPv4 or both IPv6`);
		}

		if (alternate === options.primary) {
			throw invalid('the alternate address must differ from the primary one');
		}
	}

	const port = checkPort('port', options.port ?? DEFAULT_PORT, alternate === undefined);
	const altPort = checkPort('alternate port', options.altPort ?? DEFAULT_ALT_PORT, false);
	if (alternate !== undefined && altPort === port) {
		throw invalid(`the alternate port must differ from the primary port (${port})`);
	}

	const rate: RateLimitSettings = {...DEFAULT_RATE_LIMIT};
	for (const name of Object.keys(rate) as Array<keyof RateLimitSettings>) {
		const value = options.rateLimit?.[name];
		if (value !== undefined) {
			rate[name] = checkPositive(`rateLimit.${name}`, value);
		}
	}

	const software = options.software ?? DEFAULT_SOFTWARE;
	if (software.length > MAX_SOFTWARE_LENGTH) {
		throw invalid(`software text must be under 128 characters, it has ${software.length}`);
	}

	const services = options.services && resolveServices(options.services, alternate !== undefined);
	if (services) {
		checkServicePorts(services, port, alternate === undefined ? [port] : [port, altPort]);
	}

	return {
		family,
		primary: options.primary,
		alternate,
		port,
		altPort,
		rateLimit: rate,
		maxSources: Math.floor(checkPositive('maxSources', options.maxSources ?? DEFAULT_MAX_SOURCES)),
		log: options.log ?? (() => undefined),
		logIntervalMs: checkPositive('logIntervalMs', options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS),
		software,
		services,
	};
};
