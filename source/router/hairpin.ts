// Hairpinning: does a packet this host sends to its own public address and port come back to it?
// Phones on the LAN that reach the PBX by its public name need it. One bounded test: a few sends
// of a random token from a spare socket to publicAddress:port, listening on that port locally.
import {english} from '../catalog/index.js';
import {randomBytes} from 'node:crypto';
import type {TimerHandle} from '../net/clock.js';
import {type RouterEnvironment, realRouterEnvironment} from './router-environment.js';
import type {HairpinResult} from './types.js';

export interface HairpinOptions {
	publicAddress: string;
	/** The forwarded port: sent to on the public address, listened on locally. */
	port: number;
	sends?: number;
	intervalMs?: number;
	timeoutMs?: number;
	/** Local address to listen and send from (tests on 127.0.0.x); default any. */
	localBind?: string;
}

export interface HairpinOutcome {
	result: HairpinResult;
	detail: string;
}

export async function hairpinTest(
	options: HairpinOptions,
	{udp, clock}: Pick<RouterEnvironment, 'udp' | 'clock'> = realRouterEnvironment,
): Promise<HairpinOutcome> {
	const token = Buffer.concat([Buffer.from('fwcheck-hairpin:'), randomBytes(16)]);
	const where = options.localBind ? {address: options.localBind} : {};
	const listening = await udp({port: options.port, family: 4, ...where});
	if (!listening.ok)
		return {result: 'skipped', detail: english.notes.hairpinCannotListen(String(options.port), listening.detail)};
	const listener = listening.socket;
	const sending = await udp({port: 0, family: 4, ...where});
	if (!sending.ok) {
		void listener.close();
		return {result: 'skipped', detail: english.notes.hairpinCannotOpen(sending.detail)};
	}

	const sender = sending.socket;
	const sends = options.sends ?? 3;
	const intervalMs = options.intervalMs ?? 300;
	const timeoutMs = options.timeoutMs ?? 1500;
	const target = `${options.publicAddress}:${options.port}`;
	return new Promise(resolve => {
		const timers: TimerHandle[] = [];
		let done = false;
		const finish = (outcome: HairpinOutcome): void => {
			if (done) return;
			done = true;
			for (const timer of timers) clock.clearTimeout(timer);
			void listener.close();
			void sender.close();
			resolve(outcome);
		};

		listener.onMessage(packet => {
			if (packet.equals(token)) finish({result: 'pass', detail: english.notes.hairpinCameBack(target)});
		});
		const send = (): void => {
			sender.send(token, {family: 4, address: options.publicAddress, port: options.port}, error =>
				finish({result: 'fail', detail: english.notes.hairpinSendFailed(target, error.message)}),
			);
		};

		for (let i = 0; i < sends; i++) timers.push(clock.setTimeout(send, i * intervalMs));
		timers.push(
			clock.setTimeout(
				() => finish({result: 'fail', detail: english.notes.hairpinNoneBack(String(sends), target, String(timeoutMs))}),
				timeoutMs,
			),
		);
	});
}
