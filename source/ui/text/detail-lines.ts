import {formatOwner} from '../../words/format.js';
import {formatAddress, formatHostPort} from '../../stun/address.js';
import type {PortResult, TestDetail} from '../../check/types.js';
import {verdict} from '../../check/verdicts.js';
import {remediationContext} from '../state/selectors.js';
import {hostFirewallPortLines} from './host-firewall-lines.js';
import type {Row, SweepState} from '../state/types.js';
import {formatMs, plural, toneOfCode, verdictText} from './format.js';
import {type Line, blank, line} from './line.js';
import {sipPortLines} from './services-lines.js';
import {spinnerFrame} from './spinner.js';
import {chop, paragraph} from './wrap.js';

// A busy host can list thousands of sockets: the pane scrolls, but there is no use in more.
const maxOutputLines = 200;

const heading = (text: string): Line => line({text, bold: true});

const testLines = (title: string, detail: TestDetail, which: 1 | 2 | 3, size: number): Line[] => {
	const outcome =
		detail.outcome === 'pass'
			? {text: '✔ pass', tone: 'ok' as const}
			: detail.outcome === 'fail'
				? {text: '✘ fail', tone: 'bad' as const}
				: {text: '– skipped', tone: 'muted' as const};
	const lines: Line[] = [line({text: title, bold: true}, '  ', {...outcome, bold: true})];
	if (detail.outcome === 'skipped') {
		return lines;
	}

	const facts = [
		detail.from ? `reply from ${detail.from}` : 'no accepted reply',
		detail.rttMs === null ? undefined : `round trip ${formatMs(detail.rttMs)}`,
		plural(detail.sends, 'request'),
		`decided after ${formatMs(detail.elapsedMs)}`,
		detail.attempts > 1 ? `${detail.attempts} passes (rechecked slowly)` : '1 pass',
	].filter(Boolean);
	lines.push(...paragraph(facts.join(' · '), size, {}, '  '));
	if (detail.wrongSource.length > 0) {
		const why =
			which === 1
				? 'They came from an address other than the one asked.'
				: `Test ${which} only accepts replies from the server's second IP: an answer from anywhere else proves nothing about forwarding.`;
		lines.push(
			...paragraph(
				`Ignored ${plural(detail.wrongSource.length, 'reply', 'replies')} from ${detail.wrongSource.join(', ')}. ${why}`,
				size,
				{tone: 'warn'},
				'  ',
			),
		);
	}

	return lines;
};

/** Test 3 with what it asked: where the answer was to go, and whether it came. */
const test3Lines = (state: SweepState, result: PortResult, size: number): Line[] => {
	const lines = testLines('Test 3 · unsolicited inbound', result.test3, 3, size);
	const support = state.server?.info?.responsePort;
	const publicIp = state.publicIp ?? state.report?.publicAddress ?? 'the public IP';
	const text =
		result.test3.outcome === 'skipped'
			? support?.supported === false
				? `This server cannot run Test 3 (${support.detail}): a router that only lets replies in would read ok.`
				: undefined
			: `Asked from another local socket, before this port sent anything, for an answer from the server's second IP to ${publicIp}:${result.port} (RESPONSE-PORT ${result.port}); ${result.test3.outcome === 'pass' ? 'it arrived on this port: only a static forward lets that in.' : 'it never arrived: nothing lets traffic in to this port until it has sent out.'}`;
	if (text) {
		lines.push(...paragraph(text, size, {tone: 'muted'}, '  '));
	}

	return lines;
};

const heldByLines = (result: PortResult, size: number): Line[] => {
	const {owner} = result;
	if (!owner) {
		const note = result.ownerLookup?.note;
		return [
			blank,
			heading('Held by a program fwcheck could not identify'),
			...(note === undefined ? [] : paragraph(note, size, {tone: 'muted'}, '  ')),
		];
	}

	// Wrapped, not cut: a long (or Japanese, two cells a character) name is the answer here.
	const [first, ...rest] = paragraph(formatOwner(owner), size, {tone: 'warn', bold: true}, 'Held by ', '  ');
	const note = result.ownerLookup?.note;
	return [
		blank,
		[{text: 'Held by ', bold: true}, ...first!.slice(1)],
		...rest,
		...(note === undefined ? [] : paragraph(note, size, {tone: 'muted'}, '  ')),
	];
};

