import type {CheckReport, CheckStatus} from '../check/types.js';
import type {PortVerdictCode} from '../check/verdict-types.js';
import type {PathVerdict} from '../router/types.js';

/**
 * Every port verdict, so each series exists from the first run on: an alert on
 * `fwcheck_ports{verdict!="ok"} > 0` then sees a port start failing as a change, not as a series
 * appearing. A Record so that a new verdict is a type error here until it is listed.
 */
const portVerdicts: Record<PortVerdictCode | 'skipped', true> = {
	ok: true,
	'mapping-only': true,
	'inbound-blocked': true,
	'port-translated': true,
	'outbound-blocked': true,
	'address-mismatch': true,
	'port-in-use': true,
	'port-not-permitted': true,
	skipped: true,
};

const statuses: Record<CheckStatus, true> = {pass: true, fail: true, error: true, cancelled: true};

const pathVerdicts: Record<PathVerdict, true> = {edge: true, 'double-nat': true, cgnat: true, 'no-nat': true, unknown: true};

/** A label value as the text format quotes it. */
const quoted = (value: string): string => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

const gauge = (name: string, help: string, samples: Array<[labels: Record<string, string>, value: number]>): string[] => [
	`# HELP ${name} ${help}`,
	`# TYPE ${name} gauge`,
	...samples.map(([labels, value]) => {
		const pairs = Object.entries(labels).map(([label, text]) => `${label}=${quoted(text)}`);
		return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${value}`;
	}),
];

/** One sample per value of an enumeration, 1 for the one that holds: the node_exporter way to export a state. */
const oneOf = (values: Record<string, true>, label: string, current: string): Array<[Record<string, string>, number]> =>
	Object.keys(values).map(value => [{[label]: value}, value === current ? 1 : 0]);

/**
 * The check as node_exporter's textfile collector reads it (Prometheus text format 0.0.4): a few
 * gauges written by hand rather than with prom-client, which would add a registry and its start-up
 * to every check for what is a dozen lines of text. `finishedAt` is when the check ended.
 */
export const toPrometheus = (report: CheckReport, finishedAt: Date): string => {
	const counts = new Map<string, number>();
	for (const {code} of report.ports) {
		const verdict = code ?? 'skipped';
		counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
	}

	const algChecks = report.sip ? [report.sip.udp, report.sip.tcp].filter(check => check.status !== 'skipped') : [];
	const lines = [
		...gauge(
			'fwcheck_ports',
			'Ports of the last check by verdict code.',
			Object.keys(portVerdicts).map(verdict => [{verdict}, counts.get(verdict) ?? 0]),
		),
		...gauge('fwcheck_check_success', 'Whether the last check passed (1) or not (0).', [[{}, report.status === 'pass' ? 1 : 0]]),
		...gauge('fwcheck_check_status', "The last check's status: 1 for the one it had.", oneOf(statuses, 'status', report.status)),
		...gauge('fwcheck_check_duration_seconds', 'How long the last check took.', [[{}, report.durationMs / 1000]]),
		...gauge('fwcheck_last_run_timestamp_seconds', 'When the last check ended, in unix seconds.', [
			[{}, Math.floor(finishedAt.getTime() / 1000)],
		]),
		// Only what was looked at: a path or SIP ALG not checked is absent, not a made-up 0.
		...(report.path === undefined
			? []
			: gauge(
					'fwcheck_path_verdict',
					'How many NATs stand in the way: 1 for the verdict found.',
					oneOf(pathVerdicts, 'verdict', report.path.verdict),
				)),
		...(algChecks.length === 0
			? []
			: gauge(
					'fwcheck_sip_alg',
					'Whether a SIP ALG rewrote the test message (1) or not (0), by transport.',
					algChecks.map(check => [{transport: check.transport}, check.alg ? 1 : 0]),
				)),
	];
	return `${lines.join('\n')}\n`;
};
