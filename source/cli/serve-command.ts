import process from 'node:process';
import {ExitCode} from '../check/report-model.js';
import {type StunServer, StunServerError, formatServerError, startStunServer} from '../server/index.js';
import {type MetricsEndpoint, startMetricsEndpoint} from '../server/metrics-endpoint.js';
import {serverMetricsText} from '../server/metrics-text.js';
import {type ServeFlags, alternatePort, metricsAddress} from './serve-flags.js';

/** Run the server until SIGINT, SIGTERM or SIGHUP; log lines go to stderr, one per minute at most. */
export const runServe = async (flags: ServeFlags): Promise<number> => {
	const log = (line: string) => {
		process.stderr.write(`${new Date().toISOString()} ${line}\n`);
	};

	let server: StunServer;
	try {
		const altPort = alternatePort(flags);
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

	let metrics: MetricsEndpoint | undefined;
	const metricsAt = flags.metrics === undefined ? undefined : metricsAddress(flags.metrics);
	if (metricsAt) {
		try {
			metrics = await startMetricsEndpoint(metricsAt.host, metricsAt.port, () =>
				serverMetricsText(server.stats(), server.serviceStats()),
			);
			log(`metrics on http://${flags.metrics}/metrics`);
		} catch (error) {
			process.stderr.write(`fwcheck: serve: --metrics ${flags.metrics}: ${(error as Error).message}\n`);
			await server.close();
			return ExitCode.couldNotRun;
		}
	}

	await new Promise<void>(resolve => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
		process.once('SIGHUP', resolve);
	});
	await metrics?.close();
	await server.close();
	const stats = server.stats();
	log(`stopped after answering ${stats.answered} requests`);
	return 0;
};
