/** `fwcheck serve`'s flags and their checks; pure, so a usage error loads none of the server. */
import {isIP} from 'node:net';

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
		return 'serve needs --primary <ip> (and --alternate <ip> for Test 2)';
	}

	if (!validPort(flags.port) || !validPort(flags.altPort)) {
		return '--port and --alt-port take a port number (1-65535)';
	}

	if (flags.altPort === undefined && !validPort(alternatePort(flags))) {
		// The user never typed the alternate port: say where it came from and how to choose one.
		return `--port ${flags.port}: the alternate port would be ${alternatePort(flags)}, past 65535; choose one with --alt-port <n>`;
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

	if (flags.metrics !== undefined && !metricsAddress(flags.metrics)) {
		return `--metrics ${flags.metrics}: give an address and a port, e.g. 127.0.0.1:9478 or [::1]:9478`;
	}

	if (flags.sipEcho === false && flags.sipPort !== undefined) {
		return '--sip-port with --no-sip-echo: leave one out';
	}

	return undefined;
};
