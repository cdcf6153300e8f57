// The verdicts of the checks only `fwcheck serve` offers (SIP ALG, the SIP port asked by OPTIONS,
// TCP ports by connect-back): what each means, the short words the tables and summaries use for
// it, and every line its checklist may give. Which lines apply is decided in
// check/service-verdicts.ts; how a result is worded from its verdict, in report/services-text.ts.

const pbx = (address: string | undefined): string => address ?? 'the PBX';
const sipPort = (ports: string | undefined): string => ports ?? '5060';
const tcpPorts = (ports: string | undefined): string => ports ?? 'the checked ports';

/** Lines and words more than one service verdict gives. */
const shared = {
	tcpForward: (ports: string | undefined, address: string | undefined) =>
		`Add a static forward on the router: TCP ${tcpPorts(ports)} arriving on the WAN address → ${pbx(address)}, same port numbers, from any source address. A rule for UDP only does not cover TCP: choose TCP or "both".`,
	pointsAtThisHost: 'Make sure the forward points at this host and not at another LAN address (an old PBX, a phone).',
	outerBoxAnswers: 'With two NATs in a row (ISP modem + router), the outer box may answer: forward on each of them.',
	/** Where the SIP ALG hides on boxes people meet most; said in our words, checked against their manuals. */
	whereAlgLives: [
		'Consumer and ISP routers: look for "SIP ALG", "SIP Passthrough", "SIP helper" or "VoIP ALG" (under WAN, NAT, Firewall or Advanced settings) and switch it off. Netgear: "Disable SIP ALG" under WAN Setup. DrayTek: `sys sip_alg 0` on the console.',
		'Cisco IOS routers: `no ip nat service sip udp port 5060` and `no ip nat service sip tcp port 5060`. Cisco ASA: `no inspect sip` in the global policy map.',
		'Fortinet FortiGate: `config system settings`, `set sip-helper disable`, `set sip-nat-trace disable`, then delete the sip entry under `config system session-helper`; clear the sessions (or reboot) so existing ones stop being rewritten.',
		'Juniper SRX: `set security alg sip disable`, then commit.',
		'Linux and OpenWrt routers: unload nf_nat_sip and nf_conntrack_sip and keep them from loading again, or delete the rule that attaches the SIP conntrack helper (`-j CT --helper sip`); on OpenWrt that helper comes with kmod-nf-nathelper-extra.',
		'pfSense and OPNsense have no SIP ALG of their own; the siproxd package is a SIP proxy that rewrites in the same way: remove it, or keep the PBX out of it.',
	],
	/** A result that has no verdict of its own. */
	skipped: 'skipped',
	ok: 'ok',
	failed: 'failed',
	noAnswer: 'no answer',
	reachedThisHost: 'reached this host',
	answeredNotThisHost: 'answered, not by this host',
};

