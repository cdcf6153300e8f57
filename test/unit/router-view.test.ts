// The router view against a fake router on 127.0.0.x answering with recorded miniupnpd replies,
// refusals, malformed, huge and slow ones. No root needed.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {readRouterView} from '../../source/router/router-view.js';
import type {RouterViewOptions} from '../../source/router/router-view.js';
import {hairpinTest} from '../../source/router/hairpin.js';
import {traceFirstHops} from '../../source/router/hops.js';
import {runNetworkCheck} from '../../source/router/network-check.js';
import {realRouterEnvironment} from '../../source/router/router-environment.js';
import {startFakeRouter} from '../support/fake-router.js';
import type {FakeRouter, FakeRouterOptions, HttpAnswer} from '../support/fake-router.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/router/${name}`, import.meta.url), 'utf8');
const ADDRESS = '127.0.0.33';
const NAT_PMP_REPLY = Buffer.from('00800000000006bf0b16212c', 'hex');
const PCP_ANNOUNCE_REPLY = Buffer.from('0280000000000000000006bf000000000000000000000000', 'hex');

const ssdpReply = (location: string): string =>
	fixture('miniupnpd-ssdp-reply.txt').replace('http://192.168.77.1:5000/rootDesc.xml', location);

const entry = (port: number, host: string, description: string): string =>
	fixture('miniupnpd-mapping-entry-0.xml')
		.replaceAll('5060', String(port))
		.replace('192.168.77.10', host)
		.replace('NAT-PMP 5060 udp', description);

/** A miniupnpd-like UPnP side listing `entries`, then fault 713. */
const igd =
	(entries: string[], external = '11.22.33.44') =>
	(path: string, soapAction: string, body: string): HttpAnswer => {
		if (path === '/rootDesc.xml') return {status: 200, body: fixture('miniupnpd-rootDesc.xml')};
		if (soapAction.endsWith('#GetExternalIPAddress"')) {
			return {status: 200, body: fixture('miniupnpd-get-external-ip.xml').replace('11.22.33.44', external)};
		}

		const index = Number(/<NewPortMappingIndex>(\d+)</.exec(body)?.[1]);
		const found = entries[index];
		return found === undefined ? {status: 500, body: fixture('miniupnpd-mapping-fault-713.xml')} : {status: 200, body: found};
	};

/** Both PMP and PCP the way miniupnpd answers them at the edge. */
const pmpAtEdge = (request: Buffer): Buffer | undefined =>
	request[0] === 0 ? NAT_PMP_REPLY : request[0] === 2 ? PCP_ANNOUNCE_REPLY : undefined;

async function withRouter(
	options: Omit<FakeRouterOptions, 'address'>,
	run: (router: FakeRouter, view: RouterViewOptions) => Promise<void>,
): Promise<void> {
	const router = await startFakeRouter({address: ADDRESS, ...options});
	try {
		await run(router, {
			gateway: ADDRESS,
			localAddress: '127.0.0.1',
			pmpPort: router.pmpPort,
			ssdpTargets: [{address: ADDRESS, port: router.ssdpPort}],
			timeoutMs: 600,
			localBind: '127.0.0.1',
		});
	} finally {
		await router.close();
	}
}

test('an edge router: all three protocols answer, WAN 11.22.33.44, the mapping list read until 713', async () => {
	const entries = [
		entry(5060, '192.168.77.10', 'NAT-PMP 5060 udp'),
		entry(9500, '192.168.77.50', 'libminiupnpc'),
		entry(9000, '192.168.77.10', 'libminiupnpc'),
	];
	await withRouter({pmp: pmpAtEdge, ssdp: ssdpReply, http: igd(entries)}, async (router, options) => {
		const view = await readRouterView(options);
		assert.equal(view.gateway, ADDRESS);
		assert.equal(view.wanAddress, '11.22.33.44');
		assert.equal(view.wanSource, 'nat-pmp');
		assert.deepEqual(view.answered, ['nat-pmp', 'pcp', 'upnp']);
		assert.deepEqual(
			view.mappings?.map(m => `${m.protocol} ${m.externalPort}->${m.internalHost}:${m.internalPort}`),
			['UDP 5060->192.168.77.10:5060', 'UDP 9500->192.168.77.50:9500', 'UDP 9000->192.168.77.10:9000'],
		);
		assert.deepEqual(view.notes, []);
		// Read-only: only the two questions on 5351 (plus resends), and no SOAP action that writes.
		assert.ok(router.pmpRequests.every(p => (p[0] === 0 && p[1] === 0) || (p[0] === 2 && p[1] === 0)));
		const actions = new Set(router.httpRequests.map(r => r.soapAction.split('#')[1]?.replace('"', '')).filter(Boolean));
		assert.deepEqual([...actions].sort(), ['GetExternalIPAddress', 'GetGenericPortMappingEntry']);
		assert.equal(router.httpRequests.filter(r => r.soapAction.includes('GetGenericPortMappingEntry')).length, 4);
	});
});

