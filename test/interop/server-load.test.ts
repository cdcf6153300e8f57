// A bounded flood on loopback: valid requests from many source IPs and ports, plus garbage and
// truncated datagrams, from a separate process. The server must keep answering, keep its source
// table within bounds and its memory roughly flat. No timing thresholds: only outcomes.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {setTimeout as delay} from 'node:timers/promises';
import type {StunServer} from '../../source/server/index.js';
import type {LoadOptions, LoadSummary} from './load-generator.js';
import {ALTERNATE, PRIMARY, bindSocket, bindingRequest, closeSocket, exchange, runClient, startOnFreePorts} from './support.js';

const generator = fileURLToPath(new URL('load-generator.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

let server: StunServer | undefined;
after(async () => {
	await server?.close();
});

const runGenerator = async (options: LoadOptions): Promise<LoadSummary> => {
	const result = await runClient(
		process.execPath,
		['--import', 'tsx', generator, JSON.stringify(options)],
		options.durationMs + 30_000,
		projectRoot,
	);
	assert.equal(result.timedOut, false, 'the generator finished');
	const last = result.output.trim().split('\n').at(-1) ?? '';
	return JSON.parse(last) as LoadSummary;
};

const MB = 1024 * 1024;

test('a 3 s flood (at most 200k datagrams) from 256 sources: still answering, table bounded, memory flat', async t => {
	server = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, maxSources: 64});
	const targets = server.addresses.map(({address, port}) => ({address, port}));
	const probe = await bindSocket('127.0.0.9');
	try {
		// Warm up first, so what the JIT and the buffers take once is not counted as growth.
		await runGenerator({mode: 'closed', targets, sources: 8, durationMs: 1000, maxPackets: 20_000, window: 8});
		await delay(200);
		const rssBefore = process.memoryUsage().rss;

		const summary = await runGenerator({mode: 'flood', targets, sources: 256, durationMs: 3000, maxPackets: 200_000});
		await delay(500);
		const stats = server.stats();
		const rssAfter = process.memoryUsage().rss;
		t.diagnostic(`flood: ${JSON.stringify(summary)}`);
		t.diagnostic(`server: ${JSON.stringify(stats)}`);
		t.diagnostic(`rss: ${Math.round(rssBefore / MB)} MB before, ${Math.round(rssAfter / MB)} MB after`);

		assert.ok(summary.sent > 0 && summary.sent <= 200_000);
		assert.ok(summary.sentByKind.garbage > 0 && summary.sentByKind.truncated > 0);
		assert.ok(stats.answered > 0, 'answered during the flood');
		assert.ok(stats.droppedMalformed > 0, 'garbage and truncated datagrams were dropped and counted');
		assert.ok(stats.sources <= 64, `source table bounded (${stats.sources})`);
		// Generous: the point is "no growth with traffic", not a tight memory figure.
		assert.ok(rssAfter - rssBefore < 150 * MB, `RSS grew by ${Math.round((rssAfter - rssBefore) / MB)} MB`);

		const reply = await exchange(probe, {address: PRIMARY, port: targets[0]!.port}, bindingRequest(), {waitMs: 250, tries: 20});
		assert.ok(reply, 'a probe after the flood is answered');
	} finally {
		await closeSocket(probe);
	}
});
