// Real STUN clients from Debian against our server and against the reference servers, all on
// 127.0.0.1 / 127.0.0.2. On loopback there is no NAT, so every client should see an open,
// endpoint-independent path; what matters is that each client reads the same from our server
// as from the reference one.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import type {StunServer} from '../../source/server/index.js';
import {type AttributeInput, findAttribute} from '../../source/stun/index.js';
import {type ReferenceServer, startReference} from './references.js';
import {type BuiltTool, buildPionNatBehaviour, pionMissing} from './pion-nat-behaviour.js';
import {
	ALTERNATE,
	PRIMARY,
	bindSocket,
	bindingRequest,
	closeSocket,
	exchange,
	findCommand,
	runClient,
	startOnFreePorts,
} from './support.js';

const running: Array<{stop(): Promise<void>}> = [];
after(async () => {
	await Promise.all(running.map(async server => server.stop()));
});

const ours = async (alternate?: string): Promise<StunServer> => {
	const server = await startOnFreePorts({primary: PRIMARY, alternate});
	running.push({stop: async () => server.close()});
	return server;
};

const reference = async (kind: Parameters<typeof startReference>[0]): Promise<ReferenceServer> => {
	const server = await startReference(kind);
	running.push(server);
	return server;
};

// Debian packages stun-client, stund and coturn, and Go with pion's STUN library. Without them
// these tests skip, saying which is missing; under CI=true a missing one fails the run instead.
const missing = ['stun', 'stund', 'turnserver', 'turnutils_stunclient', 'turnutils_natdiscovery'].filter(
	name => !findCommand(name),
);
const skip = missing.length > 0 ? `not installed: ${missing.join(', ')} (apt-get install stun-client stund coturn)` : false;
const missingPion = pionMissing();
const skipPion = skip || (missingPion.length > 0 ? `not installed: ${missingPion.join(', ')}` : false);

test('every reference client and server is installed (required under CI=true)', {skip: process.env.CI !== 'true'}, () => {
	assert.deepEqual(
		[...missing, ...missingPion],
		[],
		'apt-get install stun-client stun-server coturn golang-go golang-github-pion-stun-dev',
	);
});

let oursTwo: StunServer;
let oursSingle: StunServer;
let stund: ReferenceServer;
let coturn: ReferenceServer;
let coturnSingle: ReferenceServer;
let pion: BuiltTool | undefined;
before(async () => {
	if (skip) {
		return;
	}

	if (!skipPion) {
		// Built once for the whole file; a failed build fails the pion tests, it does not skip them.
		pion = await buildPionNatBehaviour();
		running.push({stop: async () => pion?.remove()});
	}

	oursTwo = await ours(ALTERNATE);
	oursSingle = await ours();
	stund = await reference('stund');
	coturn = await reference('coturn');
	coturnSingle = await reference('coturn-single');
});

const portOf = (server: StunServer | ReferenceServer): number =>
	'addresses' in server ? server.addresses[0]!.port : server.port;

/** Name ports by role so outputs from servers on different ports compare: P, AP, or * (a client port). */
const normalize = (output: string, port: number): string[] =>
	output
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '')
		.map(line =>
			line.replaceAll(/(\d+\.\d+\.\d+\.\d+):(\d+)/g, (_match, ip: string, found: string) => {
				const role = Number(found) === port ? 'P' : Number(found) === port + 1 ? 'AP' : '*';
				return `${ip}:${role}`;
			}),
		);

const run = async (server: StunServer | ReferenceServer, file: string, args: (port: number) => string[], timeoutMs = 20_000) => {
	const port = portOf(server);
	const result = await runClient(findCommand(file) ?? file, args(port), timeoutMs);
	return {...result, lines: normalize(result.output, port)};
};

/** Debian's `stun` (Vovida 0.97, RFC 3489): its verdict lines. */
const stunVerdict = (lines: string[]) => lines.filter(line => /^(Primary:|Return value is)/.test(line));

test('Debian `stun` (RFC 3489 client) classifies our server as it does stund and coturn: Open', {skip}, async t => {
	const verdicts = new Map<string, string[]>();
	for (const [name, server] of [
		['ours', oursTwo],
		['stund', stund],
		['coturn', coturn],
	] as const) {
		const result = await run(server, 'stun', port => [`${PRIMARY}:${port}`]);
		assert.equal(result.timedOut, false, `${name}: stun finished`);
		verdicts.set(name, stunVerdict(result.lines));
	}

	t.diagnostic(`stun verdicts: ${JSON.stringify(Object.fromEntries(verdicts))}`);
	assert.deepEqual(verdicts.get('ours'), ['Primary: Open', 'Return value is 0x000001']);
	assert.deepEqual(verdicts.get('ours'), verdicts.get('stund'));
	assert.deepEqual(verdicts.get('ours'), verdicts.get('coturn'));
});

