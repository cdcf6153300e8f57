// The verdicts of the checks only `fwcheck serve` offers (SIP ALG, the SIP port asked by OPTIONS,
// TCP ports by connect-back): part of the one verdict table in verdicts.ts, kept here so that
// table stays readable.
import {thisHostAdvice} from '../host-firewall/remediation.js';
import {formatOwner} from '../words/format.js';
import type {RemediationContext, ServiceVerdictCode, Verdict} from './verdict-types.js';

const pbxOf = (context: RemediationContext): string => context.pbxAddress ?? 'the PBX';
const sipPortOf = (context: RemediationContext): string => context.ports ?? '5060';
const tcpPortsOf = (context: RemediationContext): string => context.ports ?? 'the checked ports';

const tcpForward = (context: RemediationContext): string =>
	`Add a static forward on the router: TCP ${tcpPortsOf(context)} arriving on the WAN address → ${pbxOf(context)}, same port numbers, from any source address. A rule for UDP only does not cover TCP: choose TCP or "both".`;

/** What this machine's own firewall does to the failing ports over `protocols`: it leads when it blocks them. */
const thisHost = (context: RemediationContext, protocols: ReadonlyArray<'udp' | 'tcp'>) =>
	thisHostAdvice(context.hostFirewall, protocols, context.portNumbers ?? []);

/** The generic item as it stays: gone when this machine lets the ports in, naming a rule it could not evaluate. */
const hostItem = (context: RemediationContext, protocols: ReadonlyArray<'udp' | 'tcp'>, generic: string): string[] =>
	[thisHost(context, protocols).hostItem(generic)].filter(item => item !== undefined);

/** Where the SIP ALG hides on boxes people meet most; said in our words, checked against their manuals. */
const whereAlgLives = [
	'Consumer and ISP routers: look for "SIP ALG", "SIP Passthrough", "SIP helper" or "VoIP ALG" (under WAN, NAT, Firewall or Advanced settings) and switch it off. Netgear: "Disable SIP ALG" under WAN Setup. DrayTek: `sys sip_alg 0` on the console.',
	'Cisco IOS routers: `no ip nat service sip udp port 5060` and `no ip nat service sip tcp port 5060`. Cisco ASA: `no inspect sip` in the global policy map.',
	'Fortinet FortiGate: `config system settings`, `set sip-helper disable`, `set sip-nat-trace disable`, then delete the sip entry under `config system session-helper`; clear the sessions (or reboot) so existing ones stop being rewritten.',
	'Juniper SRX: `set security alg sip disable`, then commit.',
	'Linux and OpenWrt routers: unload nf_nat_sip and nf_conntrack_sip and keep them from loading again, or delete the rule that attaches the SIP conntrack helper (`-j CT --helper sip`); on OpenWrt that helper comes with kmod-nf-nathelper-extra.',
	'pfSense and OPNsense have no SIP ALG of their own; the siproxd package is a SIP proxy that rewrites in the same way: remove it, or keep the PBX out of it.',
];

