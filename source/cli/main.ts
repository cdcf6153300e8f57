import process from 'node:process';
import {ExitCode} from '../check/report-model.js';
import {hostFirewallReader, wantsHostFirewall} from '../check/host-firewall-start.js';
import {commandWorkerRunner} from './command-worker.js';
import {UsageError, checkBindAddress} from './config.js';
import {type Invocation, parseInvocation} from './invocation.js';
import {chooseLanguageAtStart} from './language-flag.js';
import {words} from '../catalog/index.js';

/**
 * Output that cannot be written (a full disk, a reader that closed the pipe: `fwcheck | head`)
 * means the report did not reach anyone: one line, and exit 3 rather than a code that reads as
 * the ports' verdict.
 */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	const problem = error.code === 'EPIPE' ? words().cli.readerClosed : error.message;
	process.stderr.write(`${words().cli.couldNotWriteReport(problem)}\n`);
	process.exit(ExitCode.couldNotRun);
});

const main = async (): Promise<number> => {
	let invocation: Invocation;
	try {
		chooseLanguageAtStart();
		invocation = parseInvocation();
		if (invocation.command === 'check') {
			await checkBindAddress(invocation.config.bindAddress);
		}
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`${words().cli.usage(error.message)}\n`);
			return ExitCode.usage;
		}

		throw error;
	}

	if (invocation.command === 'serve') {
		// The server's modules only for `fwcheck serve`: a check keeps its memory for the ports.
		const {runServe} = await import('./serve-command.js');
		return runServe(invocation.flags);
	}

	if (invocation.command === 'merge') {
		const {runMerge} = await import('./merge-command.js');
		return runMerge(invocation.files, invocation.format);
	}

	const {config, output, routerMode, hostFirewall, demo, faults} = invocation;
	// This host's firewall is read on a worker thread once a port or service fails, not before.
	const readHostFirewall =
		!demo && wantsHostFirewall(config, hostFirewall) ? hostFirewallReader(config, commandWorkerRunner()) : undefined;
	const {runCheck, runDemo} = await import('./check-command.js');
	return demo ? runDemo(config, output, {faults}) : runCheck(config, output, {routerMode, hostFirewall, readHostFirewall});
};

try {
	process.exitCode = await main();
} catch (error) {
	// A bug or an OS refusal we did not foresee: one line, not a stack trace.
	process.stderr.write(`fwcheck: ${error instanceof Error ? error.message : String(error)}\n`);
	// Exit now: a check that failed part way may still hold sockets or timers.
	process.exit(ExitCode.couldNotRun);
}
