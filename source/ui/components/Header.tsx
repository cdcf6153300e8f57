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
	const head = line({text: 'fwcheck', bold: true}, '  STUN ');
	const info = state.server?.info;
	if (info) {
		return [
			...head,
			{text: `${info.host} ${formatAddress(info.address)}`},
			{text: '  2nd IP ', tone: 'muted'},
			{text: formatAddress(info.otherAddress)},
		];
	}

	if (state.report?.server) {
		const {host, address, otherAddress} = state.report.server;
		return [...head, {text: `${host} ${address ?? ''}`}, {text: '  2nd IP ', tone: 'muted'}, {text: otherAddress ?? 'none'}];
	}

	return [
		...head,
		{text: state.server ? `trying ${formatHostPort(state.server.host, state.server.port)}…` : 'not chosen yet', tone: 'muted'},
	];
};

const addressLine = (state: SweepState): Line => {
	const {run} = state;
	// Live while running; at the end the engine's own measure (summed over re-runs).
	const done = !isRunning(state) && state.report;
	const elapsed = done ? state.report!.durationMs : state.now - (run.startedAt ?? state.now);
	const parts: Line = [
		{text: 'public ', tone: 'muted'},
		{text: state.publicIp ?? '…'},
		{text: '  this host ', tone: 'muted'},
		{text: state.localAddress ?? '…'},
		{text: done ? '  took ' : '  elapsed ', tone: 'muted'},
		{text: formatDuration(Math.max(0, elapsed))},
	];
	if (run.id > 1) {
		parts.push({text: `  re-run ${run.id - 1}`, tone: 'info'});
	}

	return parts;
};

const lineWidth = (value: Line): number => value.reduce((sum, segment) => sum + width(segment.text), 0);

// Room the busy, pending and not-checked items take after the failures.
const countsTail = (counts: Counts): number =>
	(counts.busy > 0 ? 12 : 0) + (counts.pending > 0 ? 16 : 0) + (counts.skipped > 0 ? 20 : 0);

const countsLine = (state: SweepState): Line => {
	const counts = countRows(state.rows);
	const items: Line = [{text: `✔ ${counts.ok} ok`, tone: 'ok'}];
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
			{text: `✘ ${counts.failedTotal} failed (${counts.failed.length} kinds)`, tone: 'bad'},
		);
	}

	if (counts.busy > 0) {
		items.push({text: '  '}, {text: `● ${counts.busy} busy`, tone: 'warn'});
	}

	if (counts.pending > 0) {
		items.push({text: '  '}, {text: `${spinnerFrame(state.frame)} ${counts.pending} pending`, tone: 'info'});
	}

	if (counts.skipped > 0) {
		items.push({text: '  '}, {text: `– ${counts.skipped} not checked`, tone: 'muted'});
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
			<LineView line={serverLine(state)} />
			<LineView line={addressLine(state)} />
			<LineView line={countsLine(state)} />
			{path ? <LineView line={path} /> : null}
			{services ? <LineView line={services} /> : null}
			{hostFirewall ? <LineView line={hostFirewall} /> : null}
			<ProgressBar done={done} total={total} label={label} width={state.viewport.columns} />
		</Box>
	);
}
