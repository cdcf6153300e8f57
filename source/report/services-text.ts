// How the results of the checks only `fwcheck serve` offers (SIP ALG, the SIP port by OPTIONS, TCP
// by connect-back) read in words: shared by the plain and Markdown reports and the TUI. Plain
// strings; every field is optional, so an engine that never ran these checks shows nothing. Each
// result's words are its verdict's, from the catalog (`services`) in the chosen language.
import {sayNote, words} from '../catalog/index.js';
import {formatOwner, printable} from '../words/format.js';
import {describePorts} from '../ports/ranges.js';
import type {PortOwner} from '../system/port-owner.js';
import type {CheckReport, SipAlgCheck, SipServiceCheck, SipServiceOutcome, TcpPortResult} from '../check/types.js';
import {type ServiceVerdictCode, type VerdictCode, verdict} from '../check/verdicts.js';
import {serviceVerdicts} from '../check/service-verdicts.js';

/** The parts of a report these checks fill in; the TUI has them from events before the report. */
export type ServiceResults = Pick<CheckReport, 'services' | 'sip' | 'sipService' | 'tcp'>;

/** Something to show: a result, or the sentence saying why there is none (services alone, offered, is nothing). */
export const hasServiceResults = (results: ServiceResults): boolean =>
	(results.services !== undefined && !results.services.offered) ||
	results.sip !== undefined ||
	results.sipService !== undefined ||
	(results.tcp !== undefined && results.tcp.length > 0);

/** A verdict of these checks (its checklist belongs in their section, not the port ones'). */
export const isServiceCode = (code: VerdictCode): code is ServiceVerdictCode => Object.hasOwn(serviceVerdicts, code);

/** "These checks need …." → "these checks need …": every output puts it after "skipped: ". */
const asClause = (sentence: string): string =>
	(/^\p{Lu}\p{Ll}/u.test(sentence) ? sentence[0]!.toLowerCase() + sentence.slice(1) : sentence).replace(/\.$/, '');

/** The server offers none of these checks: one sentence instead of every section. */
export const servicesSkipped = (results: ServiceResults): string | undefined => {
	if (results.services && !results.services.offered) {
		return asClause(printable(sayNote(results.services.detail)));
	}

	const codes = [
		results.sip?.udp.code,
		results.sip?.tcp.code,
		results.sipService?.udp.code,
		results.sipService?.tcp.code,
		...(results.tcp ?? []).map(result => result.code),
	].filter(code => code !== undefined);
	return codes.length > 0 && codes.every(code => code === 'services-unavailable')
		? asClause(verdict('services-unavailable').sentence)
		: undefined;
};

/** "rewritten (3 lines)", "untouched", "INVITE dropped", "no answer", "skipped". */
export const algWord = (check: SipAlgCheck): string => {
	const w = words().services;
	if (check.code === 'sip-invite-dropped') {
		return w['sip-invite-dropped'].word;
	}

	if (check.alg || check.rewritten.length > 0) {
		return w['sip-alg'].word(check.rewritten.length);
	}

	if (check.code === 'sip-no-answer') {
		return w.shared.noAnswer;
	}

	return check.status === 'pass' ? w['sip-alg'].untouched : w.shared.skipped;
};

export const statusSymbol = (status: 'pass' | 'fail' | 'busy' | 'skipped'): string =>
	status === 'pass' ? '✔' : status === 'fail' ? '✘' : status === 'busy' ? '●' : '–';

/** "401" from "SIP/2.0 401 Unauthorized". */
export const statusCodeOf = (statusLine: string | null): string | undefined =>
	/^SIP\/2\.0\s+(\d{3})\b/.exec(statusLine ?? '')?.[1];

/** "answers 401", "answers 200, private address", "reached this host", "no answer", "skipped". */
export const sipServiceWord = (outcome: SipServiceOutcome): string => {
	const w = words().services;
	const status = statusCodeOf(outcome.statusLine);
	switch (outcome.code) {
		case 'sip-service-ok':
		case 'sip-private-contact':
		case 'sip-elsewhere': {
			return w[outcome.code].word(status);
		}

		case 'sip-reached-fwcheck': {
			return w.shared.reachedThisHost;
		}

		case 'sip-service-silent': {
			return w.shared.noAnswer;
		}

		default: {
			return outcome.status === 'skipped' ? w.shared.skipped : outcome.status === 'pass' ? w.shared.ok : w.shared.failed;
		}
	}
};

/** One word for both transports when they agree ("answers 401"), else "UDP answers 401, TCP no answer". */
export const sipServiceText = (check: SipServiceCheck): string => {
	const udp = sipServiceWord(check.udp);
	const tcp = sipServiceWord(check.tcp);
	return udp === tcp ? udp : words().services.summary.byTransport(udp, tcp);
};

/** The worse of the two transports, for a symbol. */
export const sipServiceStatus = (check: SipServiceCheck): 'pass' | 'fail' | 'skipped' =>
	check.udp.status === 'fail' || check.tcp.status === 'fail'
		? 'fail'
		: check.udp.status === 'pass' || check.tcp.status === 'pass'
			? 'pass'
			: 'skipped';

export const tcpCounts = (results: TcpPortResult[]): Record<TcpPortResult['status'], number> => {
	const counts = {pass: 0, fail: 0, busy: 0, skipped: 0};
	for (const {status} of results) {
		counts[status]++;
	}

	return counts;
};

/** "2/4 ok", "2/4 ok, 1 busy". */
export const tcpCountText = (results: TcpPortResult[]): string => {
	const counts = tcpCounts(results);
	return words().services.summary.tcpCount(counts.pass, results.length, counts.busy);
};

