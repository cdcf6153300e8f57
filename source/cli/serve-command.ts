import process from 'node:process';
import {ExitCode} from '../check/report-model.js';
import {type StunServer, StunServerError, formatServerError, startStunServer} from '../server/index.js';

export interface ServeFlags {
	primary?: string;
	alternate?: string;
	port?: number;
	altPort?: number;
	sipPort?: number;
	controlPort?: number;
	sipEcho?: boolean;
	sipOptions?: boolean;
	connectBack?: boolean;
}

const validPort = (value: number | undefined): boolean =>
	value === undefined || (Number.isInteger(value) && value >= 1 && value <= 65_535);

/** Checks `fwcheck serve` flags; returns a one-line usage problem, or undefined. */
export const serveUsageError = (flags: ServeFlags): string | undefined => {
	if (!flags.primary) {
		return 'serve needs --primary <ip> (and --alternate <ip> for Test 2)';
	}

	if (!validPort(flags.port) || !validPort(flags.altPort)) {
		return '--port and --alt-port take a port number (1-65535)';
	}

	if (!validPort(flags.sipPort) || !validPort(flags.controlPort)) {
		return '--sip-port and --control-port take a port number (1-65535)';
	}

	if (!flags.alternate) {
		// OPTIONS and connect-back prove "reachable from an address the port never talked to".
		if (flags.sipOptions || flags.connectBack) {
			return `${flags.sipOptions ? '--sip-options' : '--connect-back'} sends from the second address: it needs --alternate <ip>`;
		}

		if (flags.controlPort !== undefined) {
			return '--control-port needs --alternate <ip>: without it there is no control service';
		}
	}

	if (flags.sipEcho === false && flags.sipPort !== undefined) {
		return '--sip-port with --no-sip-echo: leave one out';
	}

	return undefined;
};

/** Run the server until SIGINT/SIGTERM; log lines go to stderr, one per minute at most. */
export const runServe = async (flags: ServeFlags): Promise<number> => {
	const log = (line: string) => {
		process.stderr.write(`${new Date().toISOString()} ${line}\n`);
	};

	let server: StunServer;
	try {
		// The alternate port follows the primary one unless given: --port 40000 means 40001.
		const altPort = flags.altPort ?? (flags.port === undefined ? undefined : flags.port + 1);
		const services = {
			sipPort: flags.sipPort,
			controlPort: flags.controlPort,
			sipEcho: flags.sipEcho,
			sipOptions: flags.sipOptions,
			connectBack: flags.connectBack,
		};
		server = await startStunServer({
			primary: flags.primary!,
			alternate: flags.alternate,
			port: flags.port,
			altPort,
			log,
			services,
		});
	} catch (error) {
		process.stderr.write(`fwcheck: serve: ${formatServerError(error)}\n`);
		// Options it refuses, or an address this host does not have, are the user's to correct.
		const usage =
			error instanceof StunServerError && (error.code === 'invalid-options' || error.code === 'address-not-available');
		return usage ? ExitCode.usage : ExitCode.couldNotRun;
	}

	await new Promise<void>(resolve => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await server.close();
	const stats = server.stats();
	log(`stopped after answering ${stats.answered} requests`);
	return 0;
};
