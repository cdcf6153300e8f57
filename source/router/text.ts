// One-line descriptions of the path, the router view and the hairpin test, shared by the plain
// and Markdown reports and the TUI (plain strings: no colour, no Ink), in the chosen language
// (the catalog's `remediation` section).
import {type Messages, words} from '../catalog/index.js';
import type {HairpinResult, PathReport, RouterMapping, RouterProtocol, RouterView} from './types.js';

const protocolNames: Record<RouterProtocol, string> = {'nat-pmp': 'NAT-PMP', pcp: 'PCP', upnp: 'UPnP'};

/** A record whose every value is read from the catalog when it is read, so it follows the language. */
const live = <K extends string>(keys: readonly K[], read: (catalog: Messages, key: K) => string): Readonly<Record<K, string>> => {
	const record = {} as Record<K, string>;
	for (const key of keys) {
		Object.defineProperty(record, key, {enumerable: true, get: () => read(words(), key)});
	}

	return record;
};

const pathVerdicts: ReadonlyArray<PathReport['verdict']> = ['edge', 'double-nat', 'cgnat', 'no-nat', 'unknown'];

/** What each path verdict means, after its word. */
export const pathMeaning = live(pathVerdicts, (catalog, key) => catalog.remediation.path.meaning[key]);

/** The path verdict in a word or two. */
export const pathWord = live(pathVerdicts, (catalog, key) => catalog.remediation.path.word[key]);

/** "Path: double NAT (192.168.1.1): a second NAT sits in front of your router: ..." */
export function pathLine(path: PathReport): string {
	return words().remediation.path.line(pathWord[path.verdict], path.outerNat, pathMeaning[path.verdict]);
}

/** Hops as a chain: "192.168.77.1 → 192.168.1.1 → 11.22.33.10". */
export const hopsLine = (hops: string[]): string => (hops.length > 0 ? hops.join(' → ') : words().remediation.path.noHops);

/** "Router 192.168.77.1: NAT-PMP, PCP and UPnP answer; WAN 11.22.33.44; 4 mappings." */
export function routerLine(view: RouterView): string {
	const w = words().remediation.router;
	if (!view.gateway) return w.noGateway;
	if (view.answered.length === 0) return w.noAnswer(view.gateway);
	const names = view.answered.map(protocol => protocolNames[protocol]);
	const list = names.length === 1 ? names[0]! : w.list(names.slice(0, -1).join(w.separator), names.at(-1)!);
	return w.answered(view.gateway, list, view.answered.length, view.wanAddress, view.mappings?.length ?? -1);
}

export const mappingLine = (mapping: RouterMapping): string =>
	`${mapping.protocol || '?'} ${mapping.externalPort} → ${mapping.internalHost}:${mapping.internalPort}${mapping.description ? `  ${mapping.description}` : ''}`;

/** What the hairpin test found, after "Hairpin: ". */
export const hairpinWords = live<HairpinResult>(['pass', 'fail', 'skipped'], (catalog, key) => catalog.remediation.hairpin[key]);

export const hairpinLine = (result: HairpinResult, detail?: string): string =>
	words().remediation.hairpin.line(hairpinWords[result], result === 'skipped' ? detail : undefined);