/** turnutils_stunclient: per RFC 5780 response, where it came from and the OTHER-ADDRESS it named. */
const stunclientView = (lines: string[]) =>
	lines.filter(line => /RFC 5780 response|Response origin|Other addr|UDP reflexive addr|error|not a/.test(line));

test(
	'turnutils_stunclient reads the same from our server as from coturn (plain, RESPONSE-PORT + change both, PADDING + change both)',
	{skip},
	async t => {
		// It waits forever for a reply that does not come, hence the timeout; both servers answer all three.
		const mine = await run(oursTwo, 'turnutils_stunclient', port => ['-p', String(port), PRIMARY], 10_000);
		const theirs = await run(coturn, 'turnutils_stunclient', port => ['-p', String(port), PRIMARY], 10_000);
		t.diagnostic(`turnutils_stunclient, ours: ${JSON.stringify(stunclientView(mine.lines))}`);
		assert.equal(mine.timedOut, false);
		assert.equal(theirs.timedOut, false);
		assert.deepEqual(stunclientView(mine.lines), stunclientView(theirs.lines));
		assert.equal(mine.lines.filter(line => line.startsWith('RFC 5780 response')).length, 3);
		assert.ok(mine.lines.some(line => line.endsWith(`Response origin: : ${ALTERNATE}:AP`)));
	},
);

/** turnutils_natdiscovery: section headers and conclusions (not the per-response detail). */
const natVerdict = (lines: string[]) =>
	lines.filter(line =>
		/^(-= .* =-|NAT with|No NAT!|Received a request|STUN receive timeout|The response is|Not received)/.test(line),
	);

// The last runs every test the tool has but collision (which needs a second local address):
// mapping, filtering, mapping lifetime (one second apart), hairpinning, all padded to 1500 bytes.
for (const flags of [['-m'], ['-f'], ['-H'], ['-f', '-P'], ['-m', '-L', PRIMARY], ['-m', '-f', '-t', '-T', '1', '-H', '-P']]) {
	test(`turnutils_natdiscovery ${flags.join(' ')}: same conclusions from our server as from coturn`, {skip}, async t => {
		const mine = await run(oursTwo, 'turnutils_natdiscovery', port => [...flags, '-p', String(port), PRIMARY]);
		const theirs = await run(coturn, 'turnutils_natdiscovery', port => [...flags, '-p', String(port), PRIMARY]);
		t.diagnostic(`natdiscovery ${flags.join(' ')}, ours: ${JSON.stringify(natVerdict(mine.lines))}`);
		assert.equal(mine.timedOut, false);
		assert.ok(natVerdict(mine.lines).length > 1, 'a conclusion was printed');
		assert.deepEqual(natVerdict(mine.lines), natVerdict(theirs.lines));
	});
}

test('turnutils_natdiscovery -m: our OTHER-ADDRESS follows RFC 5780 from the alternate IP too', {skip}, async () => {
	// The second request goes to B:P; the corner opposite to it is A:AP (coturn names B:AP here).
	const mine = await run(oursTwo, 'turnutils_natdiscovery', port => ['-m', '-p', String(port), PRIMARY]);
	const others = mine.lines.filter(line => line.includes('Other addr'));
	assert.deepEqual(others, [`0: : IPv4. Other addr: : ${ALTERNATE}:AP`, `0: : IPv4. Other addr: : ${PRIMARY}:AP`]);
});

test('single address: our server and single-address coturn read alike (no RFC 5780 results)', {skip}, async t => {
	for (const [file, args] of [
		['turnutils_stunclient', (port: number) => ['-p', String(port), PRIMARY]],
		['turnutils_natdiscovery', (port: number) => ['-m', '-f', '-p', String(port), PRIMARY]],
	] as const) {
		const mine = await run(oursSingle, file, args);
		const theirs = await run(coturnSingle, file, args);
		assert.equal(mine.timedOut, false);
		const view = (lines: string[]) => lines.filter(line => !line.includes('Local addr'));
		t.diagnostic(`${file}, ours (single): ${JSON.stringify(view(mine.lines))}`);
		assert.deepEqual(view(mine.lines), view(theirs.lines));
		assert.ok(!mine.lines.some(line => line.includes('RFC 5780 response')));
	}
});

test(
	'single address, Debian `stun`: it says Open for our server as for coturn, though ours refused the change with 420',
	{skip},
	async t => {
		// That client counts any reply to Test II as a pass, error responses included; coturn answers
		// the change from its primary. Neither verdict is real: fwcheck checks the class and the source.
		const before = oursSingle.stats().unknownAttribute420;
		const mine = stunVerdict((await run(oursSingle, 'stun', port => [`${PRIMARY}:${port}`])).lines);
		const theirs = stunVerdict((await run(coturnSingle, 'stun', port => [`${PRIMARY}:${port}`])).lines);
		t.diagnostic(`stun, single address: ours ${JSON.stringify(mine)}, coturn ${JSON.stringify(theirs)}`);
		assert.deepEqual(mine, theirs);
		assert.ok(oursSingle.stats().unknownAttribute420 > before);
	},
);

