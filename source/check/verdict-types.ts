// What an entry of the verdict table is made of: its code, words and checklist. In a file of its
// own so that service-verdicts.ts, a part of that table, need not import the table itself.
import type {HostFirewallFindings} from '../host-firewall/remediation.js';
import type {PathReport, RouterView} from '../router/types.js';

export type PortVerdictCode =
	| 'ok'
	| 'mapping-only'
	| 'inbound-blocked'
	| 'port-translated'
	| 'outbound-blocked'
	| 'address-mismatch'
	| 'port-in-use'
	| 'port-not-permitted';

export type CheckErrorCode = 'stun-unresolvable' | 'stun-unreachable' | 'stun-no-second-address';

/** The checks only `fwcheck serve` offers: SIP ALG, SIP service, TCP connect-back. */
export type ServiceVerdictCode =
	| 'sip-alg'
	| 'sip-invite-dropped'
	| 'sip-no-answer'
	| 'sip-service-ok'
	| 'sip-service-silent'
	| 'sip-private-contact'
	| 'sip-reached-fwcheck'
	| 'sip-elsewhere'
	| 'tcp-ok'
	| 'tcp-elsewhere'
	| 'tcp-refused'
	| 'tcp-no-answer'
	| 'tcp-busy-reached'
	| 'services-unavailable';

export type VerdictCode = PortVerdictCode | CheckErrorCode | ServiceVerdictCode | 'some-failed' | 'cancelled';

/** What the checklist may name: filled in where known. */
export interface RemediationContext {
	/** A port or a range such as "9000-9499". */
	ports?: string;
	/** This host's LAN address, the target of the forwarding rule. */
	pbxAddress?: string;
	publicIp?: string;
	server?: string;
	process?: {pid: number; name: string};
	/** The path verdict: a checklist leads with the box that must change (the ISP, the modem). */
	path?: PathReport;
	/** The router's own view: its mapping list names forwards that point elsewhere. */
	router?: RouterView;
	/** The port numbers this checklist is about, to look up in the router's mapping list. */
	portNumbers?: number[];
	/** This host's own firewall: a checklist starts with this machine when it blocks the ports. */
	hostFirewall?: HostFirewallFindings;
}

export interface Verdict {
	code: VerdictCode;
	/** Symbol and short word for tables that must read without colour. */
	symbol: string;
	label: string;
	/** One sentence for the user, in the chosen language (the engine's English one: verdictMessage). */
	readonly sentence: string;
	/** What to do, in the chosen language: the lines that apply to this context. */
	remediation: (context: RemediationContext) => string[];
}
