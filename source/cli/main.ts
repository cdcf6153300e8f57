import process from 'node:process';
import {ExitCode} from '../check/report-model.js';
import type {CheckConfig} from '../check/types.js';
import {runCheck, runDemo} from './check-command.js';
import {UsageError, checkBindAddress, configFromFlags} from './config.js';
import {checkFlags, foreignFlags, parseCommandLine, serveFlags} from './flags.js';

// A closed pipe (`fwcheck | head`) is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(process.exitCode ?? 0);
	}

	throw error;
});

class UsageExit extends Error {}

const usage = (problem: string): never => {
	throw new UsageExit(`${problem} (see fwcheck --help)`);
};

const main = async (): Promise<number> => {
	const commandLine = parseCommandLine();
	const {input, flags} = commandLine;
	const [command, ...rest] = input;
	if (command === 'serve') {
		// The server's modules only for `fwcheck serve`: a check keeps its memory for the ports.
		const {runServe, serveUsageError} = await import('./serve-command.js');
		const foreign = foreignFlags(commandLine, serveFlags);
		const problem =
			foreign.length > 0
				? `unknown option ${foreign.join(', ')} for serve`
				: rest.length > 0
					? `unexpected "${rest[0]}"`
					: serveUsageError(flags);
		return problem ? usage(problem) : runServe(flags);
	}

	const foreign = foreignFlags(commandLine, checkFlags);
	if (foreign.length > 0) {
		usage(`unknown option ${foreign.join(', ')}`);
	}

	if (command !== undefined) {
		usage(`unknown command "${command}"`);
	}

	if (flags.faults && !flags.demo) {
		usage('--faults goes with --demo');
	}

	if (flags.router === false && flags.routerProbeMap) {
		usage('--router-probe-map asks the router: leave out --no-router');
	}

	if (flags.demo && flags.stun?.length) {
		usage('--demo runs its own server: leave out --stun');
	}

	let config: CheckConfig;
	try {
		// The demo's server is not started yet: check the other flags against a stand-in.
		config = configFromFlags(flags.demo ? {...flags, stun: ['127.0.0.1']} : flags);
		await checkBindAddress(config.bindAddress);
	} catch (error) {
		if (error instanceof UsageError) {
			usage(error.message);
		}

		throw error;
	}

	const output = {json: flags.json ?? false, tui: flags.tui ?? true};
	const routerMode = flags.router === false ? 'off' : flags.routerProbeMap ? 'probe-map' : 'read';
	return flags.demo ? runDemo(config, output, {faults: flags.faults ?? false}) : runCheck(config, output, {routerMode});
};

try {
	process.exitCode = await main();
} catch (error) {
	// A usage error, or a bug or an OS refusal we did not foresee: one line, not a stack trace.
	process.stderr.write(`fwcheck: ${error instanceof Error ? error.message : String(error)}\n`);
	// Exit now: a check that failed part way may still hold sockets or timers.
	process.exit(error instanceof UsageExit ? ExitCode.usage : ExitCode.couldNotRun);
}
