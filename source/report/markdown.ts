import {formatHostPort} from '../stun/address.js';
import {describePorts, formatRange, groupRanges} from '../ports/ranges.js';
import type {CheckReport, PortResult, TestDetail} from '../check/types.js';
import {type VerdictCode, verdict} from '../check/verdicts.js';
import {formatDuration, formatOwner} from '../words/format.js';
import {hostFirewallSection, networkSection, networkSummaryItems} from './markdown-network.js';
import {servicesSection, servicesSummaryItems} from './markdown-services.js';
import {isServiceCode} from './services-text.js';
import {countByStatus, pacingSentence, problemRanges, remediationFor, unconfirmedSentence} from './summary.js';

/** Above this many failed ports, the details table shows one row per range, not per port. */
const maxPortRows = 50;
/** A ticket stays readable even when the router scrambles every other port. */
const maxRangeRows = 100;
const maxSlowdowns = 10;

export interface MarkdownOptions {
	/** When the report was made; printed in the summary table. */
	generatedAt?: Date;
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ');

const table = (head: string[], rows: string[][], align?: string[]): string[] => [
	`| ${head.join(' | ')} |`,
	`| ${(align ?? head.map(() => '---')).join(' | ')} |`,
	...rows.map(row => `| ${row.map(text => cell(text)).join(' | ')} |`),
];

const localTime = (date: Date): string => {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

const verdictName = (code: VerdictCode): string => `${verdict(code).symbol} ${verdict(code).label}`;

const testText = (detail: TestDetail): string => {
	switch (detail.outcome) {
		case 'pass': {
			return `pass${detail.rttMs === null ? '' : `, ${detail.rttMs} ms`}`;
		}

		case 'fail': {
			const wrong = detail.wrongSource.length > 0 ? `, ignored reply from ${detail.wrongSource.join(', ')}` : '';
			return `no reply (${detail.sends} sends, ${detail.elapsedMs} ms${detail.attempts > 1 ? `, ${detail.attempts} passes` : ''})${wrong}`;
		}

		default: {
			return 'skipped';
		}
	}
};

const summaryList = (report: CheckReport, options: MarkdownOptions): string[] => {
	const counts = countByStatus(report.ports);
	const parts = [`${counts.pass} ok`, `${counts.fail} failed`, `${counts.busy} busy`];
	if (counts.skipped > 0) {
		parts.push(`${counts.skipped} not checked`);
	}

	const items: Array<[string, string]> = [
		['Ports', `${report.ports.length} UDP (${describePorts(report.ports.map(result => result.port))}): ${parts.join(', ')}`],
	];
	if (report.server) {
		const {host, address, otherAddress, responsePort} = report.server;
		items.push([
			'STUN server',
			`${host} (${address ?? 'address unknown'}, second address ${otherAddress ?? 'none'}; Tests ${responsePort ? '1-3' : '1-2 only'})`,
		]);
	}

	items.push(['Public address', report.publicAddress ?? 'not found']);
	if (report.localAddress) {
		items.push(['This host', report.localAddress]);
	}

	items.push(...networkSummaryItems(report), ...servicesSummaryItems(report));
	items.push(['Duration', formatDuration(report.durationMs)]);
	if (options.generatedAt) {
		items.push(['Generated', `${localTime(options.generatedAt)} (local time of the host that ran the check)`]);
	}

	return items.map(([name, value]) => `- **${name}:** ${value}`);
};

const rangesSection = (report: CheckReport): string[] => {
	const ranges = problemRanges(report.ports);
	if (ranges.length === 0) {
		return [];
	}

	const shown = ranges.slice(0, maxRangeRows);
	const lines = [
		'## Failed and busy ports',
		'',
		...table(
			['Ports', 'Count', 'Verdict', 'What it means'],
			shown.map(({range, code, count}) => [range, String(count), verdictName(code), verdict(code).sentence]),
			['---', '---:', '---', '---'],
		),
	];
	if (ranges.length > shown.length) {
		lines.push('', `… and ${ranges.length - shown.length} more ranges: see the JSON report.`);
	}

	return [...lines, ''];
};

const busyLines = (ports: PortResult[]): string[] =>
	ports.flatMap(result => {
		const who = result.owner ? `held by ${formatOwner(result.owner)}` : 'held by another program';
		const command = result.ownerLookup?.userCommand;
		if (!command) {
			return [`- Port ${result.port}: ${who}.`];
		}

		return [
			`- Port ${result.port}: ${who}. To see it yourself:`,
			'',
			'  ```',
			...command.split('\n').map(text => `  ${text}`),
			'  ```',
			'',
		];
	});

const remediationSection = (report: CheckReport): string[] => {
	const lines: string[] = ['## What to do', ''];
	const overall = report.code;
	// Check-level verdicts (some-failed, no usable server) have their own checklist; SIP and TCP ones have their section.
	const checkLevel = overall !== 'ok' && overall !== 'cancelled' && !isServiceCode(overall);
	if (checkLevel && !report.ports.some(result => result.code === overall)) {
		lines.push(
			`### ${verdictName(overall)}`,
			'',
			...remediationFor(report, overall).map((step, index) => `${index + 1}. ${step}`),
			'',
		);
	}

	const byCode = new Map<VerdictCode, PortResult[]>();
	for (const result of report.ports) {
		if ((result.status === 'fail' || result.status === 'busy') && result.code) {
			byCode.set(result.code, [...(byCode.get(result.code) ?? []), result]);
		}
	}

	for (const [code, results] of byCode) {
		const ports = describePorts(
			results.map(result => result.port),
			8,
		);
		lines.push(`### ${verdictName(code)}: ${ports}`, '');
		if (code === 'port-in-use') {
			lines.push(...busyLines(results.slice(0, 20)));
			if (results.length > 20) {
				lines.push(`- … and ${results.length - 20} more busy ports.`);
			}

			lines.push('');
		}

		// One owner for every busy port (the PBX, usually) can be named in the checklist.
		const owners = new Set(results.map(result => result.owner?.pid));
		const owner = code === 'port-in-use' && owners.size === 1 ? results[0] : undefined;
		lines.push(...remediationFor(report, code, ports, owner).map((step, index) => `${index + 1}. ${step}`), '');
	}

	if (report.status === 'cancelled') {
		lines.push(...remediationFor(report, 'cancelled').map(step => `- ${step}`), '');
	}

	return lines.length > 2 ? lines : [];
};

const serversSection = (report: CheckReport): string[] =>
	report.serversTried.length === 0
		? []
		: [
				'## STUN servers passed over',
				'',
				...table(
					['Server', 'Verdict', 'Why'],
					report.serversTried.map(tried => [formatHostPort(tried.host, tried.port), verdictName(tried.code), tried.detail]),
				),
				'',
			];

const pacingSection = (report: CheckReport): string[] => {
	const {pacing, stats} = report;
	const lines = ['## Pacing', ''];
	const sentence = pacingSentence(report);
	lines.push(sentence ?? 'The check never had to slow down: nothing on the path limited the rate of UDP packets.', '');
	for (const slowdown of pacing.slowdowns.slice(0, maxSlowdowns)) {
		lines.push(`- At ${formatDuration(slowdown.atMs)}: slowed to ${slowdown.rate} packets/s (${slowdown.reason}).`);
	}

	if (pacing.slowdowns.length > maxSlowdowns) {
		lines.push(`- … and ${pacing.slowdowns.length - maxSlowdowns} more slowdowns.`);
	}

	if (pacing.confirmed > 0) {
		lines.push(`- ${pacing.confirmed} failed ports were rechecked slowly; ${pacing.flipped} of them changed verdict.`);
	}

	const {garbage, unknownTransaction, wrongSource} = stats.dropped;
	lines.push(
		`- ${stats.packetsSent} packets sent. Ignored on the checked ports: ${garbage} not STUN, ${unknownTransaction} for no request in flight, ${wrongSource} from an unexpected address.`,
		'',
	);
	return lines;
};

const detailsSection = (report: CheckReport): string[] => {
	const failed = report.ports.filter(result => result.status === 'fail');
	if (failed.length === 0) {
		return [];
	}

	const head = [
		'Ports',
		'Verdict',
		'Test 1 (reachability)',
		'Test 2 (1:1 forwarding)',
		'Test 3 (unsolicited)',
		'Mapped address',
		'Notes',
	];
	const row = (ports: string, result: PortResult): string[] => [
		ports,
		result.code ? verdictName(result.code) : '',
		testText(result.test1),
		testText(result.test2),
		testText(result.test3),
		result.mapped ?? '',
		result.notes.join(' '),
	];
	if (failed.length <= maxPortRows) {
		return [
			'## Details of failed ports',
			'',
			...table(
				head,
				failed.map(result => row(String(result.port), result)),
			),
			'',
		];
	}

	// Thousands of rows help nobody: one row per range, its first port standing for the rest.
	const byPort = new Map(failed.map(result => [result.port, result]));
	const ranges = groupRanges(failed.map(result => ({port: result.port, value: result.code})));
	const shown = ranges.slice(0, maxRangeRows);
	const lines = [
		'## Details of failed ports',
		'',
		`${failed.length} ports failed: one row per range below, showing its first port. The JSON report has every port.`,
		'',
		...table(
			head,
			shown.map(range =>
				row(range.from === range.to ? String(range.from) : `${formatRange(range)} (e.g. ${range.from})`, byPort.get(range.from)!),
			),
		),
	];
	if (ranges.length > shown.length) {
		lines.push('', `… and ${ranges.length - shown.length} more ranges.`);
	}

	return [...lines, ''];
};

/** A report to paste into a ticket: verdict first, failures as ranges, what to do per kind. */
export const toMarkdown = (report: CheckReport, options: MarkdownOptions = {}): string => {
	const head = verdict(report.code);
	const lines = [
		'# fwcheck: UDP port forwarding report',
		'',
		...(report.simulation ? [`> **${report.simulation}**`, ''] : []),
		`**${head.symbol} ${head.label}: ${report.message}**`,
		'',
		...report.notes.flatMap(note => [`> ${note}`, '']),
		...summaryList(report, options),
		'',
	];
	if (report.status === 'cancelled') {
		const checked = report.ports.filter(result => result.status !== 'skipped').length;
		lines.push(`The check was cancelled after ${checked} of ${report.ports.length} ports; the others were not checked.`, '');
		const unconfirmed = unconfirmedSentence(report.ports);
		if (unconfirmed) {
			lines.push(unconfirmed, '');
		}
	}

	lines.push(
		...rangesSection(report),
		...remediationSection(report),
		...servicesSection(report),
		...hostFirewallSection(report),
		...networkSection(report),
		...serversSection(report),
		...pacingSection(report),
		...detailsSection(report),
	);
	return `${lines
		.join('\n')
		.replaceAll(/\n{3,}/g, '\n\n')
		.trimEnd()}\n`;
};
