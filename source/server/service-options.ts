import {DEFAULT_MAX_PORTS} from '../wire/index.js';
import {StunServerError} from './errors.js';
import type {RateLimitSettings} from './rate-limiter.js';

/** Every bound of the services only `fwcheck serve` offers. The defaults are the contract; tests may lower them. */
export interface ServiceLimits {
	/** Largest SIP datagram looked at; larger ones are dropped unanswered. */
	sipUdpMaxBytes: number;
	/** Largest SIP message on a TCP connection (headers and body); larger: the connection is closed. */
	sipTcpMaxBytes: number;
	sipTcpIdleMs: number;
	/** Messages one SIP TCP connection may send before the server closes it. */
	sipTcpMaxMessages: number;
	/** SIP echo answers per source and in total, for UDP and for TCP apart (spoofed UDP must not silence TCP). */
	sipRate: RateLimitSettings;
	/** Open TCP connections (SIP echo and control each) from one source (IPv4 address or IPv6 /64). */
	sipConnectionsPerSource: number;
	controlConnectionsPerSource: number;
	/** Open TCP connections per service over all sources. */
	connectionsTotal: number;
	controlIdleMs: number;
	/** A control connection's whole life: whole lines sent now and then must not hold a slot forever. */
	controlLifetimeMs: number;
	/** Requests one control connection may have running; more get "busy". */
	controlInFlight: number;
	connectTimeoutMs: number;
	/** How long a connect-back connection stays open after the nonce line. */
	connectLingerMs: number;
	/** UDP OPTIONS: when to resend, counted from the first send; the whole wait is optionsTimeoutMs. */
	optionsResendAtMs: readonly number[];
	optionsTimeoutMs: number;
	/** Connect-back ports per source per minute, and in total per second (with its burst). */
	connectPerSourcePerMinute: number;
	connectTotalPerSecond: number;
	connectTotalBurst: number;
	/** OPTIONS per source per minute, and in total per second (with its burst). */
	optionsPerSourcePerMinute: number;
	optionsTotalPerSecond: number;
	optionsTotalBurst: number;
}

export const DEFAULT_SERVICE_LIMITS: ServiceLimits = {
	sipUdpMaxBytes: 4096,
	sipTcpMaxBytes: 8192,
	sipTcpIdleMs: 5000,
	sipTcpMaxMessages: 4,
	// A check sends about a dozen SIP requests (two methods, two transports, retransmissions).
	sipRate: {perSourceBurst: 32, perSourcePerSecond: 4, totalBurst: 256, totalPerSecond: 100},
	sipConnectionsPerSource: 4,
	controlConnectionsPerSource: 4,
	connectionsTotal: 256,
	controlIdleMs: 20_000,
	// A check uses one connection for well under a minute (64 TCP ports in chunks, two OPTIONS).
	controlLifetimeMs: 120_000,
	controlInFlight: 4,
	connectTimeoutMs: 3000,
	connectLingerMs: 1000,
	// Sends at 0, 500 ms and 1.5 s: gaps of 500 ms, 1 s, then 1.5 s of waiting to 3 s.
	optionsResendAtMs: [500, 1500],
	optionsTimeoutMs: 3000,
	connectPerSourcePerMinute: 64,
	connectTotalPerSecond: 20,
	connectTotalBurst: 64,
	optionsPerSourcePerMinute: 16,
	optionsTotalPerSecond: 10,
	optionsTotalBurst: 16,
};

export const DEFAULT_SIP_PORT = 5060;
export const DEFAULT_CONTROL_PORT = 3478;

/** The services only `fwcheck serve` offers. Given at all: the services are wanted. */
export interface ServiceOptions {
	/** SIP echo port, UDP and TCP, on the primary IP (5060). 0 lets the OS pick. */
	sipPort?: number;
	/** TCP control service port on the primary IP (3478). 0 lets the OS pick. */
	controlPort?: number;
	/** SIP echo (default on). */
	sipEcho?: boolean;
	/** SIP OPTIONS from the second IP (default on with an alternate address; needs one). */
	sipOptions?: boolean;
	/** TCP connect-back from the second IP (default on with an alternate address; needs one). */
	connectBack?: boolean;
	/** Most ports per connect request (16). */
	maxPorts?: number;
	limits?: Partial<ServiceLimits>;
}

export interface ResolvedServices {
	sipPort: number;
	controlPort: number;
	sipEcho: boolean;
	sipOptions: boolean;
	connectBack: boolean;
	maxPorts: number;
	limits: ServiceLimits;
}

const invalid = (message: string): StunServerError => new StunServerError('invalid-options', message);

const port = (name: string, value: number): number => {
	if (!Number.isInteger(value) || value < 0 || value > 65_535) {
		throw invalid(`${name} must be a whole number from 0 to 65535, not ${value}`);
	}

	return value;
};

/**
 * Defaults and checks. OPTIONS and connect-back need the second address: what they prove is
 * "reachable from an address this port never talked to", so without one they are off, and
 * asking for them is an error.
 */
export const resolveServices = (options: ServiceOptions, hasAlternate: boolean): ResolvedServices => {
	for (const [name, wanted] of [
		['SIP OPTIONS', options.sipOptions],
		['TCP connect-back', options.connectBack],
	] as const) {
		if (wanted === true && !hasAlternate) {
			throw invalid(`${name} sends from the second address: give an alternate address, or turn it off`);
		}
	}

	const maxPorts = options.maxPorts ?? DEFAULT_MAX_PORTS;
	if (!Number.isInteger(maxPorts) || maxPorts < 1 || maxPorts > 64) {
		throw invalid(`maxPorts must be a whole number from 1 to 64, not ${maxPorts}`);
	}

	return {
		sipPort: port('the SIP port', options.sipPort ?? DEFAULT_SIP_PORT),
		controlPort: port('the control port', options.controlPort ?? DEFAULT_CONTROL_PORT),
		sipEcho: options.sipEcho ?? true,
		sipOptions: options.sipOptions ?? hasAlternate,
		connectBack: options.connectBack ?? hasAlternate,
		maxPorts,
		limits: {...DEFAULT_SERVICE_LIMITS, ...options.limits},
	};
};
