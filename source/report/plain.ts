import {describePorts} from '../ports/ranges.js';
import type {CheckConfig, CheckReport, SweepEvent} from '../check/types.js';
import {noTest3Sentence, verdict} from '../check/verdicts.js';
import {formatAddress, formatHostPort} from '../stun/address.js';
import {formatDuration, formatOwner} from '../words/format.js';
import {hostFirewallLines} from '../host-firewall/text.js';
import {countByStatus, networkLines, pacingSentence, problemRanges, remediationFor, unconfirmedSentence} from './summary.js';
import {servicesChecklistLines, servicesPlainLines} from './plain-services.js';
import {servicesSkipped, serviceSummaryItems} from './services-text.js';

/**
 * Line output for pipes, CI and `ssh host fwcheck` without a terminal: a few progress lines,
 * never one per port, then a summary that groups failures into ranges.
 */
export const createPlainReporter = (config: CheckConfig, write: (line: string) => void) => {
	const total = config.ports.length;
	const portsText = `${total} UDP port${total === 1 ? '' : 's'} (${describePorts(config.ports)})`;
	let finished = 0;
	let nextMark = 0.1;
	const step = 0.1;
	return (event: SweepEvent): void => {
		switch (event.type) {
			case 'server-probing': {
				write(`Trying STUN server ${formatHostPort(event.host, event.port)} ...`);
				break;
			}

			case 'server-rejected': {
				write(`  not usable: ${event.detail} (${event.code})`);
				break;
			}

			case 'server-ready': {
				const {server} = event;
				write(
					`Using ${server.host}: ${formatAddress(server.address)}, second address ${formatAddress(server.otherAddress)}, RTT ${server.rttMs} ms`,
				);
				if (!server.responsePort.supported) {
					write(`  ${noTest3Sentence} ${server.responsePort.detail}.`);
				}

				finished = 0;
				nextMark = step;
				write(`Checking ${portsText} ...`);
				break;
			}

			case 'test3-started': {
				write('  Test 3 (unsolicited inbound) on each port before it sends, then Tests 1 and 2 ...');
				break;
			}

			case 'test3-rechecking': {
				// One line per chunk of the range: which part of it this one is.
				const low = event.ports.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
				const high = event.ports.reduce((a, b) => Math.max(a, b), 0);
				const span = event.ports.length > 1 ? ` in ${low}-${high}` : '';
				write(`  ${event.reason}: ${event.ports.length} port${event.ports.length === 1 ? '' : 's'}${span}`);
				break;
			}

			case 'test3-finished': {
				write(
					event.skippedReason
						? `  ${noTest3Sentence} ${event.skippedReason}.`
						: `  Test 3 done: ${event.passed} got in unsolicited, ${event.failed} did not.`,
				);
				break;
			}

			case 'port-finished': {
				finished++;
				if (finished / total >= nextMark && finished <= total) {
					write(`  ${finished}/${total} checked`);
					while (nextMark <= finished / total) {
						nextMark += step;
					}
				}

				break;
			}

			case 'paced': {
				write(`  slowing down to ${event.rate} packets/s: ${event.reason}`);
				break;
			}

			case 'confirming': {
				write(`  ${event.reason}: ${event.ports.length} port${event.ports.length === 1 ? '' : 's'}`);
				break;
			}

			case 'services-started': {
				const tcp = event.tcp.length > 0 ? `, TCP ${describePorts(event.tcp)}` : '';
				write(`Checking SIP ALG (UDP, TCP), the SIP port ${event.sipPort}${tcp} with the server's own services ...`);
				break;
			}

			case 'services-finished': {
				const results = {services: event.services, sip: event.sip, sipService: event.sipService, tcp: event.tcp};
				const skipped = servicesSkipped(results);
				const items = serviceSummaryItems(results).map(([name, value]) => `${name}: ${value}`);
				if (skipped || items.length > 0) {
					write(skipped ? `  skipped: ${skipped}` : `  ${items.join('; ')}`);
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
	if (report.simulation) {
		lines.push(report.simulation);
	}

	lines.push(`${head.symbol} ${report.code}: ${report.message}`);
	if (report.server) {
		lines.push(
			`Server: ${report.server.host} (${report.server.address}, second address ${report.server.otherAddress}; Tests ${report.server.responsePort ? '1-3' : '1-2 only'})`,
		);
	}

	for (const note of report.notes) {
		lines.push(`Note: ${note}`);
	}

	if (report.publicAddress) {
		lines.push(`Public address: ${report.publicAddress}${report.localAddress ? `, this host: ${report.localAddress}` : ''}`);
	}

	lines.push(...networkLines(report), ...hostFirewallPlainLines(report), ...servicesPlainLines(report));
	lines.push(
		`Ports ${describePorts(report.ports.map(result => result.port))}: ${counts.pass} ok, ${counts.fail} failed, ${counts.busy} busy${counts.skipped > 0 ? `, ${counts.skipped} not checked` : ''} in ${formatDuration(report.durationMs)}`,
	);
	const unconfirmed = unconfirmedSentence(report.ports);
	if (unconfirmed) {
		lines.push(unconfirmed);
	}

	const ranges = problemRanges(report.ports);
	if (ranges.length > 0) {
		lines.push('', 'Problems:');
		const shown = ranges.slice(0, 40);
		for (const {range, code} of shown) {
			const owner = code === 'port-in-use' ? busyOwner(report, range) : '';
			lines.push(`  ${range.padEnd(12)} ${verdict(code).symbol} ${verdict(code).label}${owner}`);
		}

		if (ranges.length > shown.length) {
			lines.push(`  ... and ${ranges.length - shown.length} more ranges (see --json)`);
		}

		for (const code of new Set(ranges.map(range => range.code))) {
			const portsText = ranges
				.filter(range => range.code === code)
				.map(range => range.range)
				.slice(0, 6)
				.join(', ');
			const example = report.ports.find(result => result.code === code);
			lines.push('', `What to do (${verdict(code).label}):`);
			for (const step of remediationFor(report, code, portsText, example)) {
				lines.push(`  - ${step}`);
			}

			if (example?.ownerLookup) {
				lines.push(`  To see the owner yourself: ${example.ownerLookup.userCommand.replaceAll('\n', '  then  ')}`);
			}
		}
	} else if (report.status === 'error') {
		lines.push('', 'What to do:');
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
				kind === 'note' ? `Host firewall: ${text}` : kind === 'allow' ? `      allow: ${text}` : `  ${text}`,
			)
		: [];

const busyOwner = (report: CheckReport, range: string): string => {
	const first = Number(range.split('-')[0]);
	const owner = report.ports.find(result => result.port === first)?.owner;
	return owner ? ` held by ${formatOwner(owner)}` : '';
};