test('behind a second NAT: NAT-PMP refuses (result 3), UPnP reports an empty address, --router-probe-map learns the WAN from PCP', async () => {
	let mapRequests = 0;
	const pmp = (request: Buffer): Buffer | undefined => {
		if (request[0] === 0) return Buffer.from('008000030000001000000000', 'hex');
		if (request[1] === 0) return PCP_ANNOUNCE_REPLY;
		mapRequests++;
		const reply = Buffer.alloc(60);
		request.copy(reply, 0, 0, 60);
		reply.writeUInt8(0x81, 1);
		reply.writeUInt8(8, 3); // NO_RESOURCES, with the real WAN address in the address field
		Buffer.from('00000000000000000000ffffc0a80102', 'hex').copy(reply, 44);
		return reply;
	};

	await withRouter({pmp, ssdp: ssdpReply, http: igd([], '')}, async (_router, options) => {
		const plain = await readRouterView(options);
		assert.equal(plain.wanAddress, undefined);
		assert.equal(mapRequests, 0, 'no MAP without --router-probe-map');
		assert.ok(plain.notes.some(note => /NAT-PMP answered without a public address \(network failure\)/.test(note)));
		assert.ok(plain.notes.includes('UPnP: the router reports no external address'));
		assert.deepEqual(plain.mappings, []);

		const probed = await readRouterView({...options, probeMap: {internalPort: 61_234}});
		assert.equal(probed.wanAddress, '192.168.1.2');
		assert.equal(probed.wanSource, 'pcp-map');
		assert.equal(mapRequests, 1, 'refused: nothing to delete');
		assert.ok(probed.notes.includes('PCP MAP probe: NO_RESOURCES'));
	});
});

test('--router-probe-map deletes a mapping the router granted, with the same nonce', async () => {
	const maps: Buffer[] = [];
	const pmp = (request: Buffer): Buffer | undefined => {
		if (request[0] === 0) return NAT_PMP_REPLY;
		if (request[1] === 0) return PCP_ANNOUNCE_REPLY;
		maps.push(request);
		const reply = Buffer.alloc(60);
		request.copy(reply, 0, 0, 60);
		reply.writeUInt8(0x81, 1);
		Buffer.from('00000000000000000000ffff0b16212c', 'hex').copy(reply, 44);
		return reply;
	};

	await withRouter({pmp}, async (_router, options) => {
		const view = await readRouterView({...options, probeMap: {internalPort: 61_235, lifetimeSeconds: 20}});
		assert.equal(maps.length, 2);
		assert.equal(maps[0]!.readUInt32BE(4), 20);
		assert.equal(maps[1]!.readUInt32BE(4), 0, 'the second MAP deletes');
		assert.ok(maps[0]!.subarray(24, 36).equals(maps[1]!.subarray(24, 36)));
		assert.ok(view.notes.includes('PCP MAP probe: mapping deleted'));
	});
});

test('a router that answers nothing: a plain view with no protocols, within the bounds', async () => {
	await withRouter({}, async (router, options) => {
		const view = await readRouterView(options);
		assert.deepEqual(view.answered, []);
		assert.equal(view.wanAddress, undefined);
		assert.equal(view.mappings, undefined);
		assert.ok(router.pmpRequests.length >= 2, 'NAT-PMP was asked again before giving up');
	});
});

test('malformed and foreign replies are ignored; a NAT-PMP-only router answers PCP with "unsupported version"', async () => {
	const pmp = (request: Buffer): Buffer[] =>
		request[0] === 0 ? [Buffer.from('ff'), Buffer.alloc(1100, 0xff), NAT_PMP_REPLY] : [Buffer.from('0080000100000001', 'hex')];
	await withRouter(
		{pmp, ssdp: () => 'HTTP/1.1 200 OK\r\nLOCATION: http://203.0.113.9:1/x.xml\r\n\r\n'},
		async (router, options) => {
			const view = await readRouterView(options);
			assert.equal(view.wanAddress, '11.22.33.44');
			assert.deepEqual(view.answered, ['nat-pmp']);
			assert.ok(view.notes.some(note => note.includes('pointing at another host')));
			assert.equal(router.httpRequests.length, 0, 'a LOCATION on another host is never fetched');
		},
	);
});

