// Runs the demo's STUN server on its own thread, so the server keeps up while the main thread
// draws 2000 table rows: in one event loop the two starve each other and requests go unanswered.
import {parentPort} from 'node:worker_threads';
import {StunServerError, formatServerError, startStunServer} from '../server/index.js';

const candidates = [3478, 13_478, 23_478, 33_478, 43_478];

const start = async () => {
	for (const port of candidates) {
		try {
			const server = await startStunServer({
				primary: '127.0.0.1',
				alternate: '127.0.0.2',
				port,
				altPort: port + 1,
				log: () => undefined,
				// The services only fwcheck serve offers (SIP echo, OPTIONS, connect-back), on ports
				// the OS picks: discovery tells the client where they are.
				services: {sipPort: 0, controlPort: 0},
			});
			parentPort?.once('message', () => {
				void server.close().then(() => {
					process.exit(0);
				});
			});
			parentPort?.postMessage({ok: true, port});
			return;
		} catch (error) {
			// Something else holds these ports: try the next pair, a bounded number of times.
			if (!(error instanceof StunServerError) || error.code !== 'port-in-use' || port === candidates.at(-1)) {
				parentPort?.postMessage({ok: false, error: formatServerError(error)});
				return;
			}
		}
	}
};

void start();
