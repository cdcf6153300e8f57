// The port verdicts (and the check's own: STUN errors, some-failed, cancelled): what each means,
// and every line its checklist may give. Which lines apply, and in what order, is decided in
// check/verdicts.ts; here are only the words. Labels stay there: they are near-codes.

/** "the PBX" when its address is not known. */
const pbx = (address: string | undefined): string => address ?? 'the PBX';
/** "the checked ports" when no port or range is named. */
const checked = (ports: string | undefined): string => ports ?? 'the checked ports';

/** Lines more than one port verdict gives. */
const shared = {
	forwardingRule: (ports: string | undefined, address: string | undefined) =>
		`Add a static forward on the router: UDP ${checked(ports)} arriving on the WAN address → ${pbx(address)}, same port numbers, from any source address.`,
	hostFirewall:
		'Check that the host firewall (iptables/nftables, firewalld, Windows Firewall) accepts inbound UDP on these ports.',
	pointsAtThisHost: 'Make sure the forward points at this host and not at another LAN address (an old PBX, a phone).',
	everyBox: 'If several devices sit between the PBX and the internet (ISP modem + router), forward on each of them.',
	sipAlgOff: 'Turn off SIP ALG / SIP helper on the router: it rewrites VoIP traffic and often breaks forwards.',
};

export const verdicts = {
	shared,
	ok: {
		sentence: 'Forwarded 1:1: the port leaves unchanged and answers from any address.',
		nothingToDo: 'Nothing to do: this port is set up the way the PBX needs it.',
	},
	'mapping-only': {
		sentence:
			'Not forwarded: the router lets traffic in only after the port has sent out, so the first packets of inbound calls and new phones are lost, and inbound stops when the mapping expires.',
		notAForward:
			'The router passes Tests 1 and 2 only through the NAT mapping the port opens itself ("full-cone" NAT): that is not a forward.',
	},
	'inbound-blocked': {
		sentence: 'Outbound works, but nothing from a new address gets in: the port is not forwarded to this host.',
		natSetting:
			'If the router has a "port-restricted" or "symmetric" NAT setting for UDP, choose full-cone / endpoint-independent.',
	},
	'port-translated': {
		sentence:
			'The router changes the port number on the way out (symmetric NAT): remote phones will send audio to the wrong port.',
		keepPort: (address: string | undefined, ports: string | undefined) =>
			`Add a source-NAT rule that keeps the port: UDP from ${pbx(address)} ports ${checked(ports)} must leave the WAN with the same port numbers.`,
		noRandomisation:
			'Disable port randomisation on the router (often called "random" or "symmetric" UDP NAT, or on pfSense/OPNsense "static port" off).',
		sipAlgOff: 'Turn off SIP ALG / SIP helper on the router.',
	},
	'outbound-blocked': {
		sentence: 'No answer came back to requests sent from this port: outbound traffic from it is blocked or lost.',
		allowOutbound: (address: string | undefined, ports: string | undefined) =>
			`Allow outbound UDP from ${pbx(address)} ports ${checked(ports)} on the router/firewall.`,
		antivirus:
			'Check the host firewall and any antivirus or endpoint-protection software (disabling it may not be enough: add an exception).',
		antivirusOnly:
			'Check any antivirus or endpoint-protection software on this machine (disabling it may not be enough: add an exception).',
		askIsp: 'Ask the ISP whether it blocks or filters these UDP ports.',
		floodProtection:
			'If only some ports fail, turn off port-scan / flood protection on the firewall while you check: it starts dropping after the first ports.',
	},
	'address-mismatch': {
		sentence: 'Traffic from this port leaves from a different public IP than the PBX is set up with.',
		leaveFrom: (publicIp: string | undefined) =>
			`Make the port's outbound traffic leave from ${publicIp ?? 'the public IP the PBX uses'} (check multi-WAN, load-balancing and source-NAT rules).`,
		updatePbx: "Or, if the public IP has changed, update the PBX's public address setting.",
	},
	'port-in-use': {
		sentence: 'Another program holds this port, so it could not be checked.',
		heldBy: (owner: string) =>
			`The port is held by ${owner}. If that is the PBX, it is running normally: fwcheck leaves it alone.`,
		findHolder: 'Find the program holding the port with the command shown below.',
		notThePbx: 'If it is not the PBX, stop or reconfigure that program: the PBX needs these ports free.',
		checkLater: 'To check these ports too, run fwcheck again while the PBX media service is stopped, in a quiet moment.',
	},
	'port-not-permitted': {
		sentence:
			'This host does not let fwcheck bind this port (ports below 1024 need root or CAP_NET_BIND_SERVICE), so it could not be checked.',
		runWithSudo: (ports: string | undefined) =>
			`To check ${ports ?? 'these ports'} too, run fwcheck again with sudo: only root (or a program given CAP_NET_BIND_SERVICE) may bind ports below 1024.`,
		othersStand: 'The other ports were checked as usual: their verdicts do not depend on these.',
	},
	'some-failed': {
		sentence: 'Some ports are forwarded 1:1 and others are not.',
		compareRules: 'Compare the forwarding rules with the failed ranges listed: a range is often missing or mistyped.',
		everyForward: (address: string | undefined) =>
			`Make sure every forward points at ${pbx(address)} and not at another LAN address.`,
		portScanProtection:
			'If failures start after the first ports, port-scan protection on the firewall may be dropping traffic: turn it off while you check.',
	},
	'stun-unresolvable': {
		sentence: "The STUN server's name does not resolve.",
		checkName: (server: string | undefined) =>
			`Check the name${server ? ` ${server}` : ''} for typos, and that this host's DNS works (e.g. \`getent hosts <name>\`).`,
		anotherServer: 'Try another STUN server with --stun, or your own (`fwcheck serve`).',
	},
	'stun-unreachable': {
		sentence: 'No configured STUN server answered, so the check could not run.',
		internet: 'Check that this host can reach the internet over UDP at all.',
		allowStun: 'Allow outbound UDP to the STUN server port (3478 by default) on the firewall.',
		serverDown: 'The server may be down: try another with --stun, or your own (`fwcheck serve`).',
	},
	'stun-no-second-address': {
		sentence: 'The STUN server answered but cannot run Test 2: it has no second IP address, or ignores requests to use it.',
		twoAddresses: 'Use a STUN server with two IP addresses (RFC 5780 or RFC 3489 style) with --stun.',
		ownServer: 'Or run your own on a host with two public IPs: `fwcheck serve --primary A --alternate B`.',
	},
	cancelled: {
		sentence: 'The check was cancelled before every port was checked.',
		runAgain: 'Run it again to check the remaining ports.',
	},
	/** Said in every output when the server cannot run Test 3. */
	noTest3: 'This server cannot run Test 3: a router that only lets replies in would read ok.',
};