/** Class, error code and UNKNOWN-ATTRIBUTES of the answer to one request, or 'nothing'. */
const answerTo = async (server: StunServer | ReferenceServer, attributes: AttributeInput[]): Promise<string> => {
	const socket = await bindSocket(PRIMARY);
	try {
		const answer = await exchange(socket, {address: PRIMARY, port: portOf(server)}, bindingRequest(attributes), {tries: 2});
		if (!answer) {
			return 'nothing';
		}

		const {message} = answer;
		return `${message.messageClass} ${findAttribute(message, 'error-code')?.code ?? ''} ${findAttribute(message, 'unknown-attributes')?.types.join(',') ?? ''}`;
	} finally {
		await closeSocket(socket);
	}
};

test('odd values and large requests: our server answers as coturn does where RFC 8489 leaves no choice', {skip}, async t => {
	const raw = (type: number, length: number): AttributeInput => ({kind: 'other', type, value: Buffer.alloc(length)});
	// Unknown comprehension-required types get 420 whatever their value; optional ones are ignored.
	// (coturn also ignores a CHANGE-REQUEST of the wrong size, where ours answers 400.)
	const cases: Array<[string, AttributeInput[]]> = [
		['MAPPED-ADDRESS of 4 bytes', [raw(0x00_01, 4)]],
		['SOURCE-ADDRESS of 4 bytes', [raw(0x00_04, 4)]],
		['CHANGED-ADDRESS of 4 bytes', [raw(0x00_05, 4)]],
		['XOR-MAPPED-ADDRESS of 4 bytes', [raw(0x00_20, 4)]],
		['ERROR-CODE of 2 bytes', [raw(0x00_09, 2)]],
		['UNKNOWN-ATTRIBUTES of 3 bytes', [raw(0x00_0a, 3)]],
		['0x8020 of 4 bytes', [raw(0x80_20, 4)]],
		['RESPONSE-ORIGIN of 4 bytes', [raw(0x80_2b, 4)]],
		['OTHER-ADDRESS of 4 bytes', [raw(0x80_2c, 4)]],
		['PADDING of 8000 bytes', [raw(0x00_26, 8000)]],
	];
	for (const [name, attributes] of cases) {
		const mine = await answerTo(oursTwo, attributes);
		t.diagnostic(`${name}: ${mine}`);
		assert.notEqual(mine, 'nothing', name);
		assert.equal(mine, await answerTo(coturn, attributes), name);
	}
});

/** pion's stun-nat-behaviour: what it sent, where answers came from, its conclusions; no timestamps or reply sizes. */
const pionView = (lines: string[]) =>
	lines
		.map(line => line.replace(/^[A-Z]+:\s+\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\s+/, '').replace(/: \(\d+ bytes\)$/, ''))
		.filter(line => !line.startsWith('Local address'));

const runPion = async (server: StunServer | ReferenceServer) => {
	assert.ok(pion, 'stun-nat-behaviour was built');
	// Always a loopback -server: its default is a public server. One second per unanswered test.
	return run(server, pion.file, port => ['-server', `${PRIMARY}:${port}`, '-timeout', '1']);
};

test(
	'pion stun-nat-behaviour (RFC 5780 mapping and filtering): same from our server as from coturn',
	{skip: skipPion},
	async t => {
		t.diagnostic(`built in ${pion?.buildMs} ms`);
		const mine = await runPion(oursTwo);
		const theirs = await runPion(coturn);
		t.diagnostic(`stun-nat-behaviour, ours: ${JSON.stringify(pionView(mine.lines))}`);
		assert.equal(mine.timedOut, false);
		assert.equal(mine.exitCode, 0);
		const view = pionView(mine.lines);
		assert.ok(view.includes('=> NAT mapping behavior: endpoint independent'), 'mapping concluded');
		assert.ok(view.includes('=> NAT filtering behavior: endpoint independent'), 'filtering concluded');
		assert.ok(view.includes(`Response from ${ALTERNATE}:AP`), 'the change-both answer came from the other corner');
		assert.deepEqual(view, pionView(theirs.lines));
	},
);

test(
	'pion stun-nat-behaviour, single address: inconclusive from our server as from coturn (no OTHER-ADDRESS)',
	{skip: skipPion},
	async t => {
		const mine = pionView((await runPion(oursSingle)).lines);
		const theirs = pionView((await runPion(coturnSingle)).lines);
		t.diagnostic(`stun-nat-behaviour, ours (single): ${JSON.stringify(mine)}`);
		assert.ok(mine.includes('NAT mapping behavior: inconclusive'));
		assert.ok(mine.includes('NAT filtering behavior: inconclusive'));
		assert.deepEqual(mine, theirs);
	},
);
