// Hairpinning: does a packet this host sends to its own public address and port come back to it?
// Phones on the LAN that reach the PBX by its public name need it. One bounded test: a few sends
// of a random token from a spare socket to publicAddress:port, listening on that port locally.
import dgram from 'node:dgram';
import {randomBytes} from 'node:crypto';
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

const open = async (port: number, address: string | undefined): Promise<dgram.Socket | Error> =>
	new Promise(resolve => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', error => {
			socket.close();
			resolve(error);
		});
		socket.bind({port, ...(address ? {address} : {})}, () => resolve(socket));
	});

export async function hairpinTest(options: HairpinOptions): Promise<HairpinOutcome> {
	const token = Buffer.concat([Buffer.from('fwcheck-hairpin:'), randomBytes(16)]);
	const listener = await open(options.port, options.localBind);
	if (listener instanceof Error) return {result: 'skipped', detail: `cannot listen on UDP ${options.port}: ${listener.message}`};
	const sender = await open(0, options.localBind);
	if (sender instanceof Error) {
		listener.close();
		return {result: 'skipped', detail: `cannot open a socket: ${sender.message}`};
	}

	const sends = options.sends ?? 3;
	const intervalMs = options.intervalMs ?? 300;
	const timeoutMs = options.timeoutMs ?? 1500;
	const target = `${options.publicAddress}:${options.port}`;
	return new Promise(resolve => {
		const timers: NodeJS.Timeout[] = [];
		let done = false;
		const finish = (outcome: HairpinOutcome): void => {
			if (done) return;
			done = true;
			for (const timer of timers) clearTimeout(timer);
			listener.close();
			sender.close();
			resolve(outcome);
		};

		listener.on('message', packet => {
			if (packet.equals(token)) finish({result: 'pass', detail: `a packet sent to ${target} came back to this host`});
		});
		sender.on('error', error => finish({result: 'fail', detail: `sending to ${target}: ${error.message}`}));
		for (let i = 0; i < sends; i++) {
			timers.push(setTimeout(() => sender.send(token, options.port, options.publicAddress), i * intervalMs));
		}

		timers.push(
			setTimeout(
				() => finish({result: 'fail', detail: `${sends} packets sent to ${target}: none came back within ${timeoutMs} ms`}),
				timeoutMs,
			),
		);
	});
}