export const services = {
	shared,
	'sip-alg': {
		sentence:
			'Something on the way rewrites the addresses inside SIP messages (a SIP ALG): calls get one-way or no audio, phones fail to register, transfers break.',
		/** "rewritten (3 lines)"; just "rewritten" when the lines are not known. */
		word: (lines: number) => (lines > 0 ? `rewritten (${lines} ${lines === 1 ? 'line' : 'lines'})` : 'rewritten'),
		/** An ALG check that found nothing rewritten. */
		untouched: 'untouched',
		turnOff:
			'Turn off the SIP ALG on the router and on every firewall or modem between the PBX and the internet. The PBX already writes its public address into SIP itself (its external address setting, or STUN); the ALG rewrites it a second time, often wrongly, and that is what breaks audio, registration and transfers.',
		askIsp:
			'If the ISP owns the box and the setting is locked, ask the ISP to turn SIP ALG off, or to put its box in bridge mode.',
		runAgain: 'Run fwcheck again: the SIP ALG line must read untouched for UDP and for TCP.',
	},
	'sip-invite-dropped': {
		sentence:
			'SIP OPTIONS got through, but the INVITE never got an answer: something on the way, usually a SIP ALG, swallows call set-ups.',
		word: 'INVITE dropped',
		turnOff:
			'Turn off the SIP ALG ("SIP helper", "SIP Passthrough") on the router and on any firewall in the path: ALGs are known to drop an INVITE whose media address and port they already expect.',
		inspection:
			'Look for "SIP inspection", intrusion prevention or "VoIP protection" rules on the firewall that drop INVITEs from the PBX, and turn them off for it.',
	},
	'sip-no-answer': {
		sentence:
			"No answer came back to SIP requests sent to the server's SIP port: outbound SIP on this transport is blocked or lost on the way.",
		allowOutbound: (address: string | undefined, ports: string | undefined) =>
			`Allow outbound SIP from ${pbx(address)} to port ${sipPort(ports)}, over UDP and TCP, on the router, the firewall and the host.`,
		ispFilters:
			'Some ISPs and mobile networks block or filter port 5060: ask the ISP, or check whether SIP to your trunk provider uses another port.',
		untilThisPasses:
			'Until this passes, fwcheck cannot tell whether a SIP ALG rewrites your SIP; the UDP port checks are not affected.',
	},
	'sip-service-ok': {
		sentence:
			'A SIP OPTIONS from an address this host never talked to got an answer from a SIP service at the public SIP port: the forward reaches it.',
		/** "answers 401", or "answers" when the status line had no code. */
		word: (status: string | undefined) => (status ? `answers ${status}` : 'answers'),
		nothingToDo: 'Nothing to do: SIP from the internet reaches the PBX.',
	},
	'sip-service-silent': {
		sentence:
			'A SIP OPTIONS sent from the internet to the public SIP port got no answer: the port is not forwarded to the PBX, or something drops the request.',
		forward: (ports: string | undefined, address: string | undefined) =>
			`Add a static forward on the router: UDP and TCP ${sipPort(ports)} arriving on the WAN address → ${pbx(address)}, same port, from any source address.`,
		hostFirewall: (ports: string | undefined) => `Check that the host firewall accepts inbound SIP on ${sipPort(ports)}.`,
		securitySettings:
			"Some PBX security settings answer nothing to unknown addresses (IP blocklists, fail2ban, an allow-list of trunks): check that the server's address is not blocked, or judge the forward by a call from outside.",
		sipAlgOff: 'Turn off SIP ALG / SIP helper on the router: it can swallow SIP it does not like.',
	},
	'sip-private-contact': {
		sentence:
			'The PBX answered from the internet, but with a private address in its Via or Contact: phones and trunks outside will send to an address they cannot reach.',
		/** "answers 200, private address". */
		word: (status: string | undefined) => `answers${status ? ` ${status}` : ''}, private address`,
		externalAddress: (publicIp: string | undefined) =>
			`Set the PBX's external (public) address to ${publicIp ?? 'your public IP'} and its local networks to the LAN ranges, so it writes the public address for peers outside. Asterisk PJSIP: external_signaling_address, external_media_address and local_net on the transport; chan_sip: externaddr and localnet; FreeSWITCH: ext-sip-ip and ext-rtp-ip on the profile.`,
		stun: 'Or let the PBX learn its public address by STUN, if it can.',
		noAlg: 'Do not lean on a SIP ALG to fix this: turn any ALG off, as it rewrites again and often wrongly.',
	},
	'sip-reached-fwcheck': {
		sentence: 'A SIP OPTIONS sent from the internet to the public SIP port arrived at this host: the forward points here.',
		nothingToDo: 'Nothing to do: once the PBX listens on this port, SIP from the internet reaches it.',
	},
	'sip-elsewhere': {
		sentence:
			'A SIP OPTIONS sent from the internet to the public SIP port was answered, but not by this host: the forward points at another device, or the router answers SIP itself.',
		/** "answers 200, not this host", or without a status code "answered, not by this host". */
		word: (status: string | undefined) => (status ? `answers ${status}, not this host` : 'answered, not by this host'),
		pointForward: (ports: string | undefined, address: string | undefined) =>
			`Point the forward of UDP and TCP ${sipPort(ports)} at ${pbx(address)}, same port, from any source address.`,
		whatAnswered:
			'Look for what answered instead: an old PBX, a phone or an adapter on the LAN, or telephony built into the router (many ISP boxes have a SIP client of their own on 5060); move or turn off that service.',
	},
	'tcp-ok': {
		sentence: 'A TCP connection from an address this host never talked to arrived at this port: forwarded.',
		nothingToDo: 'Nothing to do: this TCP port reaches this host.',
	},
	'tcp-elsewhere': {
		sentence:
			'A TCP connection to the public port was accepted, but not by this host: the forward points at another machine, or the router answers on that port itself.',
		whereItPoints:
			'Check where the existing forward points: another LAN address (an old PBX, a NAS, a camera) is a common leftover.',
		routerUsesPort:
			'The router may use the port itself (remote administration, a VPN server, its own telephony on 5060/5061): move that service to another port, or turn it off.',
	},
	'tcp-refused': {
		sentence: 'A TCP connection to the public port was refused: nothing forwards it, or the router turns it away.',
		word: 'refused',
		tcpNotUdp: 'If a forward exists, check that it is for TCP and not only UDP, and that it is enabled.',
		hostFirewall: 'Check that the host firewall accepts inbound TCP on these ports.',
	},
	'tcp-no-answer': {
		sentence:
			'A TCP connection to the public port got no answer at all: a firewall drops it, or the forward points at an address where nothing is.',
		/** No route to the server's second address: the connection was never made. */
		unreachable: 'unreachable',
		addressExists: 'Check that the forward points at a LAN address that exists and is on.',
		allowInbound:
			'Allow inbound TCP on these ports on the router firewall and on the host (iptables/nftables, firewalld, Windows Firewall).',
		ispFilters: 'Some ISPs filter inbound TCP on well-known ports: ask, if the rest is right.',
	},
	'tcp-busy-reached': {
		sentence:
			'Another program holds this TCP port here, and a connection from the internet was accepted: the service holding it most likely answers from outside.',
		word: 'busy here, answered from outside',
		/** A busy port nobody outside reached. */
		notReached: 'busy here, no answer from outside',
		heldBy: (owner: string) => `The port is held by ${owner}. If that is the PBX, its TCP service is reachable: nothing to do.`,
		findHolder: 'Find the program holding the port with `ss -ltnp` (Linux) or `netstat -ano` (Windows).',
		cannotProve:
			'While the port is held, fwcheck cannot prove the connection reached this host rather than another box that accepts it: to be sure, check it again while the program is stopped.',
	},
	'services-unavailable': {
		sentence: 'Needs a server run with `fwcheck serve`: the SIP ALG, SIP port and TCP checks were skipped.',
		runServe:
			'Run `fwcheck serve --primary A --alternate B` on a host with two public IP addresses and point fwcheck at it with --stun.',
		portsStand: 'The UDP port checks do not depend on it: their verdicts stand.',
	},
	/** The summary's items and the plain report's lines about these checks. */
	summary: {
		/** "SIP and TCP checks" → "skipped: these checks need …". */
		allChecks: 'SIP and TCP checks',
		skipped: (why: string) => `skipped: ${why}`,
		sipAlg: 'SIP ALG',
		sipPort: (port: number) => `SIP port ${port}`,
		/** "SIP port 5060, held here by asterisk (pid 812)": `owner` when known. */
		sipPortHeld: (port: number, owner: string | undefined) => `SIP port ${port}, held here${owner ? ` by ${owner}` : ''}`,
		tcpPorts: (ports: string) => `TCP ${ports}`,
		/** "2/4 ok", "2/4 ok, 1 busy". */
		tcpCount: (passed: number, total: number, busy: number) => `${passed}/${total} ok${busy > 0 ? `, ${busy} busy` : ''}`,
		/** "UDP answers 401, TCP no answer": the two transports when they differ. */
		byTransport: (udp: string, tcp: string) => `UDP ${udp}, TCP ${tcp}`,
		/** Between the transports of the SIP ALG line: "UDP ✘ rewritten, TCP ✔ untouched". */
		separator: ', ',
		/** Where a problem was seen: "UDP and TCP". */
		and: (first: string, second: string) => `${first} and ${second}`,
	},
};
