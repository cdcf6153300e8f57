import process from 'node:process';
import meow from 'meow';
import type {CheckConfig, CheckReport} from '../check/types.js';
import {ExitCode} from '../check/verdicts.js';
import {sweep} from '../check/sweep.js';
import {UsageError, configFromFlags} from './config.js';
import {DEMO_CAPTION, DEMO_NOTICE, startDemoServer} from './demo.js';
import {runServe, serveUsageError} from './serve-command.js';
import {toJson} from '../report/json.js';
import {createPlainReporter, formatSummary} from '../report/plain.js';

const cli = meow(
	`
	Usage
	  $ fwcheck [options]            check that UDP ports are forwarded 1:1 to this host
	  $ fwcheck --demo               the same check against a built-in server on loopback
	  $ fwcheck serve [options]      run a two-address STUN server for others to check against

	Options
	  --ports, -p <list>     Ports to check                       (default 9000-10999)
	                         e.g. --ports 5060,9000-10999
	  --stun, -s <host>      STUN server with two addresses, repeatable, tried in order
	                         e.g. --stun stun.example.net --stun 198.51.100.7:3478
	  --bind <ip>            Local address to check the ports on   (default: all)
	                         e.g. --bind 192.168.1.20
	  --public-ip <ip>       Fail ports whose traffic leaves from another public IP
	                         e.g. --public-ip 203.0.113.5
	  --rate <n>             Cap packets per second (it also slows down by itself)
	                         e.g. --rate 200
	  --window <n>           Cap ports in flight at once            (default: as many as fit)
	  --json                 Print one JSON report, nothing else
	  --no-tui               Plain lines instead of the interactive table
	  --demo                 Start a STUN server on 127.0.0.1 + 127.0.0.2 and check against it
	                         (shows the tool at work; loopback has no NAT to check)
	  --help                 Show this help
	  --version              Show the version

	Serve options
	  --primary <ip>         First address to answer on                e.g. --primary 198.51.100.7
	  --alternate <ip>       Second address, for Test 2 (CHANGE-REQUEST) e.g. --alternate 198.51.100.8
	  --port <n>             Primary port                              (default 3478)
	  --alt-port <n>         Alternate port                            (default: --port + 1)

	Exit codes
	  0 all ports ok, 1 some ports failed, 2 usage error, 3 the check could not run, 130 cancelled

	Examples
	  $ fwcheck
	  $ fwcheck --ports 5060,9000-9099 --stun stun.example.net --json > report.json
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8
`,
	{
		importMeta: import.meta,
		// Checked below, so an unknown flag gets our one-line error rather than meow's two.
		allowUnknownFlags: true,
		flags: {
			ports: {type: 'string', shortFlag: 'p', default: '9000-10999'},
			stun: {type: 'string', shortFlag: 's', isMultiple: true, default: []},
			bind: {type: 'string'},
			publicIp: {type: 'string'},
			rate: {type: 'number'},
			window: {type: 'number'},
			json: {type: 'boolean', default: false},
			tui: {type: 'boolean', default: true},
			demo: {type: 'boolean', default: false},
			primary: {type: 'string'},
			alternate: {type: 'string'},
			port: {type: 'number'},
			altPort: {type: 'number'},
		},
	},
);

// A closed pipe (`fwcheck | head`) is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(process.exitCode ?? 0);
	}

	throw error;
});

const fail = (message: string, code: number): never => {
	process.stderr.write(`fwcheck: ${message}\n`);
	process.exit(code);
};

const exitCodeOf = (report: CheckReport): number =>
	report.status === 'pass'
		? ExitCode.ok
		: report.status === 'fail'
			? ExitCode.failed
			: report.status === 'cancelled'
				? ExitCode.cancelled
				: ExitCode.couldNotRun;

/** Ctrl+C cancels cleanly (the partial report still prints); a second one quits at once. */
const cancelOnSigint = (controller: AbortController): void => {
	process.on('SIGINT', () => {
		if (controller.signal.aborted) {
			process.exit(ExitCode.cancelled);
		}

		controller.abort();
	});
};

const runPlain = async (config: CheckConfig, json: boolean): Promise<number> => {
	const controller = new AbortController();
	cancelOnSigint(controller);
	const write = (line: string) => {
		process.stdout.write(`${line}\n`);
	};

	const report = await sweep(config, {
		signal: controller.signal,
		onEvent: json ? () => undefined : createPlainReporter(config, write),
	});
	if (json) {
		write(toJson(report));
	} else {
		for (const line of formatSummary(report)) {
			write(line);
		}
	}

	return exitCodeOf(report);
};

