import type {ServerStats} from './counters.js';
import type {ServiceStats} from './service-stats.js';

type Sample = [labels: string, value: number];

const family = (name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): string[] => [
	`# HELP ${name} ${help}`,
	`# TYPE ${name} ${type}`,
	...samples.map(([labels, value]) => `${name}${labels} ${value}`),
];

/**
 * The counters `fwcheck serve` already keeps, in Prometheus text format 0.0.4 for its /metrics
 * endpoint. Counters since the server started; the label values are fixed words, never input.
 */
export const serverMetricsText = (stats: ServerStats, services: ServiceStats): string =>
	`${[
		...family('fwcheck_serve_stun_answered_total', 'counter', 'STUN success responses sent, by request kind.', [
			['{kind="rfc8489"}', stats.answeredByKind.rfc8489],
			['{kind="rfc3489"}', stats.answeredByKind.rfc3489],
		]),
		...family('fwcheck_serve_stun_change_requests_total', 'counter', 'Answers sent from the other address or port.', [
			['{change="ip"}', stats.answeredByKind.changeIp],
			['{change="port"}', stats.answeredByKind.changePort],
			['{change="both"}', stats.answeredByKind.changeBoth],
		]),
		...family('fwcheck_serve_stun_errors_sent_total', 'counter', 'STUN error responses sent, by code.', [
			['{code="400"}', stats.badRequest400],
			['{code="420"}', stats.unknownAttribute420],
		]),
		...family('fwcheck_serve_stun_dropped_total', 'counter', 'Datagrams not answered, by reason.', [
			['{reason="malformed"}', stats.droppedMalformed],
			['{reason="not-request"}', stats.droppedNotRequest],
			['{reason="other-method"}', stats.droppedOtherMethod],
			['{reason="send-error"}', stats.sendErrors],
			['{reason="internal-error"}', stats.internalErrors],
		]),
		...family('fwcheck_serve_rate_limited_total', 'counter', 'Replies not sent because a rate was exceeded, by service.', [
			['{service="stun"}', stats.rateLimited],
			['{service="sip"}', services.sipRateLimited],
		]),
		...family('fwcheck_serve_stun_sources', 'gauge', 'Sources the rate limiter remembers now.', [['', stats.sources]]),
		...family('fwcheck_serve_sip_answered_total', 'counter', 'SIP echo answers sent, UDP and TCP.', [['', services.sipAnswered]]),
		...family('fwcheck_serve_sip_too_large_total', 'counter', 'SIP echo answers that were 513 Message Too Large.', [
			['', services.sipTooLarge],
		]),
		...family('fwcheck_serve_sip_dropped_total', 'counter', 'SIP messages not answered.', [['', services.sipDropped]]),
		...family('fwcheck_serve_control_requests_total', 'counter', 'Control requests answered, by outcome.', [
			['{outcome="ok"}', services.controlRequests - services.controlErrors],
			['{outcome="error"}', services.controlErrors],
		]),
		...family('fwcheck_serve_connections_refused_total', 'counter', 'TCP connections refused at once (too many).', [
			['', services.connectionsRefused],
		]),
		...family('fwcheck_serve_unread_cut_off_total', 'counter', 'Control connections dropped for unread replies.', [
			['', services.unreadCutOff],
		]),
		...family('fwcheck_serve_connect_back_ports_total', 'counter', 'TCP ports connected back to.', [
			['', services.connectBackPorts],
		]),
		...family('fwcheck_serve_sip_options_sent_total', 'counter', 'SIP OPTIONS sent to clients.', [['', services.optionsSent]]),
	].join('\n')}\n`;
