import type dgram from 'node:dgram';
import net from 'node:net';
import {performance} from 'node:perf_hooks';
import {type ConnectOutcome, type ConnectResult, connectBackLine} from '../wire/index.js';

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
	/** Sockets still open, so closing the server can end them. */
	open: Set<net.Socket | dgram.Socket>;
}

const outcomeOf = (error: NodeJS.ErrnoException): ConnectOutcome => {
	switch (error.code) {
		case 'ECONNREFUSED': {
			return 'refused';
		}

		case 'ETIMEDOUT': {
			return 'timeout';
		}

		default: {
			// EHOSTUNREACH, ENETUNREACH, an ICMP "administratively prohibited", and the rest.
			return 'unreachable';
		}
	}
};

/**
 * Open one TCP connection and, once connected, write `FWCHECK <nonce>\r\n` and close after
 * `lingerMs`. Resolves with the outcome as soon as it is known; never rejects.
 */
export const connectBack = async (target: ConnectBackTarget): Promise<ConnectResult> => {
	const started = performance.now();
	const socket = net.connect({host: target.host, port: target.port, localAddress: target.localAddress});
	target.open.add(socket);
	socket.once('close', () => target.open.delete(socket));
	return new Promise(resolve => {
		let settled = false;
		const settle = (outcome: ConnectOutcome) => {
			if (!settled) {
				settled = true;
				clearTimeout(timer);
				resolve({port: target.port, outcome, ms: Math.round(performance.now() - started)});
			}
		};

		const timer = setTimeout(() => {
			settle('timeout');
			socket.destroy();
		}, target.timeoutMs);
		socket.on('error', (error: NodeJS.ErrnoException) => {
			settle(outcomeOf(error));
			socket.destroy();
		});
		socket.once('connect', () => {
			settle('connected');
			socket.end(connectBackLine(target.nonce));
			// end() waits for the peer's FIN; a listener that never closes does not hold us.
			setTimeout(() => socket.destroy(), target.lingerMs).unref();
		});
		// Closed before any outcome: the server is shutting down.
		socket.once('close', () => {
			settle('unreachable');
		});
		// Whatever the listener sends back is read and dropped.
		socket.resume();
	});
};