/** A TCP port's outcome in a few words, for a row. */
export const tcpWord = (result: TcpPortResult): string => {
	const w = words().services;
	switch (result.code) {
		case 'tcp-ok': {
			return w.shared.reachedThisHost;
		}

		case 'tcp-elsewhere': {
			return w.shared.answeredNotThisHost;
		}

		case 'tcp-refused':
		case 'tcp-busy-reached': {
			return w[result.code].word;
		}

		case 'tcp-no-answer': {
			return result.outcome === 'unreachable' ? w['tcp-no-answer'].unreachable : w.shared.noAnswer;
		}

		default: {
			return result.status === 'busy'
				? w['tcp-busy-reached'].notReached
				: result.status === 'skipped'
					? w.shared.skipped
					: w.shared.failed;
		}
	}
};

/** "UDP ✘ rewritten (3 lines), TCP ✔ untouched". */
export const algLineText = (sip: NonNullable<ServiceResults['sip']>): string =>
	[sip.udp, sip.tcp]
		.map(check => `${check.transport.toUpperCase()} ${statusSymbol(check.status)} ${algWord(check)}`)
		.join(words().services.summary.separator);

/**
 * Each part in a few words, for a summary: [["SIP ALG", "UDP ✘ rewritten (3 lines), TCP ✔ untouched"],
 * ["SIP port 5060", "✔ answers 401"], ["TCP ports", "✘ 2/4 ok"]]; one item when the server offers none.
 */
export const serviceSummaryItems = (results: ServiceResults): Array<[string, string]> => {
	const w = words().services.summary;
	const skipped = servicesSkipped(results);
	if (skipped) {
		return [[w.allChecks, w.skipped(skipped)]];
	}

	const items: Array<[string, string]> = [];
	if (results.sip) {
		items.push([w.sipAlg, algLineText(results.sip)]);
	}

	if (results.sipService) {
		const check = results.sipService;
		const name = check.held
			? w.sipPortHeld(check.port, check.process ? formatOwner(check.process) : undefined)
			: w.sipPort(check.port);
		items.push([name, `${statusSymbol(sipServiceStatus(check))} ${sipServiceText(check)}`]);
	}

	if (results.tcp && results.tcp.length > 0) {
		const counts = tcpCounts(results.tcp);
		items.push([
			w.tcpPorts(describePorts(results.tcp.map(result => result.port))),
			`${statusSymbol(counts.fail > 0 ? 'fail' : counts.pass > 0 ? 'pass' : 'skipped')} ${tcpCountText(results.tcp)}`,
		]);
	}

	return items;
};

/** A checklist to give: one per verdict that needs doing something, with the ports it is about. */
export interface ServiceProblem {
	code: ServiceVerdictCode;
	/** What the checklist names as its ports: "5060", "5001, 5061". */
	ports?: string;
	/** The same ports as numbers, to look up in this host's firewall. */
	portNumbers?: number[];
	/** For a busy TCP port: who holds it, when one program holds them all. */
	process?: PortOwner;
	/** Where it was seen: "UDP and TCP", "5001, 5061". */
	where: string;
}

/** The verdicts to act on, in the order their checklists come: what breaks calls first, the informative last. */
const needsAction: VerdictCode[] = [
	'sip-alg',
	'sip-invite-dropped',
	'sip-no-answer',
	'sip-service-silent',
	'sip-private-contact',
	'sip-elsewhere',
	'tcp-elsewhere',
	'tcp-refused',
	'tcp-no-answer',
	'tcp-busy-reached',
];

/** The verdicts to act on, each with where it was seen. */
export const serviceProblems = (results: ServiceResults): ServiceProblem[] => {
	const found = new Map<ServiceVerdictCode, {where: string[]; ports: number[]; owners: PortOwner[]}>();
	const add = (code: VerdictCode | null, where: string, port?: number, owner?: PortOwner | null): void => {
		if (!code || !needsAction.includes(code)) {
			return;
		}

		const entry = found.get(code as ServiceVerdictCode) ?? {where: [], ports: [], owners: []};
		if (!entry.where.includes(where)) {
			entry.where.push(where);
		}

		if (port !== undefined && !entry.ports.includes(port)) {
			entry.ports.push(port);
		}

		if (owner) {
			entry.owners.push(owner);
		}

		found.set(code as ServiceVerdictCode, entry);
	};

	for (const check of results.sip ? [results.sip.udp, results.sip.tcp] : []) {
		// An ALG that rewrote is the verdict, whatever code the engine chose to lead with.
		add(check.alg && check.code !== 'sip-invite-dropped' ? 'sip-alg' : check.code, check.transport.toUpperCase());
	}

	const service = results.sipService;
	if (service) {
		add(service.udp.code, 'UDP', service.port);
		add(service.tcp.code, 'TCP', service.port);
	}

	for (const result of results.tcp ?? []) {
		add(result.code, String(result.port), result.port, result.process);
	}

	const ordered = [...found].sort(([a], [b]) => needsAction.indexOf(a) - needsAction.indexOf(b));
	return ordered.map(([code, {where, ports, owners}]) => {
		const pids = new Set(owners.map(owner => owner.pid));
		return {
			code,
			where: code.startsWith('tcp-')
				? describePorts(ports, 8)
				: where.reduce((all, next) => words().services.summary.and(all, next)),
			...(ports.length > 0 ? {ports: describePorts(ports, 8), portNumbers: ports} : {}),
			...(pids.size === 1 && owners.length === ports.length ? {process: owners[0]} : {}),
		};
	});
};