/** The evidence for a busy port, after what to do about it: the command to run and its output. */
const ownerLines = (result: PortResult, size: number): Line[] => {
	const lines: Line[] = [];
	if (!result.ownerLookup) {
		return lines;
	}

	lines.push(blank, heading('Run this yourself to see who holds it:'));
	for (const command of result.ownerLookup.userCommand.split('\n')) {
		for (const [index, part] of chop(command, size - 4).entries()) {
			lines.push(line(index === 0 ? '  $ ' : '    ', {text: part, tone: 'info'}));
		}
	}

	if (result.ownerLookup.excerpt.trim() !== '') {
		lines.push(blank, heading('What fwcheck found'));
		for (const text of result.ownerLookup.excerpt.split('\n').flatMap(raw => chop(raw, size - 2))) {
			lines.push(line(`  ${text}`));
		}
	}

	if (result.ownerLookup.runs.length > 0) {
		lines.push(blank, heading('Commands run'));
		for (const run of result.ownerLookup.runs) {
			for (const [index, part] of chop(run.command.join(' '), size - 4).entries()) {
				lines.push(line(index === 0 ? '  $ ' : '    ', {text: part, tone: 'info'}));
			}
			if (run.error) {
				lines.push(...paragraph(`error: ${run.error}`, size, {tone: 'bad'}, '    '));
			}

			const output = run.output === '' ? [] : run.output.split('\n');
			for (const text of output.slice(0, maxOutputLines).flatMap(raw => chop(raw, size - 4))) {
				lines.push(line({text: `    ${text}`, tone: 'muted'}));
			}

			if (output.length > maxOutputLines) {
				lines.push(
					line({
						text: `    … ${output.length - maxOutputLines} more lines (run the command yourself to see them all)`,
						tone: 'muted',
					}),
				);
			}
		}
	}

	return lines;
};

const addressLines = (state: SweepState, result: PortResult): Line[] => {
	const lines: Line[] = [blank, heading('Addresses')];
	const local = state.localAddress ?? state.config.bindAddress;
	lines.push(line('  this host    ', local ? formatHostPort(local, result.port) : `port ${result.port} on all local addresses`));
	if (result.mapped) {
		const kept = result.mapped.endsWith(`:${result.port}`);
		lines.push(
			line(
				'  mapped       ',
				result.mapped,
				kept ? {text: '  (port kept)', tone: 'ok'} : {text: `  (port changed from ${result.port})`, tone: 'bad'},
			),
		);
	} else if (result.status !== 'busy') {
		lines.push(line('  mapped       ', {text: 'unknown: no reply to Test 1', tone: 'muted'}));
	}

	const info = state.server?.info;
	if (info) {
		lines.push(
			line(`  STUN server  ${info.host} ${formatAddress(info.address)}`),
			line(`  second IP    ${formatAddress(info.otherAddress)}`, {text: '  (Test 2 must be answered from here)', tone: 'muted'}),
		);
	} else if (state.report?.server) {
		const {server} = state.report;
		lines.push(
			line(`  STUN server  ${server.host} ${server.address ?? ''}`),
			line(`  second IP    ${server.otherAddress ?? 'none'}`),
		);
	}

	return lines;
};

/** What a cancel left of the port: its tests' findings so far, which are no verdict. */
const provisionalLines = ({provisional}: PortResult, size: number): Line[] => {
	if (!provisional) {
		return [];
	}

	const found = provisional.code
		? `The tests so far point to ${verdictText({code: provisional.code})}; a failure stands only once a slow recheck confirms it.`
		: 'The tests below ran before the cancel; none of what they found is a verdict.';
	return [blank, heading('Found so far, not confirmed'), ...paragraph(found, size, {tone: 'warn'}, '  ')];
};

/** Everything known about one port, for the drill-down pane and for a support ticket. */
export const detailLines = (state: SweepState, row: Row): Line[] => {
	const size = state.viewport.columns;
	const {result} = row;
	const pending = row.phase !== 'done';
	const title = line({text: `Port ${row.port}/udp`, bold: true});
	if (pending) {
		const word = row.phase === 'queued' ? '· waiting to be checked' : `${spinnerFrame(state.frame)} being checked`;
		title.push({text: `  ${word}`, tone: 'info'});
	}

	if (!result) {
		return [title, blank, line({text: 'Its details appear here as soon as it has been checked.', tone: 'muted'})];
	}

	if (pending) {
		title.push({text: '  (result of the last pass below)', tone: 'muted'});
	}

	const lines: Line[] = [title];
	lines.push(line({text: verdictText(result), tone: toneOfCode(result.code), bold: true}));
	lines.push(...paragraph(result.message, size));

	if (result.status === 'busy') {
		lines.push(...heldByLines(result, size), ...sipPortLines(state, result.port, size));
	} else if (result.status !== 'skipped' || result.provisional) {
		lines.push(...provisionalLines(result, size));
		lines.push(blank, ...testLines('Test 1 · reachability', result.test1, 1, size));
		lines.push(...testLines('Test 2 · 1:1 forwarding', result.test2, 2, size));
		lines.push(...test3Lines(state, result, size));
		lines.push(...addressLines(state, result));
	}

	if (result.notes.length > 0) {
		lines.push(blank, heading('Notes'));
		for (const note of result.notes) {
			lines.push(...paragraph(note, size, {}, '  • ', '    '));
		}
	}

	if (result.status !== 'skipped') {
		lines.push(...hostFirewallPortLines(state, result.port, size));
	}

	if (result.code && result.code !== 'ok') {
		const steps = verdict(result.code).remediation(remediationContext(state, String(result.port), result));
		lines.push(blank, heading('What to do'));
		for (const [index, step] of steps.entries()) {
			lines.push(...paragraph(step, size, {}, `  ${index + 1}. `, '     '));
		}
	}

	if (result.status === 'busy') {
		lines.push(...ownerLines(result, size));
	}

	return lines;
};
