// `fwcheck serve`: a STUN server that can answer Test 2 (RFC 5780 / RFC 3489 CHANGE-REQUEST).
export {type StunServer, startStunServer} from './server.js';
export {type StunServerOptions, DEFAULT_RATE_LIMIT, DEFAULT_PORT, DEFAULT_ALT_PORT, DEFAULT_MAX_SOURCES} from './options.js';
export type {RateLimitOptions} from './rate-limiter.js';
export {StunServerError, type StunServerErrorCode, formatServerError} from './errors.js';
export type {ServerStats} from './counters.js';
export type {Endpoint, ServerMode} from './endpoints.js';
export {AMPLIFICATION_FACTOR} from './reply-budget.js';
export {
	respond,
	type ServerDecision,
	type IncomingDatagram,
	type ResponderSettings,
	PADDING_TYPE,
	PADDING_ECHO_LIMIT,
} from './respond.js';
export {
	type ServiceOptions,
	type ServiceLimits,
	DEFAULT_SERVICE_LIMITS,
	DEFAULT_SIP_PORT,
	DEFAULT_CONTROL_PORT,
} from './service-options.js';
export type {ServiceStats} from './service-stats.js';
