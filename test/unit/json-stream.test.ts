// `fwcheck --json` streamed port by port: the same bytes as the one-string document, in pieces,
// written only as fast as the reader takes them.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Writable} from 'node:stream';
import type {CheckReport} from '../../source/check/types.js';
import {writeChunks} from '../../source/cli/write-chunks.js';
import {jsonChunks, toJson} from '../../source/report/json.js';
import type {PathReport, RouterView} from '../../source/router/types.js';
import {makeReport, mixedCode, portResult, range} from '../ui/fixtures.js';
import {withAlg} from '../ui/service-fixtures.js';
import {pbxIp, simulate} from '../support/simulation.js';

const router: RouterView = {
	gateway: '192.168.1.1',
	wanAddress: '100.64.0.2',
	wanSource: 'pcp-map',
	answered: ['nat-pmp', 'pcp', 'upnp'],
	mappings: [{protocol: 'UDP', externalPort: 9001, internalHost: '192.168.1.50', internalPort: 9001, description: 'old pbx'}],
	notes: ['PCP MAP probe: NO_RESOURCES'],
};
const path: PathReport = {verdict: 'cgnat', hops: ['192.168.1.1', '100.64.0.1'], evidence: ['hop 2 is in 100.64.0.0/10']};

/** Text that looks like the document's own layout, inside strings: JSON escapes it, so it must not confuse the splice. */
const lookalike = 'odd "ports": [] and\n  "ports": [],\n\ttab, “quotes”, \u2028 and \\ backslash';

const reports: Array<[string, CheckReport]> = [
	['no ports', makeReport([])],
	['one port', makeReport([portResult(9000, 'ok')])],
	['every verdict, a busy port with its owner', makeReport(range(9490, 9810).map(port => portResult(port, mixedCode(port))))],
	[
		'demo, simulation, router, path, hairpin, services',
		makeReport([portResult(9000, 'ok'), portResult(9001, 'inbound-blocked')], {
			demo: 'a demo',
			simulation: 'made up',
			router,
			path,
			hairpin: 'fail',
			hairpinDetail: 'x',
			...withAlg,
		}),
	],
	[
		'strings that look like the layout',
		makeReport([portResult(9000, 'ok', {notes: [lookalike]}), portResult(9001, 'port-in-use')], {
			notes: [lookalike],
			message: lookalike,
		}),
	],
];

test('jsonChunks joins to exactly toJson, whatever the piece size', () => {
	for (const [name, report] of reports) {
		const whole = toJson(report);
		for (const size of [1, 200, 65_536]) {
			const chunks = [...jsonChunks(report, size)];
			assert.equal(chunks.join(''), whole, `${name}, pieces of ${size}`);
		}
	}
});

test('jsonChunks gives a large report in pieces, none much larger than asked', () => {
	const report = makeReport(range(9000, 10_999).map(port => portResult(port, mixedCode(port))));
	const chunks = [...jsonChunks(report, 4096)];
	assert.ok(chunks.length > 100, `${chunks.length} pieces`);
	// A piece ends after the port that takes it past the size: at most one port's text more.
	assert.ok(Math.max(...chunks.map(chunk => chunk.length)) < 4096 + 4096, 'no piece holds many ports past the size');
	assert.equal(chunks.join(''), toJson(report));
});

test("jsonChunks of the engine's own report (simulated network) equals toJson", async () => {
	const sim = await simulate({
		router: {forwards: [{from: 40_000, to: 40_039, host: pbxIp}], outboundBlocked: [[40_050, 40_054]]},
	});
	const {report} = await sim.run({ports: range(40_000, 40_059)});
	assert.ok(new Set(report.ports.map(port => port.code)).size >= 2, 'more than one verdict');
	assert.equal([...jsonChunks(report, 300)].join(''), toJson(report));
});

/** A reader that takes one piece at a time, a tick later, with room for one small piece only. */
const slowReader = () => {
	const received: string[] = [];
	let writesWhileFull = 0;
	const stream = new Writable({
		highWaterMark: 16,
		write(chunk: Buffer, _encoding, callback) {
			received.push(chunk.toString());
			setImmediate(callback);
		},
	});
	const write = stream.write.bind(stream);
	stream.write = ((chunk: string) => {
		if (stream.writableNeedDrain) {
			writesWhileFull++;
		}

		return write(chunk);
	}) as typeof stream.write;
	return {stream, received, writesWhileFull: () => writesWhileFull};
};

test('writeChunks waits for drain: nothing is written while the reader is full, and all arrives in order', async () => {
	const reader = slowReader();
	const report = reports[2]![1];
	await writeChunks(reader.stream, jsonChunks(report, 512));
	await new Promise<void>(resolve => {
		reader.stream.end(resolve);
	});
	assert.equal(reader.writesWhileFull(), 0);
	assert.equal(reader.received.join(''), toJson(report));
});

test('writeChunks makes the next piece only once the reader has room', async () => {
	const reader = slowReader();
	let made = 0;
	function* pieces(): Generator<string> {
		for (let index = 0; index < 20; index++) {
			made++;
			yield `piece ${index} of twenty, longer than the reader's room\n`;
		}
	}

	const writing = writeChunks(reader.stream, pieces());
	// The first piece fills the reader: the generator is not asked for the second until it drains.
	assert.equal(made, 1);
	await writing;
	assert.equal(made, 20);
	assert.equal(reader.received.length, 20);
});