export const serviceVerdicts: Record<ServiceVerdictCode, Verdict> = {
	'sip-alg': {
		code: 'sip-alg',
		symbol: '✘',
		label: 'sip-alg',
		sentence:
			'Something on the way rewrites the addresses inside SIP messages (a SIP ALG): calls get one-way or no audio, phones fail to register, transfers break.',
		remediation: () => [
			'Turn off the SIP ALG on the router and on every firewall or modem between the PBX and the internet. The PBX already writes its public address into SIP itself (its external address setting, or STUN); the ALG rewrites it a second time, often wrongly, and that is what breaks audio, registration and transfers.',
			...whereAlgLives,
			'If the ISP owns the box and the setting is locked, ask the ISP to turn SIP ALG off, or to put its box in bridge mode.',
			'Run fwcheck again: the SIP ALG line must read untouched for UDP and for TCP.',
		],
	},
	'sip-invite-dropped': {
		code: 'sip-invite-dropped',
		symbol: '✘',
		label: 'invite-dropped',
		sentence:
			'SIP OPTIONS got through, but the INVITE never got an answer: something on the way, usually a SIP ALG, swallows call set-ups.',
		remediation: () => [
			'Turn off the SIP ALG ("SIP helper", "SIP Passthrough") on the router and on any firewall in the path: ALGs are known to drop an INVITE whose media address and port they already expect.',
			...whereAlgLives,
			'Look for "SIP inspection", intrusion prevention or "VoIP protection" rules on the firewall that drop INVITEs from the PBX, and turn them off for it.',
		],
	},
	'sip-no-answer': {
		code: 'sip-no-answer',
		symbol: '✘',
		label: 'sip-no-answer',
		sentence:
			"No answer came back to SIP requests sent to the server's SIP port: outbound SIP on this transport is blocked or lost on the way.",
		remediation: context => [
			`Allow outbound SIP from ${pbxOf(context)} to port ${sipPortOf(context)}, over UDP and TCP, on the router, the firewall and the host.`,
			'Some ISPs and mobile networks block or filter port 5060: ask the ISP, or check whether SIP to your trunk provider uses another port.',
			'Until this passes, fwcheck cannot tell whether a SIP ALG rewrites your SIP; the UDP port checks are not affected.',
		],
	},
	'sip-service-ok': {
		code: 'sip-service-ok',
		symbol: '✔',
		label: 'sip-ok',
		sentence:
			'A SIP OPTIONS from an address this host never talked to got an answer from a SIP service at the public SIP port: the forward reaches it.',
		remediation: () => ['Nothing to do: SIP from the internet reaches the PBX.'],
	},
	'sip-service-silent': {
		code: 'sip-service-silent',
		symbol: '✘',
		label: 'sip-silent',
		sentence:
			'A SIP OPTIONS sent from the internet to the public SIP port got no answer: the port is not forwarded to the PBX, or something drops the request.',
		remediation: context => [
			...thisHost(context, ['udp', 'tcp']).lead,
			`Add a static forward on the router: UDP and TCP ${sipPortOf(context)} arriving on the WAN address → ${pbxOf(context)}, same port, from any source address.`,
			'Make sure the forward points at this host and not at another LAN address (an old PBX, a phone).',
			...hostItem(context, ['udp', 'tcp'], `Check that the host firewall accepts inbound SIP on ${sipPortOf(context)}.`),
			"Some PBX security settings answer nothing to unknown addresses (IP blocklists, fail2ban, an allow-list of trunks): check that the server's address is not blocked, or judge the forward by a call from outside.",
			'Turn off SIP ALG / SIP helper on the router: it can swallow SIP it does not like.',
		],
	},
	'sip-private-contact': {
		code: 'sip-private-contact',
		symbol: '≠',
		label: 'private-contact',
		sentence:
			'The PBX answered from the internet, but with a private address in its Via or Contact: phones and trunks outside will send to an address they cannot reach.',
		remediation: context => [
			`Set the PBX's external (public) address to ${context.publicIp ?? 'your public IP'} and its local networks to the LAN ranges, so it writes the public address for peers outside. Asterisk PJSIP: external_signaling_address, external_media_address and local_net on the transport; chan_sip: externaddr and localnet; FreeSWITCH: ext-sip-ip and ext-rtp-ip on the profile.`,
			'Or let the PBX learn its public address by STUN, if it can.',
			'Do not lean on a SIP ALG to fix this: turn any ALG off, as it rewrites again and often wrongly.',
		],
	},
	'sip-reached-fwcheck': {
		code: 'sip-reached-fwcheck',
		symbol: '✔',
		label: 'sip-reached',
		sentence: 'A SIP OPTIONS sent from the internet to the public SIP port arrived at this host: the forward points here.',
		remediation: () => ['Nothing to do: once the PBX listens on this port, SIP from the internet reaches it.'],
	},
	'sip-elsewhere': {
		code: 'sip-elsewhere',
		symbol: '✘',
		label: 'sip-elsewhere',
		sentence:
			'A SIP OPTIONS sent from the internet to the public SIP port was answered, but not by this host: the forward points at another device, or the router answers SIP itself.',
		remediation: context => [
			`Point the forward of UDP and TCP ${sipPortOf(context)} at ${pbxOf(context)}, same port, from any source address.`,
			'Look for what answered instead: an old PBX, a phone or an adapter on the LAN, or telephony built into the router (many ISP boxes have a SIP client of their own on 5060); move or turn off that service.',
			'With two NATs in a row (ISP modem + router), the outer box may answer: forward on each of them.',
		],
	},
	'tcp-ok': {
		code: 'tcp-ok',
		symbol: '✔',
		label: 'tcp-ok',
		sentence: 'A TCP connection from an address this host never talked to arrived at this port: forwarded.',
		remediation: () => ['Nothing to do: this TCP port reaches this host.'],
	},
	'tcp-elsewhere': {
		code: 'tcp-elsewhere',
		symbol: '✘',
		label: 'tcp-elsewhere',
		sentence:
			'A TCP connection to the public port was accepted, but not by this host: the forward points at another machine, or the router answers on that port itself.',
		remediation: context => [
			tcpForward(context),
			'Check where the existing forward points: another LAN address (an old PBX, a NAS, a camera) is a common leftover.',
			'The router may use the port itself (remote administration, a VPN server, its own telephony on 5060/5061): move that service to another port, or turn it off.',
			'With two NATs in a row (ISP modem + router), the outer box may answer: forward on each of them.',
		],
	},
	'tcp-refused': {
		code: 'tcp-refused',
		symbol: '✘',
		label: 'tcp-refused',
		sentence: 'A TCP connection to the public port was refused: nothing forwards it, or the router turns it away.',
		remediation: context => [
			...thisHost(context, ['tcp']).lead,
			tcpForward(context),
			'If a forward exists, check that it is for TCP and not only UDP, and that it is enabled.',
			...hostItem(context, ['tcp'], 'Check that the host firewall accepts inbound TCP on these ports.'),
		],
	},
	'tcp-no-answer': {
		code: 'tcp-no-answer',
		symbol: '✘',
		label: 'tcp-no-answer',
		sentence:
			'A TCP connection to the public port got no answer at all: a firewall drops it, or the forward points at an address where nothing is.',
		remediation: context => [
			...thisHost(context, ['tcp']).lead,
			tcpForward(context),
			'Check that the forward points at a LAN address that exists and is on.',
			...hostItem(
				context,
				['tcp'],
				'Allow inbound TCP on these ports on the router firewall and on the host (iptables/nftables, firewalld, Windows Firewall).',
			),
			'Some ISPs filter inbound TCP on well-known ports: ask, if the rest is right.',
		],
	},
	'tcp-busy-reached': {
		code: 'tcp-busy-reached',
		symbol: '●',
		label: 'busy-reached',
		sentence:
			'Another program holds this TCP port here, and a connection from the internet was accepted: the service holding it most likely answers from outside.',
		remediation: context => [
			context.process
				? `The port is held by ${formatOwner(context.process)}. If that is the PBX, its TCP service is reachable: nothing to do.`
				: 'Find the program holding the port with `ss -ltnp` (Linux) or `netstat -ano` (Windows).',
			'While the port is held, fwcheck cannot prove the connection reached this host rather than another box that accepts it: to be sure, check it again while the program is stopped.',
		],
	},
	'services-unavailable': {
		code: 'services-unavailable',
		symbol: '–',
		label: 'no-services',
		sentence: 'Needs a server run with `fwcheck serve`: the SIP ALG, SIP port and TCP checks were skipped.',
		remediation: () => [
			'Run `fwcheck serve --primary A --alternate B` on a host with two public IP addresses and point fwcheck at it with --stun.',
			'The UDP port checks do not depend on it: their verdicts stand.',
		],
	},
};
