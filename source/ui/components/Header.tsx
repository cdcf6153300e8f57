import {english, words} from '../../catalog/index.js';
import {formatHostPort} from '../../stun/address.js';
import {Box} from 'ink';
import {formatAddress} from '../../stun/address.js';
import {verdict} from '../../check/verdicts.js';
import {LineView} from './Lines.js';
import {ProgressBar} from './ProgressBar.js';
import {type Counts, countRows, isRunning, progressOf} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {formatDuration} from '../../words/format.js';
import {toneOfCode} from '../text/format.js';
import {type Line, line} from '../text/line.js';
import {hostFirewallHeaderLine} from '../text/host-firewall-lines.js';
import {pathHeaderLine} from '../text/router-lines.js';
import {servicesHeaderLine} from '../text/services-header.js';
import {spinnerFrame} from '../text/spinner.js';
import {width} from '../text/wrap.js';

const serverLine = (state: SweepState): Line => {
	const said = words().tui.header;
	const head = line({text: 'fwcheck', bold: true}, said.stun);
	const info = state.server?.info;
	if (info) {
		return [
			...head,
			{text: `${info.host} ${formatAddress(info.address)}`},
			{text: said.secondIp, tone: 'muted'},
			{text: formatAddress(info.otherAddress)},
		];
	}

	if (state.report?.server) {
		const {host, address, otherAddress} = state.report.server;
		return [
			...head,
			{text: `${host} ${address ?? ''}`},
			{text: said.secondIp, tone: 'muted'},
			{text: otherAddress ?? words().tui.none},
		];
	}

	return [
		...head,
		{
			text: state.server ? said.trying(formatHostPort(state.server.host, state.server.port)) : said.notChosen,
			tone: 'muted',
		},
	];
};

const addressLine = (state: SweepState): Line => {
	const {run} = state;
	const said = words().tui.header;
	// Live while running; at the end the engine's own measure (summed over re-runs).
	const done = !isRunning(state) && state.report;
	const elapsed = done ? state.report!.durationMs : state.now - (run.startedAt ?? state.now);
	const parts: Line = [
		{text: said.publicIp, tone: 'muted'},
		{text: state.publicIp ?? '…'},
		{text: said.thisHost, tone: 'muted'},
		{text: state.localAddress ?? '…'},
		{text: done ? said.took : said.elapsed, tone: 'muted'},
		{text: formatDuration(Math.max(0, elapsed))},
	];
	if (run.id > 1) {
		parts.push({text: said.rerun(run.id - 1), tone: 'info'});
	}

	return parts;
};

const lineWidth = (value: Line): number => value.reduce((sum, segment) => sum + width(segment.text), 0);

// Room the busy, pending and not-checked items take after the failures: the room English words
// need, plus what this language's words take beyond them.
const countsTail = (counts: Counts): number => {
	const said = words().tui.header;
	const en = english.tui.header;
	const room = (base: number, text: (count: number) => string, englishText: (count: number) => string) =>
		base + width(text(0)) - width(englishText(0));
	return (
		(counts.busy > 0 ? room(12, said.busy, en.busy) : 0) +
		(counts.pending > 0
			? room(
					16,
					count => said.pending('⠋', count),
					count => en.pending('⠋', count),
				)
			: 0) +
		(counts.skipped > 0 ? room(20, said.notChecked, en.notChecked) : 0)
	);
};

const countsLine = (state: SweepState): Line => {
	const counts = countRows(state.rows);
	const said = words().tui.header;
	const items: Line = [{text: said.ok(counts.ok), tone: 'ok'}];
	for (const {code, count} of counts.failed) {
		const {symbol, label} = verdict(code);
		items.push({text: '  '}, {text: `${symbol} ${count} ${label}`, tone: toneOfCode(code)});
	}

	// Too many kinds of failure for one line: one total rather than losing busy and pending.
	if (counts.failed.length > 1 && lineWidth(items) + countsTail(counts) > state.viewport.columns) {
		items.splice(
			1,
			Number.POSITIVE_INFINITY,
			{text: '  '},
			{text: said.failedKinds(counts.failedTotal, counts.failed.length), tone: 'bad'},
		);
	}

	if (counts.busy > 0) {
		items.push({text: '  '}, {text: said.busy(counts.busy), tone: 'warn'});
	}

	if (counts.pending > 0) {
		items.push({text: '  '}, {text: said.pending(spinnerFrame(state.frame), counts.pending), tone: 'info'});
	}

	if (counts.skipped > 0) {
		items.push({text: '  '}, {text: said.notChecked(counts.skipped), tone: 'muted'});
	}

	return items;
};

export function Header({state}: {state: SweepState}) {
	const {done, total, label} = progressOf(state);
	const path = pathHeaderLine(state);
	const services = servicesHeaderLine(state);
	const hostFirewall = hostFirewallHeaderLine(state);
	return (
		<Box flexDirection="column">
			<LineView line={serverLine(state)} columns={state.viewport.columns} />
			<LineView line={addressLine(state)} columns={state.viewport.columns} />
			<LineView line={countsLine(state)} columns={state.viewport.columns} />
			{path ? <LineView line={path} columns={state.viewport.columns} /> : null}
			{services ? <LineView line={services} columns={state.viewport.columns} /> : null}
			{hostFirewall ? <LineView line={hostFirewall} columns={state.viewport.columns} /> : null}
			<ProgressBar done={done} total={total} label={label} width={state.viewport.columns} />
		</Box>
	);
}
