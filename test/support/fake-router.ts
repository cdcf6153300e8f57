// A fake home router on a loopback address for the router-view tests: a NAT-PMP/PCP port, an SSDP
// port and an HTTP server for the UPnP description and SOAP, each answering what the test says
// (recorded replies, malformed ones, huge ones, or nothing). Everything it received is logged.
import dgram from 'node:dgram';
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type HttpAnswer = {status: number; body: string} | {hang: true} | {stream: number};

export interface FakeRouterOptions {
	address: string;
	/** Reply(ies) to a NAT-PMP/PCP packet; undefined: stay silent. */
	pmp?: (request: Buffer) => Buffer | Buffer[] | undefined;
	/** SSDP reply text for an M-SEARCH; `location` is this fake's description URL. */
	ssdp?: (location: string) => string | undefined;
	/** HTTP answer by path and SOAPAction ("" for a GET). */
	http?: (path: string, soapAction: string, body: string) => HttpAnswer;
}

export interface FakeRouter {
	address: string;
	pmpPort: number;
	ssdpPort: number;
	httpPort: number;
	location: string;
	pmpRequests: Buffer[];
	ssdpRequests: string[];
	httpRequests: Array<{method: string; path: string; soapAction: string; body: string}>;
	close(): Promise<void>;
}

const bindUdp = async (address: string): Promise<dgram.Socket> =>
	new Promise((resolve, reject) => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', reject);
		socket.bind(0, address, () => resolve(socket));
	});

export async function startFakeRouter(options: FakeRouterOptions): Promise<FakeRouter> {
	const pmp = await bindUdp(options.address);
	const ssdp = await bindUdp(options.address);
	const pmpRequests: Buffer[] = [];
	const ssdpRequests: string[] = [];
	const httpRequests: FakeRouter['httpRequests'] = [];
	const hanging = new Set<http.ServerResponse>();
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const soapAction = String(request.headers.soapaction ?? '');
			const body = Buffer.concat(chunks).toString('utf8');
			httpRequests.push({method: request.method ?? '', path: request.url ?? '', soapAction, body});
			const answer = options.http?.(request.url ?? '', soapAction, body) ?? {status: 404, body: ''};
			if ('hang' in answer) {
				hanging.add(response);
				return;
			}

			if ('stream' in answer) {
				// A body far larger than any client limit, sent without a Content-Length.
				response.writeHead(200, {'Content-Type': 'text/xml'});
				const block = '<a>' + 'x'.repeat(8192) + '</a>';
				let sent = 0;
				const pump = (): void => {
					while (sent < answer.stream && response.write(block)) sent += block.length;
					if (sent >= answer.stream) response.end();
				};

				response.on('drain', pump);
				response.on('error', () => undefined);
				pump();
				return;
			}

			response.writeHead(answer.status, {'Content-Type': 'text/xml; charset="utf-8"'});
			response.end(answer.body);
		});
	});
	await new Promise<void>(resolve => server.listen(0, options.address, resolve));
	const httpPort = (server.address() as AddressInfo).port;
	const location = `http://${options.address}:${httpPort}/rootDesc.xml`;
	pmp.on('message', (packet, from) => {
		pmpRequests.push(packet);
		const replies = options.pmp?.(packet);
		for (const reply of replies === undefined ? [] : Array.isArray(replies) ? replies : [replies]) {
			pmp.send(reply, from.port, from.address);
		}
	});
	ssdp.on('message', (packet, from) => {
		ssdpRequests.push(packet.toString('latin1'));
		const reply = options.ssdp?.(location);
		if (reply !== undefined) ssdp.send(Buffer.from(reply, 'latin1'), from.port, from.address);
	});
	return {
		address: options.address,
		pmpPort: pmp.address().port,
		ssdpPort: ssdp.address().port,
		httpPort,
		location,
		pmpRequests,
		ssdpRequests,
		httpRequests,
		async close() {
			pmp.close();
			ssdp.close();
			for (const response of hanging) response.destroy();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}
