// Advice that names the right box: what the path and the router's mapping list mean for a failing
// port's checklist (router/remediation.ts), the path, router and hairpin in words (router/text.ts),
// and what this machine's own firewall does to the ports (host-firewall/remediation.ts, text.ts).
// Rules, commands and addresses are passed in as typed.

const moreRanges = (count: number) => ` and ${count} more ranges`;

export const remediation = {
	path: {
		cgnat: [
			'Your internet provider puts a carrier-grade NAT in front of your router: no forward on your side can reach the PBX. Ask the provider for a public IPv4 address (often called "public IP" or "no CGNAT").',
			'If the provider cannot, use a VPN or tunnel that gives a public address, or a SIP trunk/SBC that works without inbound forwards.',
		],
		/** `outer`: the modem's address, `wan`: the router's WAN address, when known. */
		doubleNat: (outer: string | undefined, ports: string | undefined, wan: string | undefined, pbx: string | undefined) =>
			`A second NAT sits in front of your router: the ISP modem/router${outer ? ` (${outer})` : ''}. Either put that modem in bridge mode so your router gets the public address, or forward UDP ${ports ?? 'the checked ports'} on both boxes: on the modem to your router's WAN address${wan ? ` ${wan}` : ''}, and on your router to ${pbx ?? 'the PBX'}.`,
		noNat: (ports: string | undefined) =>
			`This host holds the public address itself: there is no router to forward on. Allow inbound UDP ${ports ?? 'the checked ports'} in this host's firewall and any firewall the provider runs.`,
		/** What each path verdict means, after its word. */
		meaning: {
			edge: 'your router holds the public address: forwards on it suffice',
			'double-nat': 'a second NAT sits in front of your router: forward on both boxes, or bridge the modem',
			cgnat: "your provider's carrier-grade NAT sits in front: no forward on your side can work",
			'no-nat': 'this host holds the public address: only its own firewall matters',
			unknown: 'could not tell how many NATs are in the way',
		},
		/** The path verdict in a word or two. */
		word: {
			edge: 'edge',
			'double-nat': 'double NAT',
			cgnat: 'carrier-grade NAT',
			'no-nat': 'no NAT',
			unknown: 'unknown',
		},
		/** "Path: double NAT (192.168.1.1): a second NAT sits …." */
		line: (word: string, outer: string | undefined, meaning: string) => `Path: ${word}${outer ? ` (${outer})` : ''}: ${meaning}.`,
		noHops: 'no hops traced',
	},
	mappings: {
		/** `ranges`: "9000-9099"; `count` the ports they hold, for "that forward" or "those forwards". */
		elsewhere: (ranges: string, host: string, pbx: string, count: number) =>
			`The router forwards UDP ${ranges} to ${host}, not to this host (${pbx}): point ${count === 1 ? 'that forward' : 'those forwards'} at ${pbx}.`,
		moved: (external: number, internal: number) =>
			`The router forwards UDP ${external} to port ${internal}: the port number must stay the same.`,
		/** `more`: how many further ranges are missing beyond those shown. */
		missing: (mappings: number, ranges: string, more: number) =>
			`The router's UPnP list (${mappings} ${mappings === 1 ? 'mapping' : 'mappings'}) has no entry for UDP ${ranges}${more > 0 ? moreRanges(more) : ''}; forwards set by hand in the router's web page may not appear there.`,
	},
	router: {
		noGateway: 'Router: no default gateway found.',
		noAnswer: (gateway: string) =>
			`Router ${gateway}: no NAT-PMP, PCP or UPnP answer (many routers have them off; that is fine).`,
		/** "NAT-PMP, PCP and UPnP". */
		list: (first: string, last: string) => `${first} and ${last}`,
		/** Between the names before the last: "NAT-PMP, PCP". */
		separator: ', ',
		/** "Router 192.168.77.1: NAT-PMP, PCP and UPnP answer; WAN 11.22.33.44; 4 mappings." `mappings` is -1 when the list was not read. */
		answered: (gateway: string, protocols: string, count: number, wan: string | undefined, mappings: number) =>
			`Router ${gateway}: ${protocols} ${count === 1 ? 'answers' : 'answer'}; ${wan ? `WAN ${wan}` : 'no WAN address given'}${mappings < 0 ? '' : `; ${mappings} ${mappings === 1 ? 'mapping' : 'mappings'}`}.`,
	},
	hairpin: {
		pass: 'works: phones on the LAN can reach the PBX at its public address',
		fail: "does not work: phones on the LAN must use the PBX's LAN address (or split DNS)",
		skipped: 'not tested',
		/** "Hairpin: works: …." with the reason it was not tested, when there is one. */
		line: (words: string, detail: string | undefined) => `Hairpin: ${words}${detail ? ` (${detail})` : ''}.`,
	},
	hostFirewall: {
		/** The lead of a checklist: this machine's firewall blocks `ports` (a rule, or "its policy"). */
		blocks: (tool: string | undefined, protocol: string, ports: string, except: string | undefined, rule: string | undefined) =>
			`This machine's own firewall${tool ? ` (${tool})` : ''} blocks inbound ${protocol} ${ports}${except ? `, except from ${except}` : ''}: ${rule ?? 'its policy'}.`,
		/** A rule that drops before any "established" accept drops the answers to the port's own requests too. */
		answersLost: " Unless an earlier rule lets replies in, it drops the answers to these ports' own requests too.",
		/** The commands stay as typed. */
		allowHere: (commands: string) => ` Allow it here: \`${commands}\`.`,
		alsoBlocks: (count: number) =>
			`This machine's own firewall also blocks ${count} more ranges of these ports: see the host firewall section.`,
		/** A rule fwcheck could not evaluate; `construct` is the part it could not read, `more` further ranges. */
		notEvaluated: (protocol: string, ports: string, more: number, rule: string | undefined, construct: string | undefined) =>
			`This machine's firewall has a rule fwcheck could not evaluate for inbound ${protocol} ${ports}${more > 0 ? moreRanges(more) : ''}: ${rule ?? 'a rule'}${construct ? ` (${construct})` : ''}. Check that it accepts inbound ${protocol} on these ports.`,
		/** The lead of a checklist for a port whose Test 1 failed: this machine's firewall stops its requests leaving. */
		blocksOutbound: (tool: string | undefined, protocol: string, ports: string, rule: string | undefined) =>
			`This machine's own firewall${tool ? ` (${tool})` : ''} blocks outbound ${protocol} from ports ${ports}: ${rule ?? 'its policy'}.`,
		notEvaluatedOutbound: (
			protocol: string,
			ports: string,
			more: number,
			rule: string | undefined,
			construct: string | undefined,
		) =>
			`This machine's firewall has a rule fwcheck could not evaluate for outbound ${protocol} from ports ${ports}${more > 0 ? moreRanges(more) : ''}: ${rule ?? 'a rule'}${construct ? ` (${construct})` : ''}. Check that it lets ${protocol} out from these ports.`,
		/** After a range's ports when it was decided for packets leaving from them. */
		outbound: 'outbound',
		decision: {allowed: 'allowed', blocked: 'blocked', unknown: 'unknown'},
		/** After a range's decision: "(except from 10.0.0.0/8)", "(could not evaluate: …)", ": rule". */
		exceptFrom: (sources: string) => ` (except from ${sources})`,
		couldNotEvaluate: (construct: string) => ` (could not evaluate: ${construct})`,
		itsPolicy: 'its policy',
		/** After a range's decision, the rule that decides it. */
		ruleAfter: (rule: string) => `: ${rule}`,
		moreRangesJson: (count: number) => `… and ${count} more ranges (see --json)`,
		allowedSummary: (ranges: string, more: number) => `✔ allowed: ${ranges}${more > 0 ? ` and ${more} more` : ''}`,
		/** Between the ranges of a list: "UDP 9000-9099, TCP 5061". */
		separator: ', ',
	},
};
