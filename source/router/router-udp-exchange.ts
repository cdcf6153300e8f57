// One request/response exchange over UDP with a router, bounded in sends and time: the transport
// under NAT-PMP and PCP. Only a reply from the asked address and port that `accept` recognises ends it.
import type {TimerHandle} from '../net/clock.js';
import type {RouterEnvironment} from './router-environment.js';

export interface RouterUdpExchangeOptions<T> {
	address: string;
	port: number;
	request: Buffer;
	/** Decode a reply; undefined means "not ours", and the wait goes on. Must not throw. */
	accept: (packet: Buffer) => T | undefined;
	/** Delays before each resend (RFC 6886 starts at 250 ms and doubles). */
	resendAfterMs?: readonly number[];
	/** Give up after this long in all. */
	timeoutMs?: number;
	/** Bind the socket here (tests on 127.0.0.x); default any. */
	localAddress?: string;
}

export type RouterUdpExchangeResult<T> =
	{ok: true; reply: T; rttMs: number} | {ok: false; reason: 'timeout' | 'error'; detail?: string};

export async function routerUdpExchange<T>(
	options: RouterUdpExchangeOptions<T>,
	{udp, clock}: Pick<RouterEnvironment, 'udp' | 'clock'>,
): Promise<RouterUdpExchangeResult<T>> {
	const resends = options.resendAfterMs ?? [250, 500];
	const timeoutMs = options.timeoutMs ?? 1500;
	const bound = await udp({port: 0, family: 4, ...(options.localAddress ? {address: options.localAddress} : {})});
	if (!bound.ok) return {ok: false, reason: 'error', detail: bound.detail};
	const {socket} = bound;
	const to = {family: 4 as const, address: options.address, port: options.port};
	const timers: TimerHandle[] = [];
	const started = clock.now();
	return new Promise(resolve => {
		let done = false;
		const finish = (result: RouterUdpExchangeResult<T>): void => {
			if (done) return;
			done = true;
			for (const timer of timers) clock.clearTimeout(timer);
			void socket.close();
			resolve(result);
		};

		const send = (): void => {
			socket.send(options.request, to, error => finish({ok: false, reason: 'error', detail: error.message}));
		};

		socket.onMessage((packet, from) => {
			if (from.address !== options.address || from.port !== options.port) return;
			const reply = options.accept(packet);
			if (reply !== undefined) finish({ok: true, reply, rttMs: clock.now() - started});
		});
		send();
		let at = 0;
		for (const delay of resends) {
			at += delay;
			if (at < timeoutMs) timers.push(clock.setTimeout(send, at));
		}

		timers.push(clock.setTimeout(() => finish({ok: false, reason: 'timeout'}), timeoutMs));
	});
}
