import {english, type Messages, sayNote} from '../catalog/index.js';
import {outboundAdvice, thisHostAdvice} from '../host-firewall/remediation.js';
import {mappingFindings, pathRemediation} from '../router/remediation.js';
import {formatOwner} from '../words/format.js';
import {serviceVerdicts} from './service-verdicts.js';
import {type VerdictEntry, verdictEntry} from './verdict-entry.js';
import type {RemediationContext, Verdict, VerdictCode} from './verdict-types.js';

/**
 * Every verdict fwcheck can give, in one table: its code, symbol and label, and the decision of
 * which checklist lines apply. The words (sentence and each line) live in the catalog, one entry
 * per language (catalog/<lang>/verdicts.ts, services.ts): `verdict(code).sentence` and
 * `.remediation(...)` read the chosen language, `verdictMessage(code)` the English one the
 * engine puts in a result's `message`. The TUI, the plain and Markdown reports, the JSON report
 * and readme.md all draw from here.
 */

// Readers of the table take its types from here.
export type {
	CheckErrorCode,
	PortVerdictCode,
	RemediationContext,
	ServiceVerdictCode,
	Verdict,
	VerdictCode,
} from './verdict-types.js';

type OwnCode = Exclude<VerdictCode, keyof typeof serviceVerdicts>;
type Words = Messages['verdicts'];

/** What the path and the router's mapping list say first: which box to change, which forward is wrong. */
const rightBox = (context: RemediationContext): string[] => [
	...pathRemediation(context.path, {ports: context.ports, pbxAddress: context.pbxAddress, routerWan: context.router?.wanAddress}),
	...mappingFindings(context.router, context.portNumbers ?? [], context.pbxAddress),
];

/** What this machine's own firewall does to the failing UDP ports: it leads when it blocks them. */
const thisHost = (context: RemediationContext) => thisHostAdvice(context.hostFirewall, ['udp'], context.portNumbers ?? []);

const forwardingRule = (w: Words, context: RemediationContext): string =>
	w.shared.forwardingRule(context.ports, context.pbxAddress);

/** Each verdict's symbol, label and checklist; `w` is the catalog in the chosen language. */
const own: Record<OwnCode, {symbol: string; label: string; steps: (w: Words, context: RemediationContext) => string[]}> = {
	ok: {symbol: '✔', label: 'ok', steps: w => [w.ok.nothingToDo]},
	'mapping-only': {
		symbol: '◐',
		label: 'mapping-only',
		steps: (w, context) => [
			...thisHost(context).lead,
			forwardingRule(w, context),
			w['mapping-only'].notAForward,
			w.shared.pointsAtThisHost,
			w.shared.everyBox,
			w.shared.sipAlgOff,
		],
	},
	'inbound-blocked': {
		symbol: '✘',
		label: 'inbound-blocked',
		steps: (w, context) => [
			...thisHost(context).lead,
			...rightBox(context),
			forwardingRule(w, context),
			w.shared.pointsAtThisHost,
			w['inbound-blocked'].natSetting,
			...[thisHost(context).hostItem(w.shared.hostFirewall)].filter(item => item !== undefined),
			w.shared.sipAlgOff,
			w.shared.everyBox,
		],
	},
	'port-translated': {
		symbol: '⇄',
		label: 'port-translated',
		steps: (w, context) => [
			...rightBox(context),
			w['port-translated'].keepPort(context.pbxAddress, context.ports),
			forwardingRule(w, context),
			w['port-translated'].noRandomisation,
			w['port-translated'].sipAlgOff,
		],
	},
	'outbound-blocked': {
		symbol: '✘',
		label: 'outbound-blocked',
		steps: (w, context) => [
			...outboundAdvice(context.hostFirewall, context.portNumbers ?? []).lead,
			...thisHostAdvice(context.hostFirewall, ['udp'], context.portNumbers ?? [], {answersLost: true}).lead,
			w['outbound-blocked'].allowOutbound(context.pbxAddress, context.ports),
			...outboundAdvice(context.hostFirewall, context.portNumbers ?? []).hostItems(
				w['outbound-blocked'].antivirus,
				w['outbound-blocked'].antivirusOnly,
			),
			w['outbound-blocked'].askIsp,
			w['outbound-blocked'].floodProtection,
		],
	},
	'address-mismatch': {
		symbol: '≠',
		label: 'address-mismatch',
		steps: (w, context) => [w['address-mismatch'].leaveFrom(context.publicIp), w['address-mismatch'].updatePbx],
	},
	'port-in-use': {
		symbol: '●',
		label: 'busy',
		steps: (w, context) => [
			context.process ? w['port-in-use'].heldBy(formatOwner(context.process)) : w['port-in-use'].findHolder,
			w['port-in-use'].notThePbx,
			w['port-in-use'].checkLater,
		],
	},
	'port-not-permitted': {
		symbol: '–',
		label: 'needs-root',
		steps: (w, context) => [w['port-not-permitted'].runWithSudo(context.ports), w['port-not-permitted'].othersStand],
	},
	'some-failed': {
		symbol: '✘',
		label: 'some-failed',
		steps: (w, context) => [
			...outboundAdvice(context.hostFirewall, context.portNumbers ?? []).lead,
			...thisHost(context).lead,
			...rightBox(context),
			w['some-failed'].compareRules,
			w['some-failed'].everyForward(context.pbxAddress),
			w['some-failed'].portScanProtection,
		],
	},
	'stun-unresolvable': {
		symbol: '?',
		label: 'stun-unresolvable',
		steps: (w, context) => [w['stun-unresolvable'].checkName(context.server), w['stun-unresolvable'].anotherServer],
	},
	'stun-unreachable': {
		symbol: '✘',
		label: 'stun-unreachable',
		steps: w => [w['stun-unreachable'].internet, w['stun-unreachable'].allowStun, w['stun-unreachable'].serverDown],
	},
	'stun-no-second-address': {
		symbol: '✘',
		label: 'no-second-address',
		steps: w => [w['stun-no-second-address'].twoAddresses, w['stun-no-second-address'].ownServer],
	},
	cancelled: {symbol: '■', label: 'cancelled', steps: w => [w.cancelled.runAgain]},
};

const table: Record<VerdictCode, VerdictEntry> = {
	...(Object.fromEntries(
		Object.entries(own).map(([code, {symbol, label, steps}]) => [
			code,
			verdictEntry(
				code as OwnCode,
				symbol,
				label,
				catalog => catalog.verdicts[code as OwnCode].sentence,
				(catalog, context) => steps(catalog.verdicts, context),
			),
		]),
	) as Record<OwnCode, VerdictEntry>),
	...serviceVerdicts,
};

/** Said in every output when the server cannot run Test 3: English, for the engine's notes. */
export const noTest3Sentence = english.verdicts.noTest3;

/** A verdict in the chosen language: its `sentence` and `remediation` are what a person reads. */
export const verdict = (code: VerdictCode): Verdict => table[code];
export const allVerdicts = (): Verdict[] => Object.values(table);

/** A verdict's sentence in English whatever the language: what the engine puts in a result's `message`. */
export const verdictMessage = (code: VerdictCode): string => table[code].sentenceIn(english);

/**
 * A result's `message` (English, as the report keeps it) in the chosen language: its verdict's
 * sentence, then what the engine added after it; a message of its own (a cancelled port's
 * findings) is said through the catalog's notes.
 */
export const sayMessage = (code: VerdictCode | null, message: string): string => {
	if (code !== null) {
		const source = verdictMessage(code);
		if (message.startsWith(source)) {
			return verdict(code).sentence + message.slice(source.length);
		}
	}

	return sayNote(message);
};
