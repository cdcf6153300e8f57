import {type Server, createServer} from 'node:http';

export interface MetricsEndpoint {
	/** The port it listens on (the one asked, or the one the OS gave for port 0). */
	port: number;
	close(): Promise<void>;
}

/**
 * GET /metrics on the one address the admin gave, nothing else: the counters say how busy the
 * server is, which is for the admin's Prometheus, not for the internet.
 */
export const startMetricsEndpoint = async (host: string, port: number, text: () => string): Promise<MetricsEndpoint> => {
	const server: Server = createServer((request, response) => {
		if (request.url !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
			response.writeHead(404, {'content-type': 'text/plain'}).end('not found: GET /metrics\n');
			return;
		}

		response.writeHead(200, {'content-type': 'text/plain; version=0.0.4; charset=utf-8'});
		response.end(request.method === 'HEAD' ? undefined : text());
	});
	// A scraper that never reads must not hold sockets open for ever.
	server.requestTimeout = 10_000;
	server.headersTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	return {
		port: typeof address === 'object' && address !== null ? address.port : port,
		close: async () =>
			new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			}),
	};
};
