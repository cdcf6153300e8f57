import {formatHostPort} from '../stun/address.js';
import {describePorts, formatRange, groupRanges} from '../ports/ranges.js';
import type {CheckReport, PortResult, TestDetail} from '../check/types.js';
import {type VerdictCode, verdict} from '../check/verdicts.js';
import {formatDuration, formatOwner} from '../words/format.js';
import {hostFirewallSection, networkSection, networkSummaryItems} from './markdown-network.js';
import {servicesSection, servicesSummaryItems} from './markdown-services.js';
import {isServiceCode} from './services-text.js';
import {countByStatus, pacingSentence, problemRanges, remediationFor, unconfirmedSentence} from './summary.js';
import {labelInLanguage, measured} from './label-words.js';
import {sayNote, words} from '../catalog/index.js';

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
	const {markdown} = words().report;
	switch (detail.outcome) {
		case 'pass': {
			return detail.rttMs === null ? markdown.testPass : markdown.testPassRtt(measured(detail.rttMs));
		}

		case 'fail': {
			const wrong = detail.wrongSource.length > 0 ? markdown.ignoredFrom(detail.wrongSource.join(', ')) : '';
			const passes = detail.attempts > 1 ? markdown.passes(detail.attempts) : '';
			return markdown.testNoReply(detail.sends, detail.elapsedMs, passes, wrong);
		}

		default: {
			return markdown.testSkipped;
		}
	}
};

const summaryList = (report: CheckReport, options: MarkdownOptions): string[] => {
	const counts = countByStatus(report.ports);
	const {markdown, summary} = words().report;
	const parts = [markdown.countOk(counts.pass), markdown.countFailed(counts.fail), markdown.countBusy(counts.busy)];
	if (counts.skipped > 0) {
		parts.push(markdown.countNotChecked(counts.skipped));
	}

	const items: Array<[string, string]> = [
		[
			markdown.ports,
			markdown.portsValue(
				report.ports.length,
				describePorts(report.ports.map(result => result.port)),
				parts.join(markdown.listJoin),
			),
		],
	];
	if (report.server) {
		const {host, address, otherAddress, responsePort} = report.server;
		items.push([
			markdown.stunServer,
			markdown.stunServerValue(
				host,
				address ?? markdown.addressUnknown,
				otherAddress ?? markdown.none,
				responsePort ? summary.testsAll : summary.testsTwo,
			),
		]);
	}

	items.push([markdown.publicAddress, report.publicAddress ?? markdown.notFound]);
	if (report.localAddress) {
		items.push([markdown.thisHost, report.localAddress]);
	}

	items.push(...networkSummaryItems(report), ...servicesSummaryItems(report));
	items.push([markdown.duration, formatDuration(report.durationMs)]);
	if (options.generatedAt) {
		items.push([markdown.generated, markdown.generatedAt(localTime(options.generatedAt))]);
	}

	return items.map(([name, value]) => markdown.item(name, value));
};

const rangesSection = (report: CheckReport): string[] => {
	const ranges = problemRanges(report.ports);
	if (ranges.length === 0) {
		return [];
	}

	const shown = ranges.slice(0, maxRangeRows);
	const {markdown} = words().report;
	const lines = [
		`## ${markdown.failedAndBusy}`,
		'',
		...table(
			[markdown.ports, markdown.count, markdown.verdict, markdown.meaning],
			shown.map(({range, code, count}) => [range, String(count), verdictName(code), verdict(code).sentence]),
			['---', '---:', '---', '---'],
		),
	];
	if (ranges.length > shown.length) {
		lines.push('', markdown.moreRangesJson(ranges.length - shown.length));
	}

	return [...lines, ''];
};

const busyLines = (ports: PortResult[]): string[] =>
	ports.flatMap(result => {
		const {markdown} = words().report;
		const who = result.owner ? markdown.heldBy(formatOwner(result.owner)) : markdown.heldByOther;
		const command = result.ownerLookup?.userCommand;
		if (!command) {
			return [markdown.busyPort(result.port, who)];
		}

		return [markdown.busyPortSee(result.port, who), '', '  ```', ...command.split('\n').map(text => `  ${text}`), '  ```', ''];
	});

