import type {RouterMode} from '../check/network-view.js';
import type {CheckConfig} from '../check/types.js';
import {words} from '../catalog/index.js';
import type {OutputChoice} from './check-command.js';
import {UsageError, configFromFlags, watchPauseFromFlag} from './config.js';
import type {FleetFormat} from '../fleet/fleet-table.js';
import {checkFlags, foreignFlags, mergeFlags, parseCommandLine, serveFlags} from './flags.js';
import {type ServeFlags, serveUsageError} from './serve-flags.js';

/** What the command line asks for, checked: nothing is run, resolved or sent to find it out. */
export type Invocation =
	| {command: 'serve'; flags: ServeFlags}
	| {command: 'merge'; files: string[]; format: FleetFormat}
	| {
			command: 'check';
			config: CheckConfig;
			output: OutputChoice;
			routerMode: RouterMode;
			/** False with --no-host-firewall. */
			hostFirewall: boolean;
			demo: boolean;
			faults: boolean;
	  };

/** The words after `fwcheck` to an Invocation, or a UsageError with one line saying what is wrong. */
export const parseInvocation = (argv?: string[]): Invocation => {
	const commandLine = parseCommandLine(argv);
	const {input, flags} = commandLine;
	const [command, ...rest] = input;
	if (command === 'serve') {
		const foreign = foreignFlags(commandLine, serveFlags);
		const problem =
			foreign.length > 0
				? words().cli.unknownOptionFor(foreign.join(', '), 'serve')
				: rest.length > 0
					? words().cli.unexpected(rest[0]!)
					: serveUsageError(flags);
		if (problem) {
			throw new UsageError(problem);
		}

		return {command: 'serve', flags};
	}

	if (command === 'merge') {
		const foreign = foreignFlags(commandLine, mergeFlags);
		const formats = (['json', 'markdown', 'csv'] as const).filter(format => flags[format]);
		const problem =
			foreign.length > 0
				? words().cli.unknownOptionFor(foreign.join(', '), 'merge')
				: rest.length === 0
					? words().cli.mergeNeedsFiles
					: formats.length > 1
						? words().cli.chooseOne(formats.map(format => `--${format}`).join(', '))
						: undefined;
		if (problem) {
			throw new UsageError(problem);
		}

		return {command: 'merge', files: rest, format: formats[0] ?? 'text'};
	}

	const foreign = foreignFlags(commandLine, checkFlags);
	if (foreign.length > 0) {
		throw new UsageError(words().cli.unknownOption(foreign.join(', ')));
	}

	if (command !== undefined) {
		throw new UsageError(words().cli.unknownCommand(command));
	}

	if (flags.faults && !flags.demo) {
		throw new UsageError(words().cli.faultsWithDemo);
	}

	if (flags.router === false && flags.routerProbeMap) {
		throw new UsageError(words().cli.probeMapNeedsRouter);
	}

	if (flags.demo && flags.stun?.length) {
		throw new UsageError(words().cli.demoOwnServer);
	}

	// The demo's server is not started yet: check the other flags against a stand-in.
	const config = configFromFlags(flags.demo ? {...flags, stun: ['127.0.0.1']} : flags);
	const watchMs = watchPauseFromFlag(flags.watch);
	return {
		command: 'check',
		config,
		output: {
			json: flags.json ?? false,
			tui: flags.tui ?? true,
			...(flags.prometheus ? {prometheus: flags.prometheus} : {}),
			...(watchMs === undefined ? {} : {watchMs}),
			...(flags.bell === false ? {bell: false} : {}),
		},
		routerMode: flags.router === false ? 'off' : flags.routerProbeMap ? 'probe-map' : 'read',
		hostFirewall: flags.hostFirewall ?? true,
		demo: flags.demo ?? false,
		faults: flags.faults ?? false,
	};
};
