/** `fwcheck serve`'s flags and their checks; pure, so a usage error loads none of the server. */
import {isIP} from 'node:net';
import {words} from '../catalog/index.js';

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
	/** --metrics: where /metrics listens, "127.0.0.1:9478" or "[::1]:9478". */
	metrics?: string;
}

/** --metrics's address and port, or undefined when it is not an IP address and a port. */
export const metricsAddress = (value: string): {host: string; port: number} | undefined => {
	const match = /^(?:\[([\da-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(value);
	const port = Number(match?.[3]);
	const host = match?.[1] ?? match?.[2];
	return host !== undefined && isIP(host) !== 0 && validPort(port) ? {host, port} : undefined;
};

const validPort = (value: number | undefined): boolean =>
	value === undefined || (Number.isInteger(value) && value >= 1 && value <= 65_535);

/** The alternate port: --alt-port, else the one after --port (--port 40000 means 40001). */
export const alternatePort = (flags: ServeFlags): number | undefined =>
	flags.altPort ?? (flags.port === undefined ? undefined : flags.port + 1);

/** Checks `fwcheck serve` flags; returns a one-line usage problem, or undefined. */
export const serveUsageError = (flags: ServeFlags): string | undefined => {
	if (!flags.primary) {
		return words().cli.serveNeedsPrimary;
	}

	if (!validPort(flags.port) || !validPort(flags.altPort)) {
		return words().cli.servePorts;
	}

	if (flags.altPort === undefined && !validPort(alternatePort(flags))) {
		// The user never typed the alternate port: say where it came from and how to choose one.
		return words().cli.alternatePastRange(flags.port!, alternatePort(flags)!);
	}

	if (!validPort(flags.sipPort) || !validPort(flags.controlPort)) {
		return words().cli.serveServicePorts;
	}

	if (!flags.alternate) {
		// OPTIONS and connect-back prove "reachable from an address the port never talked to".
		if (flags.sipOptions || flags.connectBack) {
			return words().cli.needsAlternate(flags.sipOptions ? '--sip-options' : '--connect-back');
		}

		if (flags.controlPort !== undefined) {
			return words().cli.controlNeedsAlternate;
		}
	}

	if (flags.metrics !== undefined && !metricsAddress(flags.metrics)) {
		return words().cli.metricsAddress(flags.metrics);
	}

	if (flags.sipEcho === false && flags.sipPort !== undefined) {
		return words().cli.sipPortWithoutEcho;
	}

	return undefined;
};