const checkFlags = ['ports', 'p', 'stun', 's', 'bind', 'public-ip', 'publicIp', 'rate', 'window', 'json', 'tui', 'demo'];
const serveFlags = ['primary', 'alternate', 'port', 'alt-port', 'altPort'];
const commonFlags = ['help', 'version'];

/** Flag names as typed on the command line (meow's flag object also holds every default). */
const givenFlags = (): string[] =>
	process.argv
		.slice(2)
		.filter(token => /^-[^-\d]|^--[^-]/.test(token))
		.flatMap(token =>
			token.startsWith('--') ? [token.slice(2).split('=')[0]!.replace(/^no-/, '')] : [...token.slice(1).split('=')[0]!],
		);

const rejectFlags = (allowed: string[]): void => {
	const known = new Set([...allowed, ...commonFlags]);
	const unknown = givenFlags().filter(flag => !known.has(flag));
	if (unknown.length > 0) {
		fail(
			`unknown option ${unknown.map(flag => (flag.length === 1 ? `-${flag}` : `--${flag}`)).join(', ')} (see fwcheck --help)`,
			ExitCode.usage,
		);
	}
};

const main = async (): Promise<number> => {
	const [command, ...rest] = cli.input;
	if (command === 'serve') {
		rejectFlags(serveFlags);
		const problem = rest.length > 0 ? `unexpected "${rest[0]}"` : serveUsageError(cli.flags);
		return problem ? fail(`${problem} (see fwcheck --help)`, ExitCode.usage) : runServe(cli.flags);
	}

	rejectFlags(checkFlags);
	if (command !== undefined) {
		return fail(`unknown command "${command}" (see fwcheck --help)`, ExitCode.usage);
	}

	if (cli.flags.demo && cli.flags.stun.length > 0) {
		return fail('--demo runs its own server: leave out --stun', ExitCode.usage);
	}

	let config: CheckConfig;
	try {
		// The demo's server is not started yet: check the other flags against a stand-in.
		config = configFromFlags(cli.flags.demo ? {...cli.flags, stun: ['127.0.0.1']} : cli.flags);
	} catch (error) {
		if (error instanceof UsageError) {
			return fail(`${error.message} (see fwcheck --help)`, ExitCode.usage);
		}

		throw error;
	}

	return cli.flags.demo ? runDemo(config) : runCheck(config);
};

/**
 * The TUI on a terminal; plain lines or JSON otherwise (pipes, CI, `ssh host fwcheck` without
 * -t), where Ink's raw mode would throw.
 */
const showsTui = (): boolean => !cli.flags.json && cli.flags.tui && process.stdin.isTTY && process.stdout.isTTY;

const runCheck = async (config: CheckConfig, caption?: string): Promise<number> => {
	if (!showsTui()) {
		return runPlain(config, cli.flags.json);
	}

	// React's development build makes each keypress on a 2000-row table several times slower.
	process.env.NODE_ENV ??= 'production';
	// Loaded only here, so --json and plain runs never load React and Ink. The build bundles it
	// into one file (see scripts/bundle-tui.mjs); the plain module is the fallback.
	const {renderTui} = await loadTui();
	return renderTui(config, sweep, {caption});
};

const loadTui = async (): Promise<typeof import('../ui/render.js')> => {
	const bundle = '../ui/render.bundle.js';
	try {
		return (await import(bundle)) as typeof import('../ui/render.js');
	} catch {
		return import('../ui/render.js');
	}
};

const runDemo = async (checked: CheckConfig): Promise<number> => {
	const server = await startDemoServer();
	try {
		const config: CheckConfig = {...checked, servers: [{host: server.host, port: server.port}]};
		// The TUI shows the caption; plain output gets the longer notice, JSON neither.
		if (!cli.flags.json && !showsTui()) {
			process.stdout.write(`${DEMO_NOTICE}\n\n`);
		}

		return await runCheck(config, DEMO_CAPTION);
	} finally {
		await server.close();
	}
};

try {
	process.exitCode = await main();
} catch (error) {
	// A bug or an OS refusal we did not foresee: one line, not a stack trace.
	fail(error instanceof Error ? error.message : String(error), ExitCode.couldNotRun);
}
