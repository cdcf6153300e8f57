import {thisHostAdvice} from '../host-firewall/remediation.js';
import {mappingFindings, pathRemediation} from '../router/remediation.js';
import {formatOwner} from '../words/format.js';
import {serviceVerdicts} from './service-verdicts.js';
import type {RemediationContext, Verdict, VerdictCode} from './verdict-types.js';

/**
 * Every verdict fwcheck can give, in one table: its code, the sentence a user reads, and what to
 * do about it. The TUI, the plain and JSON reports and readme.md all draw from here.
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

const portsOf = (context: RemediationContext): string => context.ports ?? 'the checked ports';
const pbxOf = (context: RemediationContext): string => context.pbxAddress ?? 'the PBX';

/** What the path and the router's mapping list say first: which box to change, which forward is wrong. */
const rightBox = (context: RemediationContext): string[] => [
	...pathRemediation(context.path, {ports: context.ports, pbxAddress: context.pbxAddress, routerWan: context.router?.wanAddress}),
	...mappingFindings(context.router, context.portNumbers ?? [], context.pbxAddress),
];

/** What this machine's own firewall does to the failing UDP ports: it leads when it blocks them. */
const thisHost = (context: RemediationContext) => thisHostAdvice(context.hostFirewall, ['udp'], context.portNumbers ?? []);

const hostFirewallItem =
	'Check that the host firewall (iptables/nftables, firewalld, Windows Firewall) accepts inbound UDP on these ports.';

const forwardingRule = (context: RemediationContext): string =>
	`Add a static forward on the router: UDP ${portsOf(context)} arriving on the WAN address → ${pbxOf(context)}, same port numbers, from any source address.`;

