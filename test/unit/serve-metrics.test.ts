// `fwcheck serve --metrics`: the server's counters at GET /metrics, on the address given only, in
// the text format promtool accepts; on loopback.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {once} from 'node:events';
import process from 'node:process';
import {execa} from 'execa';
import {parseInvocation} from '../../source/cli/invocation.js';
import {metricsAddress} from '../../source/cli/serve-flags.js';
import {startMetricsEndpoint} from '../../source/server/metrics-endpoint.js';
import {serverMetricsText} from '../../source/server/metrics-text.js';
import {Method, encodeMessage} from '../../source/stun/index.js';
import {PRIMARY, bindSocket, startOnFreePorts} from '../interop/support.js';

const sample = (text: string, series: string): number | undefined => {
	const line = text.split('\n').find(each => each.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('--metrics takes an IP address and a port, nothing else', () => {
	assert.deepEqual(metricsAddress('127.0.0.1:9478'), {host: '127.0.0.1', port: 9478});
	assert.deepEqual(metricsAddress('[::1]:9478'), {host: '::1', port: 9478});
	for (const bad of ['localhost:9478', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', ':9478', '::1:9478', '999.1.1.1:80']) {
		assert.equal(metricsAddress(bad), undefined, bad);
	}

	assert.throws(
		() => parseInvocation(['serve', '--primary', '127.0.0.1', '--metrics', 'localhost:9478']),
		/--metrics localhost:9478: give an address and a port/,
	);
	const serve = parseInvocation(['serve', '--primary', '127.0.0.1', '--metrics', '127.0.0.1:9478']);
	assert.ok(serve.command === 'serve');
	assert.equal(serve.flags.metrics, '127.0.0.1:9478');
	assert.throws(() => parseInvocation(['--stun', '127.0.0.1', '--metrics', '127.0.0.1:9478']), /unknown option --metrics/);
});

test('GET /metrics counts what the server answered and dropped; other paths are 404; promtool accepts it', async () => {
	const server = await startOnFreePorts({primary: PRIMARY, log: () => undefined});
	const endpoint = await startMetricsEndpoint(PRIMARY, 0, () => serverMetricsText(server.stats(), server.serviceStats()));
	const client = await bindSocket();
	try {
		const stunPort = server.addresses[0]!.port;
		const request = encodeMessage({
			method: Method.binding,
			messageClass: 'request',
			transactionId: Buffer.alloc(12, 7),
			attributes: [],
		});
		const answered = once(client, 'message');
		client.send(request, stunPort, PRIMARY);
		await answered;
		client.send(Buffer.from('not stun at all'), stunPort, PRIMARY);
		// The garbage has no reply to wait for: poll the counters, bounded.
		for (let attempt = 0; attempt < 100 && server.stats().droppedMalformed === 0; attempt++) {
			await new Promise(resolve => setImmediate(resolve));
		}

		const url = `http://${PRIMARY}:${endpoint.port}`;
		const response = await fetch(`${url}/metrics`);
		assert.equal(response.status, 200);
		assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
		const text = await response.text();
		assert.equal(sample(text, 'fwcheck_serve_stun_answered_total{kind="rfc8489"}'), 1);
		assert.equal(sample(text, 'fwcheck_serve_stun_dropped_total{reason="malformed"}'), 1);
		assert.equal(sample(text, 'fwcheck_serve_rate_limited_total{service="stun"}'), 0);
		assert.equal((await fetch(`${url}/`)).status, 404);
		assert.equal((await fetch(`${url}/metrics`, {method: 'POST'})).status, 404);
		const promtool = await execa('promtool', ['check', 'metrics'], {input: text, reject: false});
		if (promtool.exitCode === undefined || (promtool.failed && promtool.code === 'ENOENT')) {
			assert.ok(process.env.CI !== 'true', 'promtool is missing (Debian package prometheus)');
		} else {
			assert.equal(promtool.exitCode, 0, promtool.stdout + promtool.stderr);
		}
	} finally {
		client.close();
		await endpoint.close();
		await server.close();
	}
});
