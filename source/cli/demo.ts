import dgram from 'node:dgram';
import {Worker} from 'node:worker_threads';
import {embedded} from './one-file.js';

/** The demo server's second address: Linux and Windows answer on all of 127/8, macOS does not. */
export const demoAlternateAddress = '127.0.0.2';

/** Why the demo server cannot run on this loopback; undefined when it can. */
export type LoopbackShortfall = 'no-second-loopback' | 'shared-loopback-port';

const bindUdp4 = async (address: string, port: number): Promise<{socket: dgram.Socket; code?: string}> => {
	const socket = dgram.createSocket('udp4');
	return new Promise(resolve => {
		socket.once('error', (error: NodeJS.ErrnoException) => {
			resolve({socket, code: error.code ?? 'EINVAL'});
		});
		socket.bind({address, port, exclusive: true}, () => {
			resolve({socket});
		});
	});
};

const closeQuietly = (socket: dgram.Socket): void => {
	try {
		socket.close();
	} catch {
		// Never bound: nothing to close.
	}
};

/**
 * The demo server binds each of its ports on both loopback addresses. macOS has no 127.0.0.2
 * unless an alias is added; Wine's sockets have it, yet let only one loopback address hold a
 * port. Either way the demo must run simulated rather than fail with a bind error.
 */
export const demoLoopbackShortfall = async (): Promise<LoopbackShortfall | undefined> => {
	const first = await bindUdp4('127.0.0.1', 0);
	try {
		if (first.code !== undefined) {
			return 'no-second-loopback';
		}

		const second = await bindUdp4(demoAlternateAddress, first.socket.address().port);
		closeQuietly(second.socket);
		if (second.code === 'EADDRNOTAVAIL') {
			return 'no-second-loopback';
		}

		return second.code === 'EADDRINUSE' ? 'shared-loopback-port' : undefined;
	} finally {
		closeQuietly(first.socket);
	}
};

export interface DemoServer {
	host: string;
	port: number;
	close: () => Promise<void>;
}

/** The worker's module next to this one. Under tsx (tests) this module is .ts and so is its worker. */
const workerFromFile = (): Worker => {
	const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
	return new Worker(new URL(`demo-worker${extension}`, import.meta.url), {
		execArgv: extension === '.ts' ? ['--import', 'tsx'] : [],
	});
};

/**
 * Start the built-in server on two loopback addresses (no root needed: Linux answers on all of
 * 127/8), in a worker thread. The usual ports first; if something holds them, a few others.
 */
export const startDemoServer = async (): Promise<DemoServer> => {
	const worker = embedded ? new Worker(embedded.demoWorkerSource, {eval: true}) : workerFromFile();
	const answer = await new Promise<{ok: true; port: number} | {ok: false; error: string}>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	if (!answer.ok) {
		await worker.terminate();
		throw new Error(answer.error);
	}

	return {
		host: '127.0.0.1',
		port: answer.port,
		async close() {
			const exited = new Promise(resolve => {
				worker.once('exit', resolve);
			});
			worker.postMessage('close');
			await exited;
		},
	};
};
