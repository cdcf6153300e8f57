// A bounded UDP load generator for STUN servers on loopback, run as its own process so its
// memory and CPU are not the server's:
//   node --import tsx test/interop/load-generator.ts '<LoadOptions as JSON>'
// prints one JSON LoadSummary line when done. Two modes:
// - flood: open loop, as fast as allowed, a mix of valid requests, garbage and truncated ones;
// - closed: a fixed window of valid requests in flight per socket, for measuring answers/s.
// Every run stops at `durationMs` (capped at 60 s) or `maxPackets` (capped at 1 000 000).
import dgram from 'node:dgram';
import {randomBytes} from 'node:crypto';
import {pathToFileURL} from 'node:url';
import {setImmediate as yieldToIo, setTimeout as delay} from 'node:timers/promises';
import {Method, encodeMessage, newTransactionId} from '../../source/stun/index.js';

export interface LoadOptions {
	mode: 'flood' | 'closed';
	/** host:port targets, used in turn. Loopback only. */
	targets: Array<{address: string; port: number}>;
	/** Distinct source IPs (127.77.x.y), one socket each. */
	sources: number;
	durationMs: number;
	maxPackets: number;
	/** closed: requests in flight per socket. */
	window?: number;
	/** closed: time before counting the window lost and refilling it. */
	lossTimeoutMs?: number;
	/** closed: ignore replies for this long before measuring. */
	warmupMs?: number;
}

export interface LoadSummary {
	sent: number;
	sentByKind: {valid: number; garbage: number; truncated: number};
	replies: number;
	/** closed: replies inside the measured window and its length. */
	measuredReplies: number;
	measuredMs: number;
	repliesPerSecond: number;
	durationMs: number;
	stoppedBy: 'duration' | 'maxPackets';
}

const MAX_DURATION_MS = 60_000;
const MAX_PACKETS = 1_000_000;

const isLoopback = (address: string): boolean => /^127\./.test(address) || address === '::1';

export const sourceAddress = (index: number): string => `127.77.${Math.floor(index / 200)}.${(index % 200) + 1}`;

const validRequest = (index: number): Buffer => {
	// Every fourth asks for a change of IP and port, as Test 2 does.
	const attributes = index % 4 === 0 ? [{kind: 'change-request' as const, changeIp: true, changePort: true}] : [];
	return encodeMessage({method: Method.binding, messageClass: 'request', transactionId: newTransactionId(), attributes});
};

const garbage = (): Buffer => randomBytes(1 + Math.floor(Math.random() * 120));

const truncated = (index: number): Buffer => {
	const whole = validRequest(0);
	return whole.subarray(0, 1 + (index % (whole.length - 1)));
};

const bind = async (address: string): Promise<dgram.Socket> => {
	const socket = dgram.createSocket({type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20});
	await new Promise<void>((resolve, reject) => {
		socket.once('error', reject);
		socket.bind(0, address, () => {
			socket.off('error', reject);
			resolve();
		});
	});
	socket.on('error', () => undefined);
	return socket;
};

export const runLoad = async (options: LoadOptions): Promise<LoadSummary> => {
	if (!options.targets.every(target => isLoopback(target.address))) {
		throw new Error('load targets must be loopback addresses');
	}

	const durationMs = Math.min(options.durationMs, MAX_DURATION_MS);
	const maxPackets = Math.min(options.maxPackets, MAX_PACKETS);
	const sockets = await Promise.all(
		Array.from({length: Math.max(1, options.sources)}, async (_, index) => bind(sourceAddress(index))),
	);
	const summary: LoadSummary = {
		sent: 0,
		sentByKind: {valid: 0, garbage: 0, truncated: 0},
		replies: 0,
		measuredReplies: 0,
		measuredMs: 0,
		repliesPerSecond: 0,
		durationMs: 0,
		stoppedBy: 'duration',
	};
	const started = performance.now();
	const warmupMs = options.mode === 'closed' ? Math.min(options.warmupMs ?? 1000, durationMs / 2) : 0;
	const elapsed = () => performance.now() - started;
	const done = () => {
		if (summary.sent >= maxPackets) {
			summary.stoppedBy = 'maxPackets';
			return true;
		}

		return elapsed() >= durationMs;
	};

	let pendingSends = 0;
	const send = (socket: dgram.Socket, datagram: Buffer, kind: keyof LoadSummary['sentByKind']) => {
		const target = options.targets[summary.sent % options.targets.length]!;
		summary.sent++;
		summary.sentByKind[kind]++;
		pendingSends++;
		socket.send(datagram, target.port, target.address, () => {
			pendingSends--;
		});
	};

	const inFlight = new Map<dgram.Socket, {count: number; lastReply: number}>();
	for (const socket of sockets) {
		inFlight.set(socket, {count: 0, lastReply: performance.now()});
		socket.on('message', () => {
			summary.replies++;
			if (elapsed() >= warmupMs && !done()) {
				summary.measuredReplies++;
			}

			if (options.mode === 'closed') {
				const state = inFlight.get(socket)!;
				state.count = Math.max(0, state.count - 1);
				state.lastReply = performance.now();
				if (!done()) {
					state.count++;
					send(socket, validRequest(summary.sent), 'valid');
				}
			}
		});
	}

	if (options.mode === 'flood') {
		let index = 0;
		while (!done()) {
			// Keep the send queue short so the generator's own memory stays flat.
			if (pendingSends > 2000) {
				await yieldToIo();
				continue;
			}

			for (let batch = 0; batch < 200 && !done(); batch++, index++) {
				const socket = sockets[index % sockets.length]!;
				const pick = index % 10;
				if (pick < 6) {
					send(socket, validRequest(index), 'valid');
				} else if (pick < 8) {
					send(socket, garbage(), 'garbage');
				} else {
					send(socket, truncated(index), 'truncated');
				}
			}

			await yieldToIo();
		}
	} else {
		const window = options.window ?? 16;
		const lossTimeoutMs = options.lossTimeoutMs ?? 200;
		while (!done()) {
			const now = performance.now();
			for (const [socket, state] of inFlight) {
				// Prime the window at the start, and refill it when replies stopped (lost to a full buffer).
				if (state.count === 0 || now - state.lastReply > lossTimeoutMs) {
					state.count = 0;
					state.lastReply = now;
					for (let slot = 0; slot < window && !done(); slot++) {
						state.count++;
						send(socket, validRequest(summary.sent), 'valid');
					}
				}
			}

			await delay(20);
		}
	}

	summary.durationMs = elapsed();
	summary.measuredMs = Math.max(1, summary.durationMs - warmupMs);
	summary.repliesPerSecond = Math.round(
		(options.mode === 'closed' ? summary.measuredReplies : summary.replies) / (summary.measuredMs / 1000),
	);
	// Late replies still count toward `replies`, not toward the measured rate.
	await delay(200);
	await Promise.all(
		sockets.map(
			async socket =>
				new Promise<void>(resolve => {
					socket.close(() => {
						resolve();
					});
				}),
		),
	);
	return summary;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
	const summary = await runLoad(options);
	console.log(JSON.stringify(summary));
}
