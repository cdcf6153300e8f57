/**
 * The Windows Firewall as far as it decides an inbound packet to a port of this host, or Test 1's
 * request leaving from one: the three profiles and the enabled inbound and outbound rules. PowerShell's JSON and netsh's text both decode into it
 * (windows-powershell.ts, windows-netsh.ts); windows-decide.ts decides the checked ports with it.
 */
import type {PortSpan} from './model.js';

export type WindowsProfileName = 'domain' | 'private' | 'public';

export const windowsProfileNames: readonly WindowsProfileName[] = ['domain', 'private', 'public'];

export interface WindowsProfile {
	name: WindowsProfileName;
	/** False: the firewall is off for networks of this profile, and lets everything in. */
	enabled: boolean;
	/** What an inbound packet no rule matches meets; Windows blocks unless told otherwise. */
	defaultInbound: 'allow' | 'block';
	/** "Block all incoming connections" (netsh's BlockInboundAlways): every allow rule is ignored. */
	blockAllInbound: boolean;
	/** What an outbound packet no rule matches meets; absent when not read, and Windows allows it then. */
	defaultOutbound?: 'allow' | 'block';
}

export interface WindowsRule {
	/** The name the admin sees (netsh's "Rule Name", PowerShell's DisplayName). */
	name: string;
	/** PowerShell's unique Name (an id such as "{6E3B…}"), null from netsh. */
	id: string | null;
	/** `bypass` lets authenticated IPsec peers past block rules; an arbitrary internet host is not one. */
	action: 'allow' | 'block' | 'bypass';
	profiles: 'any' | readonly WindowsProfileName[];
	/** `other`: ICMP or a protocol number the check never sends. */
	protocol: 'any' | 'udp' | 'tcp' | 'other';
	/** `any`, or the spans listed; keywords such as RPC or Teredo name no fixed port and match none. */
	localPorts: 'any' | readonly PortSpan[];
	/** `any` (also "Internet"), or what the rule limits the sender to: "203.0.113.0/24", "LocalSubnet". */
	remoteAddresses: 'any' | readonly string[];
	/** The executable whose sockets the rule is limited to; null when it applies to every program. */
	program: string | null;
	/** The Windows service the rule is limited to; null when it applies to every one. */
	service: string | null;
	/**
	 * Set on an outbound rule: its local ports are then the ports packets leave from, its remote
	 * addresses where they go. Inbound rules have none.
	 */
	direction?: 'out';
	/** An outbound rule's remote ports (the STUN server's, for Test 1); absent or `any`: every port. */
	remotePorts?: 'any' | readonly PortSpan[];
}

export interface WindowsFirewall {
	profiles: readonly WindowsProfile[];
	/** The profiles of the networks this host is on now; empty when that could not be read. */
	active: readonly WindowsProfileName[];
	/** Enabled rules only: inbound ones, and outbound ones (`direction: 'out'`) when they were read. */
	rules: readonly WindowsRule[];
}

export const profileLabel = (name: WindowsProfileName): string => `${name[0]!.toUpperCase()}${name.slice(1)}`;

/** "5060", "9000-10999": one span, or null for a keyword or nonsense. */
export const parsePortSpan = (text: string): PortSpan | null => {
	const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5}))?\s*$/.exec(text);
	if (!match) {
		return null;
	}

	const from = Number(match[1]);
	const to = match[2] === undefined ? from : Number(match[2]);
	return from >= 0 && from <= to && to <= 65_535 ? {from, to} : null;
};