test('UPnP descriptions that are huge, hostile or slow, and SOAP that hangs: bounded notes, no throw', async () => {
	const cases: Array<[string, (path: string, action: string, body: string) => HttpAnswer, RegExp]> = [
		['huge', () => ({stream: 1024 * 1024}), /larger than/],
		['entity', () => ({status: 200, body: '<!DOCTYPE r [<!ENTITY a "aaaa">]><root>&a;</root>'}), /no WAN connection service/],
		['slow', () => ({hang: true}), /no reply within/],
		['404', () => ({status: 404, body: ''}), /HTTP 404/],
	];
	for (const [name, http, expected] of cases) {
		await withRouter({ssdp: ssdpReply, http}, async (_router, options) => {
			const view = await readRouterView(options);
			assert.ok(
				view.notes.some(note => expected.test(note)),
				`${name}: ${view.notes.join(' | ')}`,
			);
			assert.deepEqual(view.answered, [], name);
		});
	}
});

test('a mapping list that hangs midway keeps what it read and says where it stopped', async () => {
	const entries = [entry(9000, '192.168.77.10', 'a')];
	const http = (path: string, action: string, body: string): HttpAnswer =>
		body.includes('<NewPortMappingIndex>1<') ? {hang: true} : igd(entries)(path, action, body);
	await withRouter({ssdp: ssdpReply, http}, async (_router, options) => {
		const view = await readRouterView({...options, listDeadlineMs: 1500});
		assert.equal(view.mappings?.length, 1);
		assert.ok(view.notes.some(note => note.startsWith('UPnP mapping list: stopped at entry 1')));
	});
});

test('hairpin: a packet to an address that loops back passes; one that goes nowhere fails within its bound', async () => {
	const port = 40_000 + (process.pid % 20_000);
	assert.equal((await hairpinTest({publicAddress: '127.0.0.1', port, localBind: '127.0.0.1', timeoutMs: 800})).result, 'pass');
	// Listening on 127.0.0.1 while sending to 127.0.0.34: nothing comes back, like a router without hairpin NAT.
	const failed = await hairpinTest({publicAddress: '127.0.0.34', port, localBind: '127.0.0.1', timeoutMs: 400, intervalMs: 100});
	assert.equal(failed.result, 'fail');
	assert.match(failed.detail, /none came back/);
});

test('hop trace: a missing tool is a note; tracepath runs line-buffered with a deadline and stops once hop 2 answers', async () => {
	const calls: Array<[string, string[], number]> = [];
	const notRun = async (): Promise<never> => Promise.reject(new Error('not run'));
	const missing = await traceFirstHops({target: '11.22.33.10'}, {platform: 'linux', installed: () => false, run: notRun});
	assert.deepEqual(missing, {hops: [], note: 'tracepath is not installed'});
	let stopped = '';
	const linux = await traceFirstHops(
		{target: '11.22.33.10'},
		{
			platform: 'linux',
			installed: () => true,
			run: async (file, args, {timeoutMs, stopWhen}) => {
				calls.push([file, args, timeoutMs]);
				// Feed the recorded output line by line, as tracepath prints it, until told to stop.
				let stdout = '';
				for (const line of fixture('tracepath-double-nat.txt').split('\n')) {
					stdout += line + '\n';
					if (stopWhen(stdout)) {
						stopped = line;
						break;
					}
				}

				return {stdout, failed: false, notFound: false};
			},
		},
	);
	assert.deepEqual(calls[0], ['stdbuf', ['-oL', 'tracepath', '-n', '-m', '3', '11.22.33.10'], 8000]);
	assert.match(stopped, /^ 2: {2}192\.168\.1\.1/);
	assert.deepEqual(linux, {hops: ['192.168.77.1', '192.168.1.1']});
	const windows = await traceFirstHops(
		{target: '11.22.33.10'},
		{
			platform: 'win32',
			installed: bin => bin === 'tracert.exe',
			run: async (_file, _args, {stopWhen}) => {
				const stdout = fixture('tracert-cgnat.txt');
				assert.equal(stopWhen(stdout), true);
				return {stdout, failed: false, notFound: false};
			},
		},
	);
	assert.deepEqual(windows, {hops: ['192.168.77.1', '*', '100.64.0.1']});
});

test('network check: router view and trace in parallel; a mapped address that never comes is waited for only so long', async () => {
	await withRouter({pmp: pmpAtEdge}, async (_router, options) => {
		const trace = async () => ({stdout: fixture('tracepath-double-nat.txt'), failed: false, notFound: false});
		const never = new Promise<string | undefined>(() => undefined);
		const check = await runNetworkCheck(
			{
				target: Promise.resolve('11.22.33.10'),
				mappedAddress: never,
				mappedWaitMs: 200,
				router: options,
			},
			{...realRouterEnvironment, platform: 'linux', run: trace, installed: () => true},
		);
		assert.equal(check.router.wanAddress, '11.22.33.44');
		assert.deepEqual(check.trace.hops, ['192.168.77.1', '192.168.1.1', '11.22.33.10']);
		assert.equal(check.path.verdict, 'double-nat', 'the path wins over the public address the router reports');
		assert.equal(check.localAddress, '127.0.0.1');
	});
});
