// Answers per second from `fwcheck serve`'s engine and from coturn (STUN only), both on
// 127.0.0.1 + 127.0.0.2 of this machine, driven by the same closed-loop load generator in its
// own process. Prints a Markdown table.
//   node --import tsx bench/serve-bench.ts [--seconds 5] [--sources 16] [--window 32]
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {ALTERNATE, PRIMARY, findCommand, runClient, startOnFreePorts} from '../test/interop/support.js';
import {startReference} from '../test/interop/references.js';
import type {LoadOptions, LoadSummary} from '../test/interop/load-generator.js';
import type {RateLimitOptions} from '../source/server/index.js';

const {values} = parseArgs({
	options: {
		seconds: {type: 'string', default: '5'},
		sources: {type: 'string', default: '16'},
		window: {type: 'string', default: '32'},
	},
});
const measureMs = Math.min(60, Number(values.seconds)) * 1000;
const warmupMs = 1000;
const sources = Number(values.sources);
const window = Number(values.window);

const generator = fileURLToPath(new URL('../test/interop/load-generator.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

const drive = async (targets: LoadOptions['targets']): Promise<LoadSummary> => {
	const options: LoadOptions = {
		mode: 'closed',
		targets,
		sources,
		window,
		durationMs: warmupMs + measureMs,
		warmupMs,
		maxPackets: 1_000_000,
	};
	const result = await runClient(
		process.execPath,
		['--import', 'tsx', generator, JSON.stringify(options)],
		options.durationMs + 30_000,
		projectRoot,
	);
	const last = result.output.trim().split('\n').at(-1) ?? '';
	try {
		return JSON.parse(last) as LoadSummary;
	} catch {
		throw new Error(`load generator failed: ${result.output.slice(-500)}`);
	}
};

// The primary socket only: a plain Binding load, what most clients send.
const benchOurs = async (rateLimit?: RateLimitOptions): Promise<LoadSummary> => {
	const server = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, rateLimit});
	try {
		return await drive([{address: PRIMARY, port: server.addresses[0]!.port}]);
	} finally {
		await server.close();
	}
};

const benchCoturn = async (): Promise<LoadSummary> => {
	const server = await startReference('coturn');
	try {
		return await drive([{address: PRIMARY, port: server.port}]);
	} finally {
		await server.stop();
	}
};

const unlimited: RateLimitOptions = {perSourceBurst: 1e9, perSourcePerSecond: 1e9, totalBurst: 1e9, totalPerSecond: 1e9};
const rows: Array<[string, LoadSummary | undefined]> = [
	['fwcheck serve, default limits', await benchOurs()],
	['fwcheck serve, limits raised (limiter still in the path)', await benchOurs(unlimited)],
	['coturn `turnserver --stun-only`', findCommand('turnserver') ? await benchCoturn() : undefined],
];

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
	`Loopback, ${os.cpus().length} × ${cpu}, Node ${process.version}; closed loop: ${sources} sources × ${window} requests in flight, ${warmupMs / 1000} s warm-up, ${measureMs / 1000} s measured.\n`,
);
console.log('| server | requests sent | answered / s | answered / sent |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, summary] of rows) {
	if (!summary) {
		console.log(`| ${name} | not installed | | |`);
		continue;
	}

	const ratio = summary.sent === 0 ? 0 : summary.replies / summary.sent;
	console.log(`| ${name} | ${summary.sent} | ${summary.repliesPerSecond} | ${(100 * ratio).toFixed(1)} % |`);
}
