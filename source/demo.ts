import {type StunServer, StunServerError, startStunServer} from './server/index.js';

export const DEMO_NOTICE =
	'Demo: fwcheck is checking against its own STUN server on 127.0.0.1 and 127.0.0.2. There is no router or NAT on loopback, so this shows how the tool works, not whether this network forwards ports.';

/**
 * Start the built-in server on two loopback addresses (no root needed: Linux answers on all of
 * 127/8). The usual ports first; if something holds them, a few others, a bounded number of times.
 */
export const startDemoServer = async (): Promise<{server: StunServer; host: string; port: number}> => {
	const candidates = [3478, 13_478, 23_478, 33_478, 43_478];
	let lastError: unknown;
	for (const port of candidates) {
		try {
			const server = await startStunServer({primary: '127.0.0.1', alternate: '127.0.0.2', port, altPort: port + 1, log: () => undefined});
			return {server, host: '127.0.0.1', port};
		} catch (error) {
			lastError = error;
			if (!(error instanceof StunServerError) || error.code !== 'port-in-use') {
				break;
			}
		}
	}

	throw lastError instanceof Error ? lastError : new Error(String(lastError));
};