const remediationSection = (report: CheckReport): string[] => {
	const {markdown} = words().report;
	const lines: string[] = [`## ${markdown.whatToDo}`, ''];
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
				lines.push(markdown.moreBusy(results.length - 20));
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
				`## ${words().report.markdown.serversPassedOver}`,
				'',
				...table(
					[words().report.markdown.server, words().report.markdown.verdict, words().report.markdown.why],
					report.serversTried.map(tried => [
						formatHostPort(tried.host, tried.port),
						verdictName(tried.code),
						sayNote(tried.detail),
					]),
				),
				'',
			];

const pacingSection = (report: CheckReport): string[] => {
	const {pacing, stats} = report;
	const {markdown} = words().report;
	const lines = [`## ${markdown.pacing}`, ''];
	const sentence = pacingSentence(report);
	lines.push(sentence ?? markdown.neverSlowed, '');
	for (const slowdown of pacing.slowdowns.slice(0, maxSlowdowns)) {
		lines.push(markdown.slowedAt(formatDuration(slowdown.atMs), slowdown.rate, sayNote(slowdown.reason)));
	}

	if (pacing.slowdowns.length > maxSlowdowns) {
		lines.push(markdown.moreSlowdowns(pacing.slowdowns.length - maxSlowdowns));
	}

	if (pacing.confirmed > 0) {
		lines.push(markdown.rechecked(pacing.confirmed, pacing.flipped));
	}

	const {garbage, unknownTransaction, wrongSource} = stats.dropped;
	lines.push(markdown.packets(stats.packetsSent, garbage, unknownTransaction, wrongSource), '');
	return lines;
};

const detailsSection = (report: CheckReport): string[] => {
	const failed = report.ports.filter(result => result.status === 'fail');
	if (failed.length === 0) {
		return [];
	}

	const {markdown} = words().report;
	const head = [
		markdown.ports,
		markdown.verdict,
		markdown.test1,
		markdown.test2,
		markdown.test3,
		markdown.mappedAddress,
		markdown.notes,
	];
	const row = (ports: string, result: PortResult): string[] => [
		ports,
		result.code ? verdictName(result.code) : '',
		testText(result.test1),
		testText(result.test2),
		testText(result.test3),
		result.mapped ?? '',
		result.notes.map(note => sayNote(note)).join(' '),
	];
	if (failed.length <= maxPortRows) {
		return [
			`## ${markdown.detailsOfFailed}`,
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
		`## ${markdown.detailsOfFailed}`,
		'',
		markdown.manyFailed(failed.length),
		'',
		...table(
			head,
			shown.map(range =>
				row(
					range.from === range.to ? String(range.from) : markdown.rangeExample(formatRange(range), range.from),
					byPort.get(range.from)!,
				),
			),
		),
	];
	if (ranges.length > shown.length) {
		lines.push('', markdown.moreRanges(ranges.length - shown.length));
	}

	return [...lines, ''];
};

/** A report to paste into a ticket: verdict first, failures as ranges, what to do per kind. */
export const toMarkdown = (report: CheckReport, options: MarkdownOptions = {}): string => {
	const head = verdict(report.code);
	const {markdown} = words().report;
	const lines = [
		`# ${markdown.title}`,
		'',
		...(report.simulation ? [`> **${labelInLanguage(report.simulation)}**`, ''] : []),
		// The report's message is the verdict's sentence in English (for --json): people read theirs.
		`**${head.symbol} ${head.label}: ${head.sentence}**`,
		'',
		...report.notes.flatMap(note => [`> ${sayNote(note)}`, '']),
		...summaryList(report, options),
		'',
	];
	if (report.status === 'cancelled') {
		const checked = report.ports.filter(result => result.status !== 'skipped').length;
		lines.push(markdown.cancelledAfter(checked, report.ports.length), '');
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
