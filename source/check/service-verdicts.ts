// The verdicts of the checks only `fwcheck serve` offers (SIP ALG, the SIP port asked by OPTIONS,
// TCP ports by connect-back): part of the one verdict table in verdicts.ts, kept here so that
// table stays readable. Their words live in the catalog's `services` section; here are the
// symbol, the label and which checklist lines apply.
import type {Messages} from '../catalog/index.js';
import {thisHostAdvice} from '../host-firewall/remediation.js';
import {formatOwner} from '../words/format.js';
import {type VerdictEntry, verdictEntry} from './verdict-entry.js';
import type {RemediationContext, ServiceVerdictCode} from './verdict-types.js';

type Words = Messages['services'];

/** What this machine's own firewall does to the failing ports over `protocols`: it leads when it blocks them. */
const thisHost = (context: RemediationContext, protocols: ReadonlyArray<'udp' | 'tcp'>) =>
	thisHostAdvice(context.hostFirewall, protocols, context.portNumbers ?? []);

/** The generic item as it stays: gone when this machine lets the ports in, naming a rule it could not evaluate. */
const hostItem = (context: RemediationContext, protocols: ReadonlyArray<'udp' | 'tcp'>, generic: string): string[] =>
	[thisHost(context, protocols).hostItem(generic)].filter(item => item !== undefined);

const tcpForward = (w: Words, context: RemediationContext): string => w.shared.tcpForward(context.ports, context.pbxAddress);

const steps: Record<
	ServiceVerdictCode,
	{symbol: string; label: string; steps: (w: Words, context: RemediationContext) => string[]}
> = {
	'sip-alg': {
		symbol: '✘',
		label: 'sip-alg',
		steps: w => [w['sip-alg'].turnOff, ...w.shared.whereAlgLives, w['sip-alg'].askIsp, w['sip-alg'].runAgain],
	},
	'sip-invite-dropped': {
		symbol: '✘',
		label: 'invite-dropped',
		steps: w => [w['sip-invite-dropped'].turnOff, ...w.shared.whereAlgLives, w['sip-invite-dropped'].inspection],
	},
	'sip-no-answer': {
		symbol: '✘',
		label: 'sip-no-answer',
		steps: (w, context) => [
			w['sip-no-answer'].allowOutbound(context.pbxAddress, context.ports),
			w['sip-no-answer'].ispFilters,
			w['sip-no-answer'].untilThisPasses,
		],
	},
	'sip-service-ok': {symbol: '✔', label: 'sip-ok', steps: w => [w['sip-service-ok'].nothingToDo]},
	'sip-service-silent': {
		symbol: '✘',
		label: 'sip-silent',
		steps: (w, context) => [
			...thisHost(context, ['udp', 'tcp']).lead,
			w['sip-service-silent'].forward(context.ports, context.pbxAddress),
			w.shared.pointsAtThisHost,
			...hostItem(context, ['udp', 'tcp'], w['sip-service-silent'].hostFirewall(context.ports)),
			w['sip-service-silent'].securitySettings,
			w['sip-service-silent'].sipAlgOff,
		],
	},
	'sip-private-contact': {
		symbol: '≠',
		label: 'private-contact',
		steps: (w, context) => [
			w['sip-private-contact'].externalAddress(context.publicIp),
			w['sip-private-contact'].stun,
			w['sip-private-contact'].noAlg,
		],
	},
	'sip-reached-fwcheck': {symbol: '✔', label: 'sip-reached', steps: w => [w['sip-reached-fwcheck'].nothingToDo]},
	'sip-elsewhere': {
		symbol: '✘',
		label: 'sip-elsewhere',
		steps: (w, context) => [
			w['sip-elsewhere'].pointForward(context.ports, context.pbxAddress),
			w['sip-elsewhere'].whatAnswered,
			w.shared.outerBoxAnswers,
		],
	},
	'tcp-ok': {symbol: '✔', label: 'tcp-ok', steps: w => [w['tcp-ok'].nothingToDo]},
	'tcp-elsewhere': {
		symbol: '✘',
		label: 'tcp-elsewhere',
		steps: (w, context) => [
			tcpForward(w, context),
			w['tcp-elsewhere'].whereItPoints,
			w['tcp-elsewhere'].routerUsesPort,
			w.shared.outerBoxAnswers,
		],
	},
	'tcp-refused': {
		symbol: '✘',
		label: 'tcp-refused',
		steps: (w, context) => [
			...thisHost(context, ['tcp']).lead,
			tcpForward(w, context),
			w['tcp-refused'].tcpNotUdp,
			...hostItem(context, ['tcp'], w['tcp-refused'].hostFirewall),
		],
	},
	'tcp-no-answer': {
		symbol: '✘',
		label: 'tcp-no-answer',
		steps: (w, context) => [
			...thisHost(context, ['tcp']).lead,
			tcpForward(w, context),
			w['tcp-no-answer'].addressExists,
			...hostItem(context, ['tcp'], w['tcp-no-answer'].allowInbound),
			w['tcp-no-answer'].ispFilters,
		],
	},
	'tcp-busy-reached': {
		symbol: '●',
		label: 'busy-reached',
		steps: (w, context) => [
			context.process ? w['tcp-busy-reached'].heldBy(formatOwner(context.process)) : w['tcp-busy-reached'].findHolder,
			w['tcp-busy-reached'].cannotProve,
		],
	},
	'services-unavailable': {
		symbol: '–',
		label: 'no-services',
		steps: w => [w['services-unavailable'].runServe, w['services-unavailable'].portsStand],
	},
};

export const serviceVerdicts = Object.fromEntries(
	Object.entries(steps).map(([code, entry]) => [
		code,
		verdictEntry(
			code as ServiceVerdictCode,
			entry.symbol,
			entry.label,
			catalog => catalog.services[code as ServiceVerdictCode].sentence,
			(catalog, context) => entry.steps(catalog.services, context),
		),
	]),
) as Record<ServiceVerdictCode, VerdictEntry>;
