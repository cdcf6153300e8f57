import process from 'node:process';
import meow from 'meow';
import {MAX_SERVERS, UsageError} from './config.js';
import {type ValueFlag, flagValueProblem} from './flag-values.js';
import {embedded} from './one-file.js';

const help = `
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
	                         or give a comma list, at most ${MAX_SERVERS} servers, each tried once
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
`;

/**
 * Every flag, with no defaults: a flag is in `flags` only when it was given, so each command can
 * refuse the other's flags. Defaults are applied where the flags become a config.
 */
const flagSpec = {
	ports: {type: 'string', shortFlag: 'p'},
	stun: {type: 'string', shortFlag: 's', isMultiple: true},
	bind: {type: 'string'},
	publicIp: {type: 'string'},
	rate: {type: 'number'},
	window: {type: 'number'},
	tcp: {type: 'string'},
	sip: {type: 'boolean'},
	router: {type: 'boolean'},
	routerProbeMap: {type: 'boolean'},
	hostFirewall: {type: 'boolean'},
	json: {type: 'boolean'},
	tui: {type: 'boolean'},
	demo: {type: 'boolean'},
	faults: {type: 'boolean'},
	// A string: its value is optional (`--watch` alone means 10 s), checked in config.ts.
	watch: {type: 'string'},
	bell: {type: 'boolean'},
	primary: {type: 'string'},
	alternate: {type: 'string'},
	port: {type: 'number'},
	altPort: {type: 'number'},
	// The SIP port: the echo's port for serve; the check command reads it too.
	sipPort: {type: 'number'},
	controlPort: {type: 'number'},
	sipEcho: {type: 'boolean'},
	sipOptions: {type: 'boolean'},
	connectBack: {type: 'boolean'},
	prometheus: {type: 'string'},
	metrics: {type: 'string'},
	markdown: {type: 'boolean'},
	csv: {type: 'boolean'},
} as const;

export type FlagName = keyof typeof flagSpec;

export const checkFlags: readonly FlagName[] = [
	'ports',
	'stun',
	'bind',
	'publicIp',
	'rate',
	'window',
	'tcp',
	'sip',
	'sipPort',
	'router',
	'routerProbeMap',
	'hostFirewall',
	'json',
	'prometheus',
	'tui',
	'watch',
	'bell',
	'demo',
	'faults',
];
export const mergeFlags: readonly FlagName[] = ['json', 'markdown', 'csv'];
export const serveFlags: readonly FlagName[] = [
	'primary',
	'alternate',
	'port',
	'altPort',
	'sipPort',
	'controlPort',
	'sipEcho',
	'sipOptions',
	'connectBack',
	'metrics',
];

/** The flags that take a value, for the look at the words as typed (see flag-values.ts). */
const valueFlags: ValueFlag[] = Object.entries(flagSpec)
	.filter(([, spec]) => spec.type !== 'boolean')
	.map(([name, spec]) => ({
		name,
		shortFlag: 'shortFlag' in spec ? spec.shortFlag : undefined,
		isMultiple: 'isMultiple' in spec && spec.isMultiple,
		optionalValue: name === 'watch',
	}));

const parse = (argv: string[]) =>
	meow(help, {
		importMeta: import.meta,
		// A one-file build may be copied anywhere, away from package.json: it carries its own.
		...(embedded && {pkg: embedded.packageJson}),
		argv,
		// Refused below with our one-line error, rather than meow's own two lines.
		allowUnknownFlags: true,
		booleanDefault: undefined,
		flags: flagSpec,
	});

/**
 * meow parses every spelling it knows (`-p9000`, `--ports=9000`, `--no-tui`); the words are
 * looked at before only for what meow would lose (flag-values.ts). A flag without its value is a
 * UsageError: a bare `--stun` must never fall back to the public servers.
 */
export const parseCommandLine = (argv: string[] = process.argv.slice(2)) => {
	const end = argv.indexOf('--');
	const words = end === -1 ? argv : argv.slice(0, end);
	// meow answers --help and --version only when alone; they win anywhere, after `serve` too.
	if (words.includes('--help')) {
		parse([]).showHelp(0);
	}

	if (words.includes('--version')) {
		parse([]).showVersion();
	}

	const problem = flagValueProblem(words, valueFlags);
	if (problem) {
		throw new UsageError(problem);
	}

	let cli: ReturnType<typeof parse>;
	try {
		cli = parse(argv);
	} catch (error) {
		// meow's own refusals (a flag given twice in a spelling not caught above) are usage errors too.
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}

	const given = Object.entries(cli.flags)
		.filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
		.map(([name]) => name);
	return {input: cli.input, flags: cli.flags, given};
};

export type CommandLine = ReturnType<typeof parseCommandLine>;

/** "-x" or "--public-ip", as the user would have typed the flag meow calls `name`. */
const spelled = (name: string): string =>
	name.length === 1 ? `-${name}` : `--${name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`;

/** The given flags a command does not take, spelled as typed; empty when all are fine. */
export const foreignFlags = (commandLine: CommandLine, allowed: readonly FlagName[]): string[] =>
	commandLine.given.filter(name => !(allowed as readonly string[]).includes(name)).map(name => spelled(name));
