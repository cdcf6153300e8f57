// The header's one line for the SIP ALG, SIP port and TCP checks: the results shortened until
// they fit, the reason in one line when the server offers none. Pure line builders over the state.
import {words} from '../../catalog/index.js';
import type {SipAlgCheck, SipServiceCheck} from '../../check/types.js';
import {
	algWord,
	servicesSkipped,
	sipServiceStatus,
	sipServiceText,
	statusCodeOf,
	statusSymbol,
	tcpCountText,
	tcpCounts,
} from '../../report/services-text.js';
import {isRunning, servicesOf} from '../state/selectors.js';
import type {ServicesView, SweepState} from '../state/types.js';
import type {Line, Tone} from './line.js';
import {spinnerFrame} from './spinner.js';
import {width} from './wrap.js';

export const toneOf = (status: 'pass' | 'fail' | 'busy' | 'skipped'): Tone =>
	status === 'pass' ? 'ok' : status === 'fail' ? 'bad' : status === 'busy' ? 'warn' : 'muted';

const lineWidth = (value: Line): number => value.reduce((sum, segment) => sum + width(segment.text), 0);

/** "rewritten 3" rather than "rewritten (3 lines)" when the line must be short. */
const algShort = (check: SipAlgCheck): string =>
	check.rewritten.length > 0 && check.code !== 'sip-invite-dropped'
		? words().tui.services.rewritten(check.rewritten.length)
		: algWord(check);

/** "401", "here", "silent", "private": the SIP port's answer in a word. */
const sipShort = (check: SipServiceCheck): string => {
	const said = words().tui.services;
	const answered = [check.udp, check.tcp].find(outcome => statusCodeOf(outcome.statusLine));
	if ([check.udp, check.tcp].some(outcome => outcome.code === 'sip-elsewhere')) {
		return said.elsewhere;
	}

	if ([check.udp, check.tcp].some(outcome => outcome.code === 'sip-private-contact')) {
		return `${statusCodeOf(answered?.statusLine ?? null) ?? ''} ${said.private}`.trim();
	}

	if (answered) {
		return statusCodeOf(answered.statusLine)!;
	}

	if ([check.udp, check.tcp].some(outcome => outcome.code === 'sip-reached-fwcheck')) {
		return said.here;
	}

	return [check.udp, check.tcp].some(outcome => outcome.code === 'sip-service-silent') ? said.silent : said.skipped;
};

const finishedParts = (view: ServicesView, compact: boolean): Line[] => {
	const {sip, sipService, tcp} = view.results;
	const parts: Line[] = [];
	if (sip) {
		const transports = [sip.udp, sip.tcp].flatMap((check, index): Line => [
			{text: index === 0 ? '' : '  '},
			{text: `${check.transport.toUpperCase()} `, tone: 'muted'},
			{text: `${statusSymbol(check.status)} ${compact ? algShort(check) : algWord(check)}`, tone: toneOf(check.status)},
		]);
		parts.push([{text: compact ? 'SIP ALG ' : 'SIP ALG  ', bold: true}, ...transports]);
	}

	if (sipService) {
		const status = sipServiceStatus(sipService);
		const word = compact ? sipShort(sipService) : sipServiceText(sipService);
		parts.push([
			{text: `SIP ${sipService.port} `, bold: true},
			{text: `${statusSymbol(status)} ${word}`, tone: toneOf(status)},
		]);
	}

	if (tcp && tcp.length > 0) {
		const counts = tcpCounts(tcp);
		const status = counts.fail > 0 ? 'fail' : counts.pass > 0 ? 'pass' : counts.busy > 0 ? 'busy' : 'skipped';
		const text = compact ? words().tui.services.tcpOk(counts.pass, tcp.length) : tcpCountText(tcp);
		parts.push([
			{text: 'TCP ', bold: true},
			{text: `${statusSymbol(status)} ${text}`, tone: toneOf(status)},
		]);
	}

	return parts;
};

const joined = (parts: Line[]): Line =>
	parts.flatMap((part, index) => (index === 0 ? part : [{text: ' · ', tone: 'muted'}, ...part]));

const hint = (): Line => [
	{text: '  v', bold: true},
	{text: words().tui.services.details, tone: 'muted'},
];
const shortHint: Line = [{text: '  v', bold: true}];

/** A finished view never changes: its line per width is asked for several times a frame. */
const finishedLines = new WeakMap<ServicesView, Map<number, Line | null>>();

/**
 * The header's one line for these checks, or nothing when they never ran: the results, shortened
 * until they fit; one short line with the reason when the server offers none.
 */
export const servicesHeaderLine = (state: SweepState): Line | undefined => {
	const view = servicesOf(state);
	if (!view) {
		return undefined;
	}

	const size = state.viewport.columns;
	const said = words().tui.services;
	const skipped = servicesSkipped(view.results);
	if (skipped) {
		return [
			{text: 'SIP/TCP ', bold: true},
			{text: said.skippedBecause(skipped), tone: 'muted'},
		];
	}

	if (view.phase === 'running') {
		const spin = spinnerFrame(state.frame);
		const what = isRunning(state)
			? view.tcpPorts.length > 0
				? said.checkingShortTcp(spin, view.sipPort, view.tcpPorts.length)
				: said.checkingShort(spin, view.sipPort)
			: said.didNotFinish;
		return [
			{text: 'SIP/TCP ', bold: true},
			{text: what, tone: isRunning(state) ? 'info' : 'muted'},
		];
	}

	const remembered = finishedLines.get(view)?.get(size);
	if (remembered !== undefined) {
		return remembered ?? undefined;
	}

	const candidates = [
		[...joined(finishedParts(view, false)), ...hint()],
		[...joined(finishedParts(view, true)), ...hint()],
		[...joined(finishedParts(view, true)), ...shortHint],
		joined(finishedParts(view, true)),
	];
	const chosen = candidates.find(candidate => lineWidth(candidate) <= size) ?? candidates.at(-1)!;
	const answer = lineWidth(chosen) === 0 ? null : chosen;
	finishedLines.set(view, (finishedLines.get(view) ?? new Map<number, Line | null>()).set(size, answer));
	return answer ?? undefined;
};
