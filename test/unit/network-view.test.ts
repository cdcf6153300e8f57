// The router view beside the sweep: started with it, fed the server's address and the mapped
// address from its events, never failing it, and holding 'done' until the view is in (bounded).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {withNetworkView, wantsNetworkView} from '../../source/check/network-view.js';
import type {NetworkViewOptions} from '../../source/check/network-view.js';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {SweepEvent} from '../../source/check/types.js';
import type {NetworkCheck, NetworkCheckOptions} from '../../source/router/network-check.js';
import type {HairpinOptions} from '../../source/router/hairpin.js';
import {config, instantRunner, portResult, publicIp, server} from '../ui/fixtures.js';

const view: NetworkCheck = {
	router: {
		gateway: '192.168.1.1',
		wanAddress: '192.168.0.2',
		wanSource: 'nat-pmp',
		answered: ['nat-pmp'],
		mappings: [],
		notes: [],
	},
	path: {
		verdict: 'double-nat',
		hops: ['192.168.1.1', '192.168.0.1'],
		evidence: ['hop 2 192.168.0.1 is a private (LAN) address'],
		outerNat: '192.168.0.1',
	},
	trace: {hops: ['192.168.1.1', '192.168.0.1']},
	localAddress: '192.168.1.20',
};

function harness(networkResult: (options: NetworkCheckOptions) => Promise<NetworkCheck>) {
	const seen: {network?: NetworkCheckOptions; target?: string; mapped?: string; hairpin?: HairpinOptions} = {};
	const options: NetworkViewOptions = {
		mode: 'read',
		afterSweepMs: 50,
		async runNetwork(networkOptions) {
			seen.network = networkOptions;
			seen.target = await networkOptions.target;
			seen.mapped = await networkOptions.mappedAddress;
			return networkResult(networkOptions);
		},
		async hairpin(hairpinOptions) {
			seen.hairpin = hairpinOptions;
			return {result: 'fail', detail: 'none came back'};
		},
	};
	return {seen, options};
}

const results = [portResult(9000, 'inbound-blocked'), portResult(9001, 'ok'), portResult(9002, 'ok')];

test('the view gets the server address and the mapped address from the sweep; done waits for it and carries it', async () => {
	const {seen, options} = harness(async () => view);
	const events: SweepEvent[] = [];
	const report = await withNetworkView(instantRunner(results), options)(config([9000, 9001, 9002]), {
		signal: new AbortController().signal,
		onEvent: event => events.push(event),
	});
	assert.equal(seen.target, server.address.address, 'a server given by name: traced once the sweep resolved it');
	assert.equal(seen.mapped, publicIp);
	assert.deepEqual(events.map(event => event.type).slice(-2), ['network', 'done'], 'the view arrives before the held-back done');
	const done = events.at(-1);
	assert.equal(done?.type === 'done' && done.report.path?.verdict, 'double-nat');
	assert.deepEqual(report.router, view.router);
	assert.equal(report.hairpin, 'fail');
	assert.deepEqual([seen.hairpin?.publicAddress, seen.hairpin?.port], [publicIp, 9001], 'hairpin on the first port that passed');
});

test('a server given as an address is traced towards at once, before the sweep reports it', async () => {
	const {seen, options} = harness(async () => view);
	const never: SweepRunner = async () => new Promise(() => undefined);
	void withNetworkView(never, options)(config([9000], {servers: [{host: '198.51.100.99', port: 3478}]}), {
		signal: new AbortController().signal,
		onEvent() {},
	});
	for (let i = 0; i < 50 && seen.target === undefined; i++) await new Promise(resolve => setTimeout(resolve, 1));
	assert.equal(seen.target, '198.51.100.99');
});

test('a view that fails or never ends does not fail the check or hold it past the bound', async () => {
	const failing = harness(async () => {
		throw new Error('boom');
	});
	const report = await withNetworkView(instantRunner(results), failing.options)(config([9000]), {
		signal: new AbortController().signal,
		onEvent() {},
	});
	assert.equal(report.router, undefined);
	assert.equal(report.code, 'some-failed');

	// A trace that only ends when told to (the real one is killed and keeps its hops so far).
	const slow = harness(
		async options =>
			new Promise(resolve => {
				options.signal?.addEventListener('abort', () => resolve({...view, trace: {hops: ['192.168.1.1']}}));
			}),
	);
	const cut = await withNetworkView(instantRunner(results), slow.options)(config([9000]), {
		signal: new AbortController().signal,
		onEvent() {},
	});
	assert.equal(cut.path?.verdict, 'double-nat');
});

test('no view against a loopback server or with --no-router; --router-probe-map maps a port outside the checked ones', async () => {
	assert.equal(wantsNetworkView(config([9000], {servers: [{host: '127.0.0.1', port: 3478}]}), 'read'), false);
	assert.equal(wantsNetworkView(config([9000]), 'off'), false);
	assert.equal(wantsNetworkView(config([9000], {bindAddress: '127.0.0.1'}), 'read'), false);
	assert.equal(wantsNetworkView(config([9000]), 'read'), true);

	const {seen, options} = harness(async () => view);
	const report = await withNetworkView(instantRunner(results), options)(
		config([9000], {servers: [{host: '127.0.0.1', port: 3478}]}),
		{
			signal: new AbortController().signal,
			onEvent() {},
		},
	);
	assert.equal(seen.network, undefined, 'not asked');
	assert.equal(report.hairpin, undefined);

	const probing = harness(async () => view);
	const ports = [61_613, 61_630, 9000];
	await withNetworkView(instantRunner(results), {...probing.options, mode: 'probe-map'})(config(ports), {
		signal: new AbortController().signal,
		onEvent() {},
	});
	const probePort = probing.seen.network?.router?.probeMap?.internalPort;
	assert.ok(probePort !== undefined && !ports.includes(probePort), `probe port ${probePort}`);
});

test('the hairpin test runs while the router view finishes, not after it', async () => {
	let hairpinStarted: () => void = () => undefined;
	const started = new Promise<void>(resolve => {
		hairpinStarted = resolve;
	});
	// A view that can only finish once the hairpin test has begun: run one after the other, the
	// view would be cut short at afterSweepMs and the report would lack it.
	const {options} = harness(
		async ({signal}) =>
			new Promise<NetworkCheck>((resolve, reject) => {
				void started.then(() => {
					resolve(view);
				});
				signal?.addEventListener('abort', () => {
					reject(new Error('cut short'));
				});
			}),
	);
	const report = await withNetworkView(instantRunner(results), {
		...options,
		afterSweepMs: 200,
		async hairpin() {
			hairpinStarted();
			return {result: 'pass', detail: 'came back'};
		},
	})(config([9000, 9001, 9002]), {signal: new AbortController().signal, onEvent: () => undefined});
	assert.deepEqual(report.router, view.router);
	assert.equal(report.hairpin, 'pass');
});
