// fwcheck's own TCP listeners on the ports under test: each accepts, reads the first line, and
// remembers whether it was `FWCHECK <nonce>` (the server's connect-back, with our nonce).
import type {Clock} from '../net/clock.js';
import {connectBackLine} from '../wire/index.js';
import {type Tcp, type TcpListener, closeWhenIdle} from '../net/tcp.js';

/** What one port's listener saw. */
export interface PortWatch {
	port: number;
	/** Connections accepted. */
	accepted: number;
	/** One of them sent our nonce line. */
	nonceSeen: boolean;
}

export interface NonceListeners {
	/** Ports that could not be listened on because another program holds them. */
	busy: number[];
	/** Ports that failed for another reason (permission, address), with why. */
	failed: Map<number, string>;
	watches: Map<number, PortWatch>;
	/** Resolves once each of `ports` has seen the nonce, or after `ms`. */
	settle(ports: number[], ms: number): Promise<void>;
	close(): Promise<void>;
}

const MAX_LINE = 128;
const READ_TIMEOUT_MS = 2000;

export const listenForNonce = async (
	ports: number[],
	nonce: string,
	options: {address?: string; family: 4 | 6; tcp: Tcp; clock: Clock},
): Promise<NonceListeners> => {
	const {clock} = options;
	const expected = connectBackLine(nonce).trimEnd();
	const watches = new Map<number, PortWatch>();
	const listeners: TcpListener[] = [];
	const busy: number[] = [];
	const failed = new Map<number, string>();
	const wakers = new Set<() => void>();
	await Promise.all(
		ports.map(async port => {
			const watch: PortWatch = {port, accepted: 0, nonceSeen: false};
			const result = await options.tcp.listen({port, address: options.address, family: options.family}, socket => {
				watch.accepted++;
				let text = '';
				closeWhenIdle(socket, clock, READ_TIMEOUT_MS);
				socket.onData(chunk => {
					text = (text + chunk.toString('latin1')).slice(0, MAX_LINE);
					const end = text.indexOf('\n');
					if (end >= 0 || text.length >= MAX_LINE) {
						if (text.slice(0, end).replace(/\r$/, '') === expected) {
							watch.nonceSeen = true;
							for (const wake of wakers) {
								wake();
							}
						}

						socket.destroy();
					}
				});
			});
			if (result.ok) {
				listeners.push(result.listener);
				watches.set(port, watch);
			} else if (result.code === 'in-use') {
				busy.push(port);
			} else {
				failed.set(port, result.detail);
			}
		}),
	);
	return {
		busy: busy.sort((a, b) => a - b),
		failed,
		watches,
		async settle(wanted, ms) {
			const allSeen = (): boolean => wanted.every(port => watches.get(port)?.nonceSeen !== false);
			if (allSeen()) {
				return;
			}

			await new Promise<void>(resolve => {
				const wake = (): void => {
					if (allSeen()) {
						clock.clearTimeout(timer);
						wakers.delete(wake);
						resolve();
					}
				};

				const timer = clock.setTimeout(() => {
					wakers.delete(wake);
					resolve();
				}, ms);
				wakers.add(wake);
			});
		},
		async close() {
			await Promise.all(listeners.map(async listener => listener.close()));
		},
	};
};
