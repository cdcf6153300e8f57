/** The command line's words: --help, usage errors, the demo's labels and the simulated router. */
export const cli = {
	/** meow's help text: tab-indented, as meow strips the common indentation. */
	help: (maxServers: number) => `
	Usage
	  $ fwcheck [options]            check that UDP ports are forwarded 1:1 to this host
	  $ fwcheck --demo               the same check against a built-in server on loopback
	  $ fwcheck --demo --faults      the check on a simulated router with every kind of fault
	  $ fwcheck serve [options]      run a two-address STUN server for others to check against
	  $ fwcheck merge FILE...        one table of many --json reports, worst first

	Options
	  --ports, -p <list>     Ports to check                       (default 9000-10999)
	                         e.g. --ports 5060,9000-10999
	  --stun, -s <host>      STUN server with two addresses, tried in order; repeat the flag
	                         or give a comma list, at most ${maxServers} servers, each tried once
	                         e.g. --stun stun.example.net --stun 198.51.100.7:3478
	  --bind <ip>            Local address to check the ports on   (default: all)
	                         e.g. --bind 192.168.1.20
	  --public-ip <ip>       Fail ports whose traffic leaves from another public IP
	                         e.g. --public-ip 203.0.113.5
	  --rate <n>             Cap packets per second, a whole number (it also slows down by
	                         itself) e.g. --rate 200
	  --window <n>           Cap ports in flight at once, a whole number
	                         (default: 4096, or as many as fit)
	  --tcp <list>           TCP ports the server connects back to, at most 64
	                         (needs a server run with \`fwcheck serve\`) e.g. --tcp 5061,8089
	  --sip-port <n>         The PBX's SIP port, UDP and TCP         (default 5060)
	  --no-sip               Skip the SIP ALG test and the SIP service check
	  --no-router            Do not ask the router (NAT-PMP, PCP, UPnP) or trace the first hops
	  --router-probe-map     Make one short PCP mapping, deleted at once, to learn the router's
	                         WAN address when it will not say (otherwise nothing is changed)
	  --no-host-firewall     Do not read this host's firewall (nft, iptables; needs root)
	  --json                 Print one JSON report, nothing else
	  --prometheus <file>    Also write the result for node_exporter's textfile collector
	                         e.g. --prometheus /var/lib/node_exporter/fwcheck.prom
	  --no-tui               Plain lines instead of the interactive table (also when not on
	                         a terminal, or on TERM=dumb)
	  --watch [seconds]      Then check the failed and busy ports again every few seconds
	                         (default 10, at most 3600) until they pass, an hour at most; one
	                         line per round, the exit code the last round's. The table starts
	                         it by itself (w stops it); with --json, stdout gets the final
	                         report only, the round lines and the bell go to stderr
	  --no-bell              No terminal bell when watching sees ports start to pass
	  --demo                 Start a STUN server on 127.0.0.1 + 127.0.0.2 and check against it
	                         (shows the tool at work; loopback has no NAT to check)
	  --faults               With --demo: a simulated router that forwards some ports, blocks,
	                         translates or holds others, to see every verdict and checklist
	  --lang <en|it|ja>      Language of what you read; --json stays the same in every one
	                         (default: from LC_ALL, LC_MESSAGES or LANG)
	  --help                 Show this help
	  --version              Show the version

	Merge options
	  --markdown             The table in Markdown
	  --csv                  The table as CSV
	  --json                 The rows as one JSON document

	Serve options
	  --primary <ip>         First address to answer on                e.g. --primary 198.51.100.7
	  --alternate <ip>       Second address, for Test 2 (CHANGE-REQUEST) e.g. --alternate 198.51.100.8
	  --port <n>             Primary port                              (default 3478)
	  --alt-port <n>         Alternate port                            (default: --port + 1)
	  --sip-port <n>         SIP echo port, UDP and TCP, on --primary  (default 5060)
	  --control-port <n>     Control service port, TCP, on --primary   (default 3478)
	  --no-sip-echo          No SIP echo (what clients use to spot a router's SIP ALG)
	  --no-sip-options       No SIP OPTIONS sent from --alternate to a client's own IP
	  --no-connect-back      No TCP connections opened from --alternate to a client's own IP
	                         (both need --alternate; see source/server/README.md for the limits)
	  --metrics <ip:port>    Prometheus /metrics of the server's counters, on that address only
	                         e.g. --metrics 127.0.0.1:9478

	Exit codes
	  0 all ports ok, 1 some ports failed, 2 usage error, 3 the check could not run or its
	  report could not be written, 130 cancelled (Ctrl+C, SIGTERM or SIGHUP)

	Examples
	  $ fwcheck
	  $ fwcheck --ports 5060,9000-9099 --stun stun.example.net --json > report.json
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8 --no-connect-back
`,
	/** `fwcheck: <problem> (see fwcheck --help)` on stderr, exit 2. */
	usage: (problem: string) => `fwcheck: ${problem} (see fwcheck --help)`,
	couldNotWriteReport: (problem: string) => `fwcheck: could not write the report: ${problem}`,
	readerClosed: 'the reader closed the output (EPIPE)',
	couldNotWrite: (file: string, problem: string) => `fwcheck: could not write ${file}: ${problem}`,
	langValue: (choices: string, typed: string) => `--lang takes one of ${choices}, not "${typed}"`,
	watchSeconds: (max: number, value: string) => `--watch takes whole seconds from 1 to ${max}, not "${value}"`,
	notHostPort: (text: string) => `--stun: "${text}" is not host or host:port`,
	tooManyServers: (most: number, count: number) => `--stun: at most ${most} servers, not ${count}`,
	notIp: (flag: string, value: string) => `${flag}: "${value}" is not an IP address`,
	/** `given` is `cli.notValue(...)` or empty. */
	wholeNumber: (flag: string, given: string) => `${flag} takes a whole number of 1 or more${given}`,
	notValue: (value: string) => `, not ${value}`,
	bindFamily: (bind: string, family: number, server: string, serverFamily: number) =>
		`--bind ${bind} is IPv${family} but the server ${server} is IPv${serverFamily}: give addresses of one family`,
	tooManyTcp: (most: number, count: number) => `--tcp: at most ${most} ports, not ${count}`,
	sipPortRange: '--sip-port takes a port from 1 to 65535',
	noSuchAddress: (address: string) => `--bind: this host has no address ${address}`,
	/** What is wrong with a port list (--ports, --tcp). */
	notAPort: (item: string) => `"${item}" is not a port or a range like 9000-10999`,
	portOutOfRange: (port: number) => `port ${port} is out of range (1-65535)`,
	rangeBackwards: (item: string) => `range ${item} runs backwards`,
	cannotNegate: (negated: string, flag: string) => `${negated}: ${flag} takes a value and cannot be turned off`,
	needsValue: (flag: string) => `${flag} needs a value`,
	/** `values` joined with `cli.thenJoin`. */
	givenTwice: (flag: string, values: string) => `${flag} is given more than once (${values}): give it once`,
	thenJoin: ', then ',
	unknownOption: (options: string) => `unknown option ${options}`,
	unknownOptionFor: (options: string, command: string) => `unknown option ${options} for ${command}`,
	unexpected: (word: string) => `unexpected "${word}"`,
	unknownCommand: (command: string) => `unknown command "${command}"`,
	mergeNeedsFiles: 'merge needs report files: fwcheck merge FILE...',
	chooseOne: (formats: string) => `choose one of ${formats}`,
	faultsWithDemo: '--faults goes with --demo',
	probeMapNeedsRouter: '--router-probe-map asks the router: leave out --no-router',
	demoOwnServer: '--demo runs its own server: leave out --stun',
	serveNeedsPrimary: 'serve needs --primary <ip> (and --alternate <ip> for Test 2)',
	servePorts: '--port and --alt-port take a port number (1-65535)',
	alternatePastRange: (port: number, alternate: number) =>
		`--port ${port}: the alternate port would be ${alternate}, past 65535; choose one with --alt-port <n>`,
	serveServicePorts: '--sip-port and --control-port take a port number (1-65535)',
	needsAlternate: (flag: string) => `${flag} sends from the second address: it needs --alternate <ip>`,
	controlNeedsAlternate: '--control-port needs --alternate <ip>: without it there is no control service',
	metricsAddress: (value: string) => `--metrics ${value}: give an address and a port, e.g. 127.0.0.1:9478 or [::1]:9478`,
	sipPortWithoutEcho: '--sip-port with --no-sip-echo: leave one out',
	/** `fwcheck merge` on stderr. */
	skipped: (file: string, problem: string) => `fwcheck: skipped ${file}: ${problem}`,
	noReportToMerge: 'fwcheck: no report to merge',
	/** The demo: the TUI's caption, the plain notice, the word at the head of every pane. */
	demoCaption: "DEMO against fwcheck's own server on loopback: no NAT here, so this shows the tool, not your network.",
	demoNotice:
		'Demo: fwcheck is checking against its own STUN server on 127.0.0.1 and 127.0.0.2. There is no router or NAT on loopback, so this shows how the tool works, not whether this network forwards ports.',
	/** A demo's slowdown: `reason` is the engine's. */
	demoSlowdown: (reason: string) => `${reason}: the demo's own server could not keep up on this machine`,
	demoTag: 'DEMO',
	simulationTag: 'SIMULATION',
	simulation: {
		faults:
			'SIMULATION (--demo --faults): a made-up router inside fwcheck, with a fault of every kind. Nothing here is your network.',
		noSecondLoopback:
			'SIMULATION: this machine answers only on 127.0.0.1, so the demo runs on a network simulated inside fwcheck. Nothing here is your network.',
		sharedLoopbackPort:
			'SIMULATION: on this machine 127.0.0.1 and 127.0.0.2 cannot hold the same port, so the demo runs on a network simulated inside fwcheck. Nothing here is your network.',
	},
	/** What the simulated router does with each range of the checked ports. */
	simulatedRouter: 'The simulated router:',
	layout: {
		allForwarded: (pbx: string) => `every checked port forwarded 1:1 to ${pbx}`,
		forwarded: (ports: string, pbx: string) => `${ports} forwarded 1:1 to ${pbx}`,
		heldBy: (ports: string, owner: string) => `${ports} held by ${owner} on the PBX`,
		translated: (ports: string, oldPbx: string) => `${ports} forwarded to ${oldPbx} (an old PBX), so the router translates it`,
		fullCone: (ports: string) => `${ports} not forwarded, but let in once the port has sent (full-cone NAT)`,
		notForwarded: (ports: string) => `${ports} not forwarded`,
		blockedOut: (ports: string) => `${ports} blocked on the way out`,
	},
};
