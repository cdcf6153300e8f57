// One-line descriptions of the path, the router view and the hairpin test, shared by the plain
// and Markdown reports and the TUI (plain strings: no colour, no Ink).
import type {HairpinResult, PathReport, RouterMapping, RouterProtocol, RouterView} from './types.js';

const protocolNames: Record<RouterProtocol, string> = {'nat-pmp': 'NAT-PMP', pcp: 'PCP', upnp: 'UPnP'};

export const pathMeaning: Record<PathReport['verdict'], string> = {
	edge: 'your router holds the public address: forwards on it suffice',
	'double-nat': 'a second NAT sits in front of your router: forward on both boxes, or bridge the modem',
	cgnat: "your provider's carrier-grade NAT sits in front: no forward on your side can work",
	'no-nat': 'this host holds the public address: only its own firewall matters',
	unknown: 'could not tell how many NATs are in the way',
};

export const pathWord: Record<PathReport['verdict'], string> = {
	edge: 'edge',
	'double-nat': 'double NAT',
	cgnat: 'carrier-grade NAT',
	'no-nat': 'no NAT',
	unknown: 'unknown',
};

/** "Path: double NAT (192.168.1.1): a second NAT sits in front of your router: ..." */
export function pathLine(path: PathReport): string {
	const outer = path.outerNat ? ` (${path.outerNat})` : '';
	return `Path: ${pathWord[path.verdict]}${outer}: ${pathMeaning[path.verdict]}.`;
}

/** Hops as a chain: "192.168.77.1 → 192.168.1.1 → 11.22.33.10". */
export const hopsLine = (hops: string[]): string => (hops.length > 0 ? hops.join(' → ') : 'no hops traced');

/** "Router 192.168.77.1: NAT-PMP, PCP and UPnP answer; WAN 11.22.33.44; 4 mappings." */
export function routerLine(view: RouterView): string {
	if (!view.gateway) return 'Router: no default gateway found.';
	if (view.answered.length === 0)
		return `Router ${view.gateway}: no NAT-PMP, PCP or UPnP answer (many routers have them off; that is fine).`;
	const names = view.answered.map(protocol => protocolNames[protocol]);
	const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
	const wan = view.wanAddress ? `WAN ${view.wanAddress}` : 'no WAN address given';
	const count =
		view.mappings === undefined ? '' : `; ${view.mappings.length} ${view.mappings.length === 1 ? 'mapping' : 'mappings'}`;
	return `Router ${view.gateway}: ${list} ${view.answered.length === 1 ? 'answers' : 'answer'}; ${wan}${count}.`;
}

export const mappingLine = (mapping: RouterMapping): string =>
	`${mapping.protocol || '?'} ${mapping.externalPort} → ${mapping.internalHost}:${mapping.internalPort}${mapping.description ? `  ${mapping.description}` : ''}`;

export const hairpinWords: Record<HairpinResult, string> = {
	pass: 'works: phones on the LAN can reach the PBX at its public address',
	fail: "does not work: phones on the LAN must use the PBX's LAN address (or split DNS)",
	skipped: 'not tested',
};

export const hairpinLine = (result: HairpinResult, detail?: string): string =>
	`Hairpin: ${hairpinWords[result]}${result === 'skipped' && detail ? ` (${detail})` : ''}.`;
