// A bounded HTTP/1.1 exchange with a LAN device (UPnP description and SOAP): plain http only,
// one overall deadline, and the body cut off (the request failed) past maxBytes. Never throws.
import http from 'node:http';

export interface HttpRequestOptions {
	url: URL;
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: string;
	timeoutMs: number;
	maxBytes: number;
}

export type HttpResult = {ok: true; status: number; body: string} | {ok: false; error: string};

export async function httpRequest(options: HttpRequestOptions): Promise<HttpResult> {
	if (options.url.protocol !== 'http:') return {ok: false, error: `not plain http: ${options.url.protocol}`};
	return new Promise(resolve => {
		let settled = false;
		const finish = (result: HttpResult): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			request.destroy();
			resolve(result);
		};

		const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
		const request = http.request(
			options.url,
			{
				method: options.method ?? 'GET',
				agent: false,
				headers: {...options.headers, ...(body ? {'Content-Length': String(body.length)} : {}), Connection: 'close'},
			},
			response => {
				const chunks: Buffer[] = [];
				let size = 0;
				response.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > options.maxBytes) finish({ok: false, error: `reply larger than ${options.maxBytes} bytes`});
					else chunks.push(chunk);
				});
				response.on('end', () =>
					finish({ok: true, status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}),
				);
				response.on('error', error => finish({ok: false, error: error.message}));
			},
		);
		const timer = setTimeout(() => finish({ok: false, error: `no reply within ${options.timeoutMs} ms`}), options.timeoutMs);
		request.on('error', error => finish({ok: false, error: error.message}));
		request.end(body);
	});
}
