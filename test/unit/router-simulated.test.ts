// The router view, the hop trace, the path verdict and the hairpin test on the simulated network,
// in virtual time and without root: a gateway on the PBX's LAN answering NAT-PMP, PCP and UPnP
// (test/support/virtual-gateway.ts), edge, double NAT and carrier-grade NAT, hairpin NAT on and
// off, and a gateway that answers nothing. The loopback tests (router-view.test.ts) keep the real
// sockets and node:http honest; these cover the logic on every path.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withNetworkView} from '../../source/check/network-view.js';
import {sweep} from '../../source/check/sweep.js';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {SweepEvent} from '../../source/check/types.js';
import {hairpinTest} from '../../source/router/hairpin.js';
import {runNetworkCheck} from '../../source/router/network-check.js';
import {decodePcpRequest} from '../../source/router/pcp.js';
import {readRouterView} from '../../source/router/router-view.js';
import type {PathVerdict, RouterMapping} from '../../source/router/types.js';
import {gatewayIp, simulateRouterView, type Upstream} from '../support/router-simulation.js';
import {pbxIp, publicIp, range} from '../support/simulation.js';

const mapping = (externalPort: number, internalHost: string, description: string): RouterMapping => ({
	protocol: 'UDP',
	externalPort,
	internalHost,
	internalPort: externalPort,
	description,
});

