import {describePorts} from '../ports/ranges.js';
import type {CheckConfig, CheckReport, SweepEvent} from '../check/types.js';
import {verdict} from '../check/verdicts.js';
import {formatAddress, formatHostPort} from '../stun/address.js';
import {formatDuration, formatOwner} from '../words/format.js';
import {hostFirewallLines} from '../host-firewall/text.js';
import {countByStatus, networkLines, pacingSentence, problemRanges, remediationFor, unconfirmedSentence} from './summary.js';
import {servicesChecklistLines, servicesPlainLines} from './plain-services.js';
import {servicesSkipped, serviceSummaryItems} from './services-text.js';
import {labelInLanguage, measured} from './label-words.js';
import {sayNote, words} from '../catalog/index.js';

/**
 * Line output for pipes, CI and `ssh host fwcheck` without a terminal: a few progress lines,
 * never one per port, then a summary that groups failures into ranges.
 */
export const createPlainReporter = (config: CheckConfig, write: (line: string) => void) => {
	const total = config.ports.length;
	const {progress} = words().report;
	let finished = 0;
	let nextMark = 0.1;
	const step = 0.1;
	return (event: SweepEvent): void => {
		switch (event.type) {
			case 'server-probing': {
				write(progress.trying(formatHostPort(event.host, event.port)));
				break;
			}

			case 'server-rejected': {
				write(`  ${progress.notUsable(sayNote(event.detail), event.code)}`);
				break;
			}

			case 'server-ready': {
				const {server} = event;
				write(
					progress.using(server.host, formatAddress(server.address), formatAddress(server.otherAddress), measured(server.rttMs)),
				);
				if (!server.responsePort.supported) {
					write(`  ${words().verdicts.noTest3} ${sayNote(server.responsePort.detail)}.`);
				}

				finished = 0;
				nextMark = step;
				write(progress.checking(total, describePorts(config.ports)));
				break;
			}

			case 'test3-started': {
				write(`  ${progress.test3Started}`);
				break;
			}

			case 'test3-rechecking': {
				// One line per chunk of the range: which part of it this one is.
				const low = event.ports.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
				const high = event.ports.reduce((a, b) => Math.max(a, b), 0);
				const span = event.ports.length > 1 ? `${low}-${high}` : '';
				write(`  ${progress.rechecking(sayNote(event.reason), event.ports.length, span)}`);
				break;
			}

			case 'test3-finished': {
				write(
					event.skippedReason
						? `  ${words().verdicts.noTest3} ${sayNote(event.skippedReason)}.`
						: `  ${progress.test3Done(event.passed, event.failed)}`,
				);
				break;
			}

			case 'port-finished': {
				finished++;
				if (finished / total >= nextMark && finished <= total) {
					write(`  ${progress.checked(finished, total)}`);
					while (nextMark <= finished / total) {
						nextMark += step;
					}
				}

				break;
			}

			case 'paced': {
				write(`  ${progress.slowingDown(event.rate, sayNote(event.reason))}`);
				break;
			}

			case 'confirming': {
				write(`  ${progress.rechecking(sayNote(event.reason), event.ports.length, '')}`);
				break;
			}

			case 'services-started': {
				write(progress.services(event.sipPort, event.tcp.length > 0 ? describePorts(event.tcp) : ''));
				break;
			}

			case 'services-finished': {
				const results = {services: event.services, sip: event.sip, sipService: event.sipService, tcp: event.tcp};
				const skipped = servicesSkipped(results);
				const items = serviceSummaryItems(results).map(([name, value]) => `${name}: ${value}`);
				if (skipped || items.length > 0) {
					write(skipped ? `  ${progress.servicesSkipped(skipped)}` : `  ${items.join('; ')}`);
				}

				break;
			}

			default: {
				break;
			}
		}
	};
};

export const formatSummary = (report: CheckReport): string[] => {
	const lines: string[] = [''];
	const counts = countByStatus(report.ports);
	const head = verdict(report.code);
	const {summary} = words().report;
	if (report.simulation) {
		lines.push(labelInLanguage(report.simulation));
	}

	// The report's message is the verdict's sentence in English (for --json): people read theirs.
	lines.push(`${head.symbol} ${report.code}: ${head.sentence}`);
	if (report.server) {
		const {host, address, otherAddress, responsePort} = report.server;
		lines.push(summary.server(host, String(address), String(otherAddress), responsePort ? summary.testsAll : summary.testsTwo));
	}

	for (const note of report.notes) {
		lines.push(summary.note(sayNote(note)));
	}

	if (report.publicAddress) {
		lines.push(
			report.localAddress
				? summary.publicAndLocal(report.publicAddress, report.localAddress)
				: summary.publicAddress(report.publicAddress),
		);
	}

	lines.push(...networkLines(report), ...hostFirewallPlainLines(report), ...servicesPlainLines(report));
	lines.push(
		summary.ports(
			describePorts(report.ports.map(result => result.port)),
			counts.pass,
			counts.fail,
			counts.busy,
			counts.skipped > 0 ? summary.notChecked(counts.skipped) : '',
			formatDuration(report.durationMs),
		),
	);
	const unconfirmed = unconfirmedSentence(report.ports);
	if (unconfirmed) {
		lines.push(unconfirmed);
	}

	const ranges = problemRanges(report.ports);
	if (ranges.length > 0) {
		lines.push('', summary.problems);
		const shown = ranges.slice(0, 40);
		for (const {range, code} of shown) {
			const owner = code === 'port-in-use' ? busyOwner(report, range) : '';
			lines.push(`  ${range.padEnd(12)} ${verdict(code).symbol} ${verdict(code).label}${owner}`);
		}

		if (ranges.length > shown.length) {
			lines.push(`  ${summary.moreRanges(ranges.length - shown.length)}`);
		}

		for (const code of new Set(ranges.map(range => range.code))) {
			const portsText = ranges
				.filter(range => range.code === code)
				.map(range => range.range)
				.slice(0, 6)
				.join(', ');
			const example = report.ports.find(result => result.code === code);
			lines.push('', summary.whatToDoFor(verdict(code).label));
			for (const step of remediationFor(report, code, portsText, example)) {
				lines.push(`  - ${step}`);
			}

			if (example?.ownerLookup) {
				lines.push(`  ${summary.seeOwner(example.ownerLookup.userCommand.replaceAll('\n', summary.then))}`);
			}
		}
	} else if (report.status === 'error') {
		lines.push('', summary.whatToDo);
		for (const step of remediationFor(report, report.code)) {
			lines.push(`  - ${step}`);
		}
	}

	lines.push(...servicesChecklistLines(report));
	const pacing = pacingSentence(report);
	if (pacing) {
		lines.push('', pacing);
	}

	return lines;
};

/** "Host firewall: …" and its ranges, when it was read or tried. */
const hostFirewallPlainLines = (report: CheckReport): string[] =>
	report.hostFirewall
		? hostFirewallLines(report.hostFirewall).map(({kind, text}) =>
				kind === 'note'
					? words().report.summary.hostFirewall(text)
					: kind === 'allow'
						? `      ${words().report.summary.allow(text)}`
						: `  ${text}`,
			)
		: [];

const busyOwner = (report: CheckReport, range: string): string => {
	const first = Number(range.split('-')[0]);
	const owner = report.ports.find(result => result.port === first)?.owner;
	return owner ? words().report.summary.heldBy(formatOwner(owner)) : '';
};