const table: Record<VerdictCode, Verdict> = {
	ok: {
		code: 'ok',
		symbol: '✔',
		label: 'ok',
		sentence: 'Forwarded 1:1: the port leaves unchanged and answers from any address.',
		remediation: () => ['Nothing to do: this port is set up the way the PBX needs it.'],
	},
	'mapping-only': {
		code: 'mapping-only',
		symbol: '◐',
		label: 'mapping-only',
		sentence:
			'Not forwarded: the router lets traffic in only after the port has sent out, so the first packets of inbound calls and new phones are lost, and inbound stops when the mapping expires.',
		remediation: context => [
			...thisHost(context).lead,
			forwardingRule(context),
			'The router passes Tests 1 and 2 only through the NAT mapping the port opens itself ("full-cone" NAT): that is not a forward.',
			'Make sure the forward points at this host and not at another LAN address (an old PBX, a phone).',
			'If several devices sit between the PBX and the internet (ISP modem + router), forward on each of them.',
			'Turn off SIP ALG / SIP helper on the router: it rewrites VoIP traffic and often breaks forwards.',
		],
	},
	'inbound-blocked': {
		code: 'inbound-blocked',
		symbol: '✘',
		label: 'inbound-blocked',
		sentence: 'Outbound works, but nothing from a new address gets in: the port is not forwarded to this host.',
		remediation: context => [
			...thisHost(context).lead,
			...rightBox(context),
			forwardingRule(context),
			'Make sure the forward points at this host and not at another LAN address (an old PBX, a phone).',
			'If the router has a "port-restricted" or "symmetric" NAT setting for UDP, choose full-cone / endpoint-independent.',
			...[thisHost(context).hostItem(hostFirewallItem)].filter(item => item !== undefined),
			'Turn off SIP ALG / SIP helper on the router: it rewrites VoIP traffic and often breaks forwards.',
			'If several devices sit between the PBX and the internet (ISP modem + router), forward on each of them.',
		],
	},
	'port-translated': {
		code: 'port-translated',
		symbol: '⇄',
		label: 'port-translated',
		sentence:
			'The router changes the port number on the way out (symmetric NAT): remote phones will send audio to the wrong port.',
		remediation: context => [
			...rightBox(context),
			`Add a source-NAT rule that keeps the port: UDP from ${pbxOf(context)} ports ${portsOf(context)} must leave the WAN with the same port numbers.`,
			forwardingRule(context),
			'Disable port randomisation on the router (often called "random" or "symmetric" UDP NAT, or on pfSense/OPNsense "static port" off).',
			'Turn off SIP ALG / SIP helper on the router.',
		],
	},
	'outbound-blocked': {
		code: 'outbound-blocked',
		symbol: '✘',
		label: 'outbound-blocked',
		sentence: 'No answer came back to requests sent from this port: outbound traffic from it is blocked or lost.',
		remediation: context => [
			...thisHostAdvice(context.hostFirewall, ['udp'], context.portNumbers ?? [], {answersLost: true}).lead,
			`Allow outbound UDP from ${pbxOf(context)} ports ${portsOf(context)} on the router/firewall.`,
			'Check the host firewall and any antivirus or endpoint-protection software (disabling it may not be enough: add an exception).',
			'Ask the ISP whether it blocks or filters these UDP ports.',
			'If only some ports fail, turn off port-scan / flood protection on the firewall while you check: it starts dropping after the first ports.',
		],
	},
	'address-mismatch': {
		code: 'address-mismatch',
		symbol: '≠',
		label: 'address-mismatch',
		sentence: 'Traffic from this port leaves from a different public IP than the PBX is set up with.',
		remediation: context => [
			`Make the port's outbound traffic leave from ${context.publicIp ?? 'the public IP the PBX uses'} (check multi-WAN, load-balancing and source-NAT rules).`,
			"Or, if the public IP has changed, update the PBX's public address setting.",
		],
	},
	'port-in-use': {
		code: 'port-in-use',
		symbol: '●',
		label: 'busy',
		sentence: 'Another program holds this port, so it could not be checked.',
		remediation: context => [
			context.process
				? `The port is held by ${formatOwner(context.process)}. If that is the PBX, it is running normally: fwcheck leaves it alone.`
				: 'Find the program holding the port with the command shown below.',
			'If it is not the PBX, stop or reconfigure that program: the PBX needs these ports free.',
			'To check these ports too, run fwcheck again while the PBX media service is stopped, in a quiet moment.',
		],
	},
	'port-not-permitted': {
		code: 'port-not-permitted',
		symbol: '–',
		label: 'needs-root',
		sentence:
			'This host does not let fwcheck bind this port (ports below 1024 need root or CAP_NET_BIND_SERVICE), so it could not be checked.',
		remediation: context => [
			`To check ${context.ports ?? 'these ports'} too, run fwcheck again with sudo: only root (or a program given CAP_NET_BIND_SERVICE) may bind ports below 1024.`,
			'The other ports were checked as usual: their verdicts do not depend on these.',
		],
	},
	'some-failed': {
		code: 'some-failed',
		symbol: '✘',
		label: 'some-failed',
		sentence: 'Some ports are forwarded 1:1 and others are not.',
		remediation: context => [
			...thisHost(context).lead,
			...rightBox(context),
			'Compare the forwarding rules with the failed ranges listed: a range is often missing or mistyped.',
			`Make sure every forward points at ${pbxOf(context)} and not at another LAN address.`,
			'If failures start after the first ports, port-scan protection on the firewall may be dropping traffic: turn it off while you check.',
		],
	},
	'stun-unresolvable': {
		code: 'stun-unresolvable',
		symbol: '?',
		label: 'stun-unresolvable',
		sentence: "The STUN server's name does not resolve.",
		remediation: context => [
			`Check the name${context.server ? ` ${context.server}` : ''} for typos, and that this host's DNS works (e.g. \`getent hosts <name>\`).`,
			'Try another STUN server with --stun, or your own (`fwcheck serve`).',
		],
	},
	'stun-unreachable': {
		code: 'stun-unreachable',
		symbol: '✘',
		label: 'stun-unreachable',
		sentence: 'No configured STUN server answered, so the check could not run.',
		remediation: () => [
			'Check that this host can reach the internet over UDP at all.',
			'Allow outbound UDP to the STUN server port (3478 by default) on the firewall.',
			'The server may be down: try another with --stun, or your own (`fwcheck serve`).',
		],
	},
	'stun-no-second-address': {
		code: 'stun-no-second-address',
		symbol: '✘',
		label: 'no-second-address',
		sentence: 'The STUN server answered but cannot run Test 2: it has no second IP address, or ignores requests to use it.',
		remediation: () => [
			'Use a STUN server with two IP addresses (RFC 5780 or RFC 3489 style) with --stun.',
			'Or run your own on a host with two public IPs: `fwcheck serve --primary A --alternate B`.',
		],
	},
	cancelled: {
		code: 'cancelled',
		symbol: '■',
		label: 'cancelled',
		sentence: 'The check was cancelled before every port was checked.',
		remediation: () => ['Run it again to check the remaining ports.'],
	},
	...serviceVerdicts,
};

/** Said in every output when the server cannot run Test 3. */
export const noTest3Sentence = 'This server cannot run Test 3: a router that only lets replies in would read ok.';

export const verdict = (code: VerdictCode): Verdict => table[code];
export const allVerdicts = (): Verdict[] => Object.values(table);
