/** The plain lines, the Markdown report and the merged fleet table: what a person reads after a check. */
export const report = {
	/** The plain lines while the check runs (pipes, CI, `--no-tui`). */
	progress: {
		trying: (server: string) => `Trying STUN server ${server} ...`,
		notUsable: (detail: string, code: string) => `not usable: ${detail} (${code})`,
		using: (host: string, address: string, second: string, rtt: string) =>
			`Using ${host}: ${address}, second address ${second}, RTT ${rtt} ms`,
		/** `ports` already says which: "9000-9019". */
		checking: (count: number, ports: string) => `Checking ${count} UDP port${count === 1 ? '' : 's'} (${ports}) ...`,
		test3Started: 'Test 3 (unsolicited inbound) on each port before it sends, then Tests 1 and 2 ...',
		/** A recheck or a confirmation: `range` is "9009-9019", or empty when not worth saying. */
		rechecking: (reason: string, count: number, range: string) =>
			`${reason}: ${count} port${count === 1 ? '' : 's'}${range === '' ? '' : ` in ${range}`}`,
		test3Done: (passed: number, failed: number) => `Test 3 done: ${passed} got in unsolicited, ${failed} did not.`,
		checked: (finished: number, total: number) => `${finished}/${total} checked`,
		slowingDown: (rate: number, reason: string) => `slowing down to ${rate} packets/s: ${reason}`,
		/** `tcp` is the TCP ports ("5061,8089"), or empty. */
		services: (sipPort: number, tcp: string) =>
			`Checking SIP ALG (UDP, TCP), the SIP port ${sipPort}${tcp === '' ? '' : `, TCP ${tcp}`} with the server's own services ...`,
		servicesSkippedLine: (why: string) => `SIP and TCP checks skipped: ${why}`,
		servicesSkipped: (why: string) => `skipped: ${why}`,
	},
	/** The plain summary after the check. */
	summary: {
		server: (host: string, address: string, second: string, tests: string) =>
			`Server: ${host} (${address}, second address ${second}; Tests ${tests})`,
		testsAll: '1-3',
		testsTwo: '1-2 only',
		note: (note: string) => `Note: ${note}`,
		publicAddress: (address: string) => `Public address: ${address}`,
		publicAndLocal: (address: string, local: string) => `Public address: ${address}, this host: ${local}`,
		/** `notChecked` is `summary.notChecked(n)` or empty. */
		ports: (ports: string, ok: number, failed: number, busy: number, notChecked: string, duration: string) =>
			`Ports ${ports}: ${ok} ok, ${failed} failed, ${busy} busy${notChecked} in ${duration}`,
		notChecked: (count: number) => `, ${count} not checked`,
		problems: 'Problems:',
		heldBy: (owner: string) => ` held by ${owner}`,
		moreRanges: (count: number) => `... and ${count} more ranges (see --json)`,
		whatToDoFor: (label: string) => `What to do (${label}):`,
		whatToDo: 'What to do:',
		/** `command` may be several commands, joined with `then`. */
		seeOwner: (command: string) => `To see the owner yourself: ${command}`,
		then: '  then  ',
		hostFirewall: (text: string) => `Host firewall: ${text}`,
		allow: (text: string) => `allow: ${text}`,
		why: (evidence: string) => `why: ${evidence}`,
		/** After a cancel: ports part way through, none confirmed. */
		unconfirmed: (count: number, failed: number) =>
			count === 1
				? `1 port was part way through (${failed} with a failure not yet rechecked) when the check was cancelled: nothing is confirmed for that port, so it is not reported as failed.`
				: `${count} ports were part way through (${failed} with a failure not yet rechecked) when the check was cancelled: nothing is confirmed for those ports, so they are not reported as failed.`,
		slowedDemo: (rate: number, reason: string) =>
			`The check slowed down to ${rate} packets/s (${reason}). This is a demo: it says nothing about your network.`,
		slowedDown: (rate: number, reason: string) =>
			`The check slowed down to ${rate} packets/s (${reason}): the server or something on the path limits or drops bursts of UDP, such as a rate limit or port-scan protection. VoIP traffic is steady, so this rarely hurts calls, but it can make checkers report false failures.`,
		/** Between two sentences of one paragraph. */
		sentenceJoin: ' ',
		flipped: (flipped: number, confirmed: number) =>
			`${flipped} of ${confirmed} failures did not hold when rechecked slowly; the verdicts shown are from the slow recheck.`,
	},
	/** The Markdown report (`s` in the TUI saves it beside the JSON). */
	markdown: {
		title: 'fwcheck: UDP port forwarding report',
		/** One line of the summary list. */
		item: (name: string, value: string) => `- **${name}:** ${value}`,
		testPass: 'pass',
		testPassRtt: (rtt: string) => `pass, ${rtt} ms`,
		/** `passes` is `markdown.passes(n)` or empty; `ignored` is `markdown.ignoredFrom(...)` or empty. */
		testNoReply: (sends: number, elapsed: number, passes: string, ignored: string) =>
			`no reply (${sends} sends, ${elapsed} ms${passes})${ignored}`,
		passes: (count: number) => `, ${count} passes`,
		ignoredFrom: (addresses: string) => `, ignored reply from ${addresses}`,
		testSkipped: 'skipped',
		countOk: (count: number) => `${count} ok`,
		countFailed: (count: number) => `${count} failed`,
		countBusy: (count: number) => `${count} busy`,
		countNotChecked: (count: number) => `${count} not checked`,
		listJoin: ', ',
		ports: 'Ports',
		portsValue: (count: number, ports: string, counts: string) => `${count} UDP (${ports}): ${counts}`,
		stunServer: 'STUN server',
		stunServerValue: (host: string, address: string, second: string, tests: string) =>
			`${host} (${address}, second address ${second}; Tests ${tests})`,
		addressUnknown: 'address unknown',
		none: 'none',
		publicAddress: 'Public address',
		notFound: 'not found',
		thisHost: 'This host',
		duration: 'Duration',
		generated: 'Generated',
		generatedAt: (time: string) => `${time} (local time of the host that ran the check)`,
		cancelledAfter: (checked: number, total: number) =>
			`The check was cancelled after ${checked} of ${total} ports; the others were not checked.`,
		failedAndBusy: 'Failed and busy ports',
		count: 'Count',
		verdict: 'Verdict',
		meaning: 'What it means',
		moreRangesJson: (count: number) => `… and ${count} more ranges: see the JSON report.`,
		heldBy: (owner: string) => `held by ${owner}`,
		heldByOther: 'held by another program',
		busyPort: (port: number, who: string) => `- Port ${port}: ${who}.`,
		busyPortSee: (port: number, who: string) => `- Port ${port}: ${who}. To see it yourself:`,
		moreBusy: (count: number) => `- … and ${count} more busy ports.`,
		whatToDo: 'What to do',
		serversPassedOver: 'STUN servers passed over',
		server: 'Server',
		why: 'Why',
		pacing: 'Pacing',
		neverSlowed: 'The check never had to slow down: nothing on the path limited the rate of UDP packets.',
		slowedAt: (at: string, rate: number, reason: string) => `- At ${at}: slowed to ${rate} packets/s (${reason}).`,
		moreSlowdowns: (count: number) => `- … and ${count} more slowdowns.`,
		rechecked: (confirmed: number, flipped: number) =>
			`- ${confirmed} failed ports were rechecked slowly; ${flipped} of them changed verdict.`,
		packets: (sent: number, garbage: number, unknown: number, wrongSource: number) =>
			`- ${sent} packets sent. Ignored on the checked ports: ${garbage} not STUN, ${unknown} for no request in flight, ${wrongSource} from an unexpected address.`,
		detailsOfFailed: 'Details of failed ports',
		test1: 'Test 1 (reachability)',
		test2: 'Test 2 (1:1 forwarding)',
		test3: 'Test 3 (unsolicited)',
		mappedAddress: 'Mapped address',
		notes: 'Notes',
		manyFailed: (count: number) =>
			`${count} ports failed: one row per range below, showing its first port. The JSON report has every port.`,
		rangeExample: (range: string, first: number) => `${range} (e.g. ${first})`,
		moreRanges: (count: number) => `… and ${count} more ranges.`,
		path: 'Path',
		router: 'Router',
		hostFirewall: "This host's firewall",
		blocks: (ranges: string) => `blocks ${ranges}`,
		hairpin: 'Hairpin',
		notTested: (why: string) => `not tested (${why})`,
		noReason: 'no reason given',
		allowRule: (rule: string) => `allow: \`${rule}\``,
		routerAndPath: 'Router and path',
		hops: 'Hops',
		mappingList: (count: number) => `The router's mapping list (UPnP, ${count}):`,
		more: (count: number) => `- … and ${count} more.`,
	},
	/** A save that could not find a free name. */
	tooManySaves: (count: number) => `${count} reports saved in the same second already`,
	/** `fwcheck merge`'s text and Markdown table (CSV and JSON keep the English). */
	fleet: {
		host: 'host',
		publicAddress: 'public address',
		status: 'status',
		failing: 'failing',
		path: 'path',
		sipAlg: 'SIP ALG',
		hostFirewall: 'host firewall',
		checkedAt: 'checked at',
		more: (count: number) => `+ ${count} more`,
		cellJoin: '; ',
		yes: 'yes',
		no: 'no',
		firewallNotRead: 'not read',
		/** `tool` is "nftables ", "ufw " or empty. */
		firewallBlocks: (tool: string, ranges: string) => `${tool}blocks ${ranges}`,
		firewallUnknown: (tool: string, ranges: string) => `${tool}unknown for ${ranges}`,
		firewallAllows: (tool: string) => `${tool}allows the checked ports`,
		/** Why a file was left out of the merge. */
		notJson: 'not JSON',
		notReport: 'not an fwcheck report',
		otherSchema: (schema: string) => `schema ${schema} is not one this fwcheck reads (1)`,
		noStatus: 'not an fwcheck report (no status)',
		noSuchFile: 'no such file',
		cannotRead: (code: string) => `cannot read it (${code})`,
	},
	/** The plain output's lines while watching (--watch). */
	watch: {
		start: (count: number, ports: string, seconds: string) =>
			`Watching ${count} port${count === 1 ? '' : 's'} that failed or were busy (${ports}): a round every ${seconds} s until they pass, an hour at most; Ctrl+C stops.`,
		round: (round: number, time: string) => `Round ${round} at ${time}`,
		notRun: (head: string, why: string) => `${head}: could not check (${why}); trying again`,
		okSince: (ports: string, time: string) => `${ports} ok since ${time}`,
		now: (ports: string, label: string) => `${ports} now ${label}`,
		servicesPass: 'the service checks pass now',
		servicesNow: (label: string) => `service checks now ${label}`,
		stillFailing: (count: number, ports: string) => `${count} port${count === 1 ? '' : 's'} still failing (${ports})`,
		allPass: 'every watched port passes',
		noChange: 'no change',
		/** The round's head, what changed (joined by `joiner`), and what is left. */
		line: (head: string, news: string, still: string) => `${head}: ${news}; ${still}`,
		joiner: '; ',
		endAllPass: 'Watch done: every watched port passes now',
		endHour: 'Watch stopped after an hour: the last result stands',
		endStopped: 'Watch stopped: the last result stands',
		end: (words: string, rounds: number) => `${words} (${rounds} round${rounds === 1 ? '' : 's'}).`,
	},
};
