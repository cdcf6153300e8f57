import {isIPv6} from 'node:net';
import type {TcpConnection} from '../net/tcp.js';
import {type ConnectResult, connectBackLine} from '../wire/index.js';
import {type OutgoingHost, nodeHost} from './outgoing-host.js';

export interface ConnectBackTarget {
	/** The server's second IP: the connection leaves from it. */
	localAddress: string;
	/** The control connection's remote IP, never an address a message named. */
	host: string;
	port: number;
	nonce: string;
	timeoutMs: number;
	/** How long the connection stays open after the nonce line. */
	lingerMs: number;
	/** What is still open, each as a function that ends it, so closing the server can. */
	open: Set<() => void>;
}

/**
 * Open one TCP connection and, once connected, write `FWCHECK <nonce>\r\n` and close after
 * `lingerMs`. Resolves with the outcome as soon as it is known; never rejects. Ended by the
 * server's close before an outcome, it reads as unreachable.
 */
export const connectBack = async (target: ConnectBackTarget, host: OutgoingHost = nodeHost): Promise<ConnectResult> => {
	const {tcp, clock} = host;
	const started = clock.now();
	const closing = new AbortController();
	// Set once connected: then ending it is destroying the connection.
	const held: {connection?: TcpConnection} = {};
	const end = (): void => {
		closing.abort();
		held.connection?.destroy();
	};

	target.open.add(end);
	const connected = await tcp.connect(
		{family: isIPv6(target.host) ? 6 : 4, address: target.host, port: target.port},
		{timeoutMs: target.timeoutMs, localAddress: target.localAddress, signal: closing.signal},
	);
	const ms = Math.round(clock.now() - started);
	if (!connected.ok) {
		target.open.delete(end);
		return {port: target.port, outcome: connected.reason, ms};
	}

	const opened = connected.connection;
	held.connection = opened;
	// end() waits for the peer's FIN; a listener that never closes does not hold us.
	const linger = clock.setTimeout(() => {
		opened.destroy();
	}, target.lingerMs);
	opened.onClose(() => {
		clock.clearTimeout(linger);
		target.open.delete(end);
	});
	// Whatever the listener sends back is read and dropped.
	opened.onData(() => undefined);
	opened.end(connectBackLine(target.nonce));
	return {port: target.port, outcome: 'connected', ms};
};
