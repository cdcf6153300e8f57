import {Worker} from 'node:worker_threads';
import {embedded} from './one-file.js';

/** The demo's one line above the table. */
export const DEMO_CAPTION =
	"DEMO against fwcheck's own server on loopback: no NAT here, so this shows the tool, not your network.";

export const DEMO_NOTICE =
	'Demo: fwcheck is checking against its own STUN server on 127.0.0.1 and 127.0.0.2. There is no router or NAT on loopback, so this shows how the tool works, not whether this network forwards ports.';

/** The demo server's second address: Linux and Windows answer on all of 127/8, macOS does not. */
export const demoAlternateAddress = '127.0.0.2';

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
