/**
 * What the engine notes beside a verdict: kept in English in the report (tools read `notes`,
 * `detail` and `note` there), said in the chosen language on screen (catalog/notes-reader.ts
 * finds the entry a note was made from). Every value is plain text the engine already formatted.
 */
export const notes = {
	algRewrite: (plain: string, xored: string) =>
		`MAPPED-ADDRESS ${plain} differs from XOR-MAPPED-ADDRESS ${xored}: a device on the path rewrites addresses inside packets (an ALG such as SIP ALG). Turn it off.`,
	test1Error: (code: string, reason: string) => `The server answered Test 1 with error ${code} ${reason}`,
	test1ErrorNoReason: (code: string) => `The server answered Test 1 with error ${code}`,
	test2WrongSource: (count: string, sources: string) =>
		`Test 2 got ${count} reply(s) from an address other than the server's second IP (${sources}); they do not count.`,
	test3WithoutTest2:
		'Test 3 got in but Test 2 did not: the forward seems to exist, but answers to this port from the second address were dropped once it had sent (a stateful filter on the router or this host), or lost.',
	staleTest3: (age: string) =>
		`This port sent to a STUN server ${age} before this check: on a router that lets replies in, that mapping may still be open, so Test 3 may read ok without a forward.`,
	staleReport: (count: string, ranges: string, age: string, wait: string) =>
		`Test 3 passed on ${count} ports (${ranges}) that a check from this host used ${age} earlier: a router that only lets replies in would still have those mappings open. Run again in ${wait} or more to be sure.`,
	staleReportOne: (ranges: string, age: string, wait: string) =>
		`Test 3 passed on 1 port (${ranges}) that a check from this host used ${age} earlier: a router that only lets replies in would still have those mappings open. Run again in ${wait} or more to be sure.`,
	moreRanges: (shown: string, more: string) => `${shown} and ${more} more ranges`,
	sipEchoOtherAddress: (transport: string, seen: string, publicAddress: string) =>
		`The SIP echo saw SIP over ${transport} come from ${seen}, not from ${publicAddress} as the STUN tests did: the router sends SIP out another way.`,
	needsFwcheckServe: 'These checks need a server run with `fwcheck serve`.',
	hairpinCancelled: 'the check was cancelled',
	hairpinNoPublicAddress: 'no public address known',
	hairpinNoPass: 'no port passed, so there is no forward to loop through',
	hairpinCannotListen: (port: string, why: string) => `cannot listen on UDP ${port}: ${why}`,
	hairpinCannotOpen: (why: string) => `cannot open a socket: ${why}`,
	hairpinCameBack: (target: string) => `a packet sent to ${target} came back to this host`,
	hairpinSendFailed: (target: string, why: string) => `sending to ${target}: ${why}`,
	hairpinNoneBack: (sends: string, target: string, ms: string) =>
		`${sends} packets sent to ${target}: none came back within ${ms} ms`,
	hopsNoTarget: 'no STUN server address to trace towards',
	hopsUnsupported: (platform: string) => `no hop trace on ${platform}`,
	hopsNotInstalled: (tool: string) => `${tool} is not installed`,
	hopsNone: (tool: string, ms: string) => `${tool} found no hops within ${ms} ms`,
	noGateway: 'no default gateway found',
	natPmpNoAddress: (why: string) => `NAT-PMP answered without a public address (${why})`,
	upnpDescriptionUnreadable: (url: string, why: string) => `UPnP: description at ${url} unreadable (${why})`,
	upnpNoWanService: 'UPnP: the gateway device has no WAN connection service',
	upnpNoExternalAddress: 'UPnP: the router reports no external address',
	upnpListStopped: (why: string) => `UPnP mapping list: ${why}`,
	pcpNoAnswer: 'PCP MAP probe: no PCP answer',
	pcpResult: (result: string) => `PCP MAP probe: ${result}`,
	pcpDeleted: 'PCP MAP probe: mapping deleted',
	pcpDeleteUnanswered: 'PCP MAP probe: the delete got no answer (the mapping expires by itself)',
	wanAddressesDiffer: (natPmp: string, upnp: string) => `NAT-PMP says ${natPmp}, UPnP says ${upnp}`,
	ownerNotFound: (why: string) => `The owner could not be found: ${why}.`,
	ownerNoPidColumn: "The owner could not be found: netstat -ano lists this port without a PID column (as Wine's netstat does).",
	ownerNameNotFound: (why: string) => `The owner's name could not be found: ${why}.`,
	ownerNoTasklistLine: "The owner's name could not be found: tasklist printed no line for this PID.",
	firewallNeedsRoot: "This host's firewall was not read: that needs root (run fwcheck with sudo).",
	firewallNotRead: (why: string) => `This host's firewall was not read: ${why}.`,
	firewallNoTool: 'neither nft nor iptables-save is installed',
	firewallBlocksOne: (tool: string) => `This host's firewall (${tool}) blocks inbound traffic to one range of the checked ports.`,
	firewallBlocksMany: (tool: string, count: string) =>
		`This host's firewall (${tool}) blocks inbound traffic to ${count} ranges of the checked ports.`,
	firewallBlocksOutboundOne: (tool: string) =>
		`This host's firewall (${tool}) blocks outbound traffic from one range of the ports whose Test 1 failed.`,
	firewallBlocksOutboundMany: (tool: string, count: string) =>
		`This host's firewall (${tool}) blocks outbound traffic from ${count} ranges of the ports whose Test 1 failed.`,
	firewallLetsIn: (tool: string) => `This host's firewall (${tool}) lets the checked ports in.`,
	firewallNotNeeded: "This host's firewall was not read: no checked port or service failed, so it blocked none of them.",
	firewallNotNeededCancelled: "This host's firewall was not read: the check was cancelled before any port or service failed.",
	firewallOtherPlatform: (platform: string) =>
		`This host's firewall was not read: fwcheck reads it on Linux and Windows only (not on ${platform}).`,
	windowsFirewallNotRead: (why: string) => `The Windows Firewall was not read: ${why}.`,
	windowsFirewallLetsIn: 'The Windows Firewall lets the checked ports in.',
	cancelledTest1Once: 'Test 1 failed once, not rechecked: the check was cancelled before it could confirm.',
	cancelledTest2Once: 'Test 2 failed once, not rechecked: the check was cancelled before it could confirm.',
	cancelledTests12Once: 'Tests 1 and 2 failed once, not rechecked: the check was cancelled before it could confirm.',
	cancelledNotRechecked: 'Not rechecked: the check was cancelled before it could confirm.',
	cancelledTest3Passed: 'Test 3 passed; Tests 1 and 2 did not finish: the check was cancelled.',
	cancelledTest3Confirmed: 'Test 3 failed and a recheck confirmed it; Tests 1 and 2 did not run: the check was cancelled.',
	cancelledTest3Once:
		'Test 3 failed once, not rechecked, and Tests 1 and 2 did not run: the check was cancelled before it could confirm.',
	notCheckedCancelled: 'Not checked: the check was cancelled.',
	notCheckedNoServer: 'Not checked: no usable STUN server.',
	notChecked: 'Not checked.',
	ownerNoSocketLine: 'The owner could not be found: netstat -ano printed no socket line fwcheck could read.',
	ownerNoCodePage: "The owner's name could not be read: chcp and reg query gave no code page to decode it with.",
	windowsBlocksOne: 'The Windows Firewall blocks inbound traffic to one range of the checked ports.',
	windowsBlocksMany: (count: string) => `The Windows Firewall blocks inbound traffic to ${count} ranges of the checked ports.`,
	windowsBlocksOneByRule: (rule: string) =>
		`The Windows Firewall blocks inbound traffic to one range of the checked ports; the block rule "${rule}" wins over any allow rule: disable or narrow it.`,
	windowsBlocksManyByRule: (count: string, rule: string) =>
		`The Windows Firewall blocks inbound traffic to ${count} ranges of the checked ports; the block rule "${rule}" wins over any allow rule: disable or narrow it.`,
	windowsFirewallNotReadPlain: 'The Windows Firewall was not read.',
	windowsRulesNotRead: (why: string) => `The rules were not read (${why}).`,
	windowsOneRuleUnreadable: 'One rule could not be read.',
	windowsRulesUnreadable: (count: string) => `${count} rules could not be read.`,
	noTest3Because: (reason: string) =>
		`This server cannot run Test 3: a router that only lets replies in would read ok. ${reason}.`,
	recheckFirst: 'Rechecking failures slowly before they stand',
	recheckLater: 'A recheck changed a verdict: rechecking every failed port, more slowly',
	test3RecheckFirst: 'Test 3: rechecking failures slowly before they stand',
	test3RecheckLater: 'Test 3: a recheck changed a verdict: rechecking every failed port, more slowly',
	lossSlowdown: (percent: string) => `${percent}% of requests to the server went unanswered`,
};
