import process from 'node:process';
import meow from 'meow';
import {MAX_SERVERS, UsageError} from './config.js';
import {type ValueFlag, flagValueProblem} from './flag-values.js';
import {embedded} from './one-file.js';
import {words} from '../catalog/index.js';

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
	// Read before the rest (cli/language-flag.ts), so that help and errors are in the language too.
	lang: {type: 'string'},
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
	'lang',
];
export const mergeFlags: readonly FlagName[] = ['json', 'markdown', 'csv', 'lang'];
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
	// Built at parse time: the language is chosen before (cli/language-flag.ts).
	meow(words().cli.help(MAX_SERVERS), {
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