const soapActions = (requests: Array<{soapAction: string}>): string[] =>
	requests.map(request => /#(\w+)"$/.exec(request.soapAction)?.[1] ?? 'GET');

test('an edge router on the LAN: NAT-PMP, PCP and UPnP answer at LAN speed; the gateway comes from the route table', async () => {
	const mappings = [mapping(5060, pbxIp, 'PBX & SIP <trunk>'), mapping(9000, '192.168.1.50', 'libminiupnpc')];
	const sim = await simulateRouterView({gateway: {mappings}});
	const view = await readRouterView({timeoutMs: 1000}, sim.routerEnvironment);
	assert.equal(view.gateway, gatewayIp);
	assert.equal(view.wanAddress, publicIp);
	assert.equal(view.wanSource, 'nat-pmp');
	assert.deepEqual(view.answered, ['nat-pmp', 'pcp', 'upnp']);
	assert.deepEqual(view.mappings, mappings);
	assert.deepEqual(view.notes, []);
	// Every answer came within LAN round trips: nothing waited for a timeout or resent.
	assert.ok(sim.network.clock.now() < 100, `took ${sim.network.clock.now()} virtual ms`);
	assert.equal(sim.gateway.pmpRequests.length, 2, 'one NAT-PMP question and one PCP ANNOUNCE');
	assert.equal(decodePcpRequest(sim.gateway.pmpRequests.find(packet => packet[0] === 2)!)?.clientAddress, pbxIp);
	// Read-only: the SOAP actions that read, the list asked until error 713 and no further.
	assert.deepEqual(soapActions(sim.gateway.httpRequests), [
		'GET',
		'GetExternalIPAddress',
		'GetGenericPortMappingEntry',
		'GetGenericPortMappingEntry',
		'GetGenericPortMappingEntry',
	]);
	assert.deepEqual(sim.leftOpen(), [], 'every socket of the view is closed');
});

test('a NAT-PMP-only router answers PCP with "unsupported version": one question each, no resends', async () => {
	const sim = await simulateRouterView({gateway: {pcp: false, upnp: false}});
	const view = await readRouterView({timeoutMs: 1000}, sim.routerEnvironment);
	assert.deepEqual(view.answered, ['nat-pmp']);
	assert.equal(view.wanAddress, publicIp);
	assert.deepEqual(
		sim.gateway.pmpRequests.map(packet => packet[0]),
		[0, 2],
		'the NAT-PMP answer to PCP ends that exchange at once',
	);
	assert.equal(sim.gateway.httpRequests.length, 0, 'no SSDP answer, so no UPnP request');
});

test('a gateway that answers nothing: resends on the virtual clock, an empty view exactly at the bound', async () => {
	const sim = await simulateRouterView({gateway: {natPmp: false, pcp: false, upnp: false}});
	const view = await readRouterView({timeoutMs: 1000}, sim.routerEnvironment);
	assert.deepEqual(view, {
		gateway: gatewayIp,
		wanAddress: undefined,
		wanSource: undefined,
		answered: [],
		mappings: undefined,
		notes: [],
	});
	assert.equal(sim.network.clock.now(), 1000, 'NAT-PMP, PCP and SSDP waited in parallel, each for its bound');
	// RFC 6886's schedule: sent at 0, 250 and 750 ms, then given up at 1000.
	assert.deepEqual(
		sim.gateway.pmpRequests.map(packet => packet[0]),
		[0, 2, 0, 2, 0, 2],
	);
	assert.equal(sim.gateway.ssdpRequests.length, 2, 'one M-SEARCH per IGD version to the gateway itself');
	assert.deepEqual(sim.leftOpen(), []);

	// The network check then waits for the mapped address only as long as it was told.
	const before = sim.network.clock.now();
	const check = await runNetworkCheck(
		{
			target: Promise.resolve(sim.target),
			mappedAddress: new Promise<string | undefined>(() => undefined),
			mappedWaitMs: 2000,
			router: {timeoutMs: 1000},
		},
		sim.routerEnvironment,
	);
	assert.equal(sim.network.clock.now() - before, 3000, 'the router view (1000 ms), then the mapped address (2000 ms)');
	assert.equal(check.path.verdict, 'edge', 'a public hop 2, and no router word: the path alone decides');
	assert.ok(check.path.evidence.includes('the router did not report its WAN address'));
});

test('edge, double NAT and carrier-grade NAT told apart, by the router and the path together and by either alone', async () => {
	const expected: Record<Upstream, {verdict: PathVerdict; outerNat?: string}> = {
		internet: {verdict: 'edge'},
		modem: {verdict: 'double-nat', outerNat: '192.168.0.1'},
		carrier: {verdict: 'cgnat'},
	};
	const evidence = {
		both: {},
		'the path only': {gateway: {natPmp: false, pcp: false, upnp: false}},
		'the router only': {silentHops: [2]},
	};
	for (const upstream of ['internet', 'modem', 'carrier'] as const) {
		for (const [name, setup] of Object.entries(evidence)) {
			const sim = await simulateRouterView({upstream, ...setup});
			const check = await runNetworkCheck(
				{target: Promise.resolve(sim.target), mappedAddress: Promise.resolve(publicIp), router: {timeoutMs: 1000}},
				sim.routerEnvironment,
			);
			const want = name === 'the router only' && upstream === 'modem' ? {verdict: 'double-nat' as const} : expected[upstream];
			assert.deepEqual(
				{verdict: check.path.verdict, ...(check.path.outerNat ? {outerNat: check.path.outerNat} : {})},
				want,
				`${upstream}, ${name}: ${check.path.evidence.join('; ')}`,
			);
			assert.equal(check.localAddress, pbxIp);
		}
	}
});

test('the hop trace runs tracepath line-buffered towards the server and stops once hop 2 answers', async () => {
	const sim = await simulateRouterView({upstream: 'carrier'});
	const check = await runNetworkCheck(
		{target: Promise.resolve(sim.target), mappedAddress: Promise.resolve(publicIp), router: {timeoutMs: 1000}},
		sim.routerEnvironment,
	);
	assert.deepEqual(sim.tracepath.calls, [['stdbuf', '-oL', 'tracepath', '-n', '-m', '3', sim.target]]);
	assert.deepEqual(check.trace, {hops: [gatewayIp, '100.64.0.1']}, 'hop 3 was never waited for');
	assert.equal(check.router.wanAddress, '100.64.0.2');
});

test('UPnP through the injected HTTP: a list that hangs midway keeps what it read; a long list stops at its bound', async () => {
	const mappings = range(9000, 9004).map(port => mapping(port, pbxIp, `m${port}`));
	const hanging = await simulateRouterView({gateway: {mappings, hangAtEntry: 2}});
	const view = await readRouterView({timeoutMs: 600, listDeadlineMs: 5000}, hanging.routerEnvironment);
	assert.deepEqual(view.mappings, mappings.slice(0, 2));
	assert.deepEqual(view.notes, ['UPnP mapping list: stopped at entry 2: no reply within 600 ms']);
	assert.deepEqual(view.answered, ['nat-pmp', 'pcp', 'upnp']);

	const long = await simulateRouterView({gateway: {mappings}});
	const bounded = await readRouterView({timeoutMs: 600, maxMappings: 3}, long.routerEnvironment);
	assert.deepEqual(bounded.mappings, mappings.slice(0, 3));
	assert.deepEqual(bounded.notes, ['UPnP mapping list: stopped after 3 entries']);

	// The deadline covers the whole list: each entry takes two LAN round trips (4 ms) here.
	const slow = await simulateRouterView({gateway: {mappings}});
	const cut = await readRouterView({timeoutMs: 600, listDeadlineMs: 8}, slow.routerEnvironment);
	assert.deepEqual(cut.mappings, mappings.slice(0, 2));
	assert.deepEqual(cut.notes, ['UPnP mapping list: stopped after 2 entries: time limit']);
});

test('--router-probe-map behind a second NAT: refused, with the WAN address; at the edge: granted, then deleted', async () => {
	const refused = await simulateRouterView({upstream: 'modem', gateway: {natPmpResult: 3, mapResult: 8}});
	const behind = await readRouterView({timeoutMs: 1000, probeMap: {internalPort: 61_613}}, refused.routerEnvironment);
	assert.equal(behind.wanAddress, '192.168.0.2', 'NAT-PMP refused; UPnP reported it first');
	assert.equal(behind.wanSource, 'upnp');
	assert.ok(behind.notes.includes('NAT-PMP answered without a public address (network failure)'));
	assert.ok(behind.notes.includes('PCP MAP probe: NO_RESOURCES'));
	const maps = refused.gateway.pmpRequests.map(packet => decodePcpRequest(packet)).filter(request => request?.opcode === 1);
	assert.equal(maps.length, 1, 'refused: nothing to delete');

	const granted = await simulateRouterView({gateway: {upnp: false}});
	const edge = await readRouterView(
		{timeoutMs: 1000, probeMap: {internalPort: 61_613, lifetimeSeconds: 20}},
		granted.routerEnvironment,
	);
	const [made, deleted] = granted.gateway.pmpRequests
		.map(packet => decodePcpRequest(packet))
		.filter(request => request?.opcode === 1);
	assert.deepEqual([made?.lifetime, deleted?.lifetime], [20, 0]);
	assert.ok(made?.map?.nonce.equals(deleted!.map!.nonce), 'the delete repeats the nonce');
	assert.ok(edge.notes.includes('PCP MAP probe: mapping deleted'));
});

test('hairpin on the simulated NAT router: a forwarded port loops back with hairpin NAT, not without it', async () => {
	const forwards = [{from: 5060, to: 5060, host: pbxIp}];
	const on = await simulateRouterView({router: {forwards, hairpin: true}});
	const passed = await hairpinTest({publicAddress: publicIp, port: 5060, timeoutMs: 300, intervalMs: 100}, on.routerEnvironment);
	assert.deepEqual(passed, {result: 'pass', detail: `a packet sent to ${publicIp}:5060 came back to this host`});
	assert.equal(on.network.clock.now() < 100, true, 'the first packet came back; no waiting for the bound');

	const off = await simulateRouterView({router: {forwards, hairpin: false}});
	const failed = await hairpinTest({publicAddress: publicIp, port: 5060, timeoutMs: 300, intervalMs: 100}, off.routerEnvironment);
	assert.deepEqual(failed, {result: 'fail', detail: `3 packets sent to ${publicIp}:5060: none came back within 300 ms`});
	assert.equal(off.router.counters.notHairpinned, 3, 'the router dropped each of the three');
	assert.equal(off.network.clock.now(), 300);

	// Hairpin NAT on, but no forward for the port: the router has nowhere to send it.
	const unforwarded = await simulateRouterView({router: {hairpin: true}});
	const nowhere = await hairpinTest(
		{publicAddress: publicIp, port: 5060, timeoutMs: 300, intervalMs: 100},
		unforwarded.routerEnvironment,
	);
	assert.equal(nowhere.result, 'fail');
	assert.equal(unforwarded.router.counters.filtered, 3);

	// The port is held by another program: the test says so instead of failing.
	const busy = await simulateRouterView({router: {forwards, hairpin: true}});
	await busy.holdPort(5060);
	const skipped = await hairpinTest({publicAddress: publicIp, port: 5060}, busy.routerEnvironment);
	assert.equal(skipped.result, 'skipped');
	assert.match(skipped.detail, /^cannot listen on UDP 5060: bind EADDRINUSE/);
	for (const sim of [on, off, unforwarded, busy]) assert.deepEqual(sim.leftOpen(), []);
});

test('beside a real sweep on the simulated network: one report with the router, the path and the hairpin result', async () => {
	for (const hairpin of [true, false]) {
		const sim = await simulateRouterView({
			upstream: 'modem',
			router: {forwards: [{from: 5060, to: 5062, host: pbxIp}], hairpin},
		});
		const onSim: SweepRunner = async (config, options) => sweep(config, {...options, environment: sim.environment});
		const events: SweepEvent[] = [];
		const report = await withNetworkView(onSim, {mode: 'read', environment: sim.routerEnvironment})(
			{servers: [{host: 'stun.test', port: 3478}], ports: [5060, 5061, 5062, 5070]},
			{signal: new AbortController().signal, onEvent: event => events.push(event)},
		);
		assert.equal(report.publicAddress, publicIp);
		assert.deepEqual(
			report.ports.map(port => [port.port, port.status]),
			[
				[5060, 'pass'],
				[5061, 'pass'],
				[5062, 'pass'],
				[5070, 'fail'],
			],
		);
		assert.equal(report.router?.gateway, gatewayIp);
		assert.equal(report.router?.wanAddress, '192.168.0.2');
		assert.equal(report.path?.verdict, 'double-nat');
		assert.equal(report.path?.outerNat, '192.168.0.1');
		assert.equal(report.hairpin, hairpin ? 'pass' : 'fail');
		assert.match(report.hairpinDetail ?? '', new RegExp(`${publicIp}:5060`), 'tested on the first port that passed');
		assert.deepEqual(
			sim.tracepath.calls.map(call => call.at(-1)),
			[sim.target],
			'traced towards the resolved server',
		);
		const types = events.map(event => event.type);
		assert.equal(types.filter(type => type === 'network').length, 1);
		assert.deepEqual(
			types.filter(type => type === 'done'),
			['done'],
		);
		assert.equal(types.at(-1), 'done', 'done was held back until the view was in');
		const done = events.at(-1);
		assert.equal(done?.type === 'done' && done.report.path?.verdict, 'double-nat');
		assert.deepEqual(sim.leftOpen(), []);
	}
});

test('beside the sweep, a slow trace is cut short once the sweep is done, keeping the hops it found', async () => {
	// Hops 2 and 3 silent: tracepath would spend 3 s on each.
	const sim = await simulateRouterView({
		upstream: 'modem',
		silentHops: [2, 3],
		router: {forwards: [{from: 5060, to: 5060, host: pbxIp}]},
	});
	const onSim: SweepRunner = async (config, options) => sweep(config, {...options, environment: sim.environment});
	let sweepDone = 0;
	const report = await withNetworkView(onSim, {mode: 'read', afterSweepMs: 500, environment: sim.routerEnvironment})(
		{servers: [{host: 'stun.test', port: 3478}], ports: [5060]},
		{
			signal: new AbortController().signal,
			onEvent(event) {
				if (event.type === 'port-finished') sweepDone = sim.network.clock.now();
			},
		},
	);
	assert.ok(sweepDone + 500 < 3001, `the sweep ended at ${sweepDone} ms, before hop 2 would have said "no reply"`);
	assert.deepEqual(report.path?.hops, [gatewayIp]);
	assert.equal(sim.network.clock.now(), sweepDone + 500, 'the report waited afterSweepMs for the trace, no longer');
	assert.equal(report.path?.verdict, 'double-nat', "the router's WAN address still tells");
});
