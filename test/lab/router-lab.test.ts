// The router view against real miniupnpd 2.3.x (nftables backend) in three topologies: at the edge,
// behind a modem (double NAT, also with miniupnpd's STUN option), behind carrier-grade NAT. The
// reference clients upnpc and natpmpc must agree with what fwcheck reads. Root only; required
// under CI=true. Each topology is built fresh and torn down even when the test fails.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {TestContext} from 'node:test';
import {createRouterLab, RADDR, routerLabSupport} from '../../lab/router-lab.js';
import type {RouterLab, RouterTopology} from '../../lab/router-lab.js';
import type {HairpinOutcome} from '../../source/router/hairpin.js';
import type {HopsResult} from '../../source/router/hops.js';
import type {PathReport, RouterView} from '../../source/router/types.js';

type ViewRun = {router: RouterView; trace: HopsResult; path: PathReport; localAddress: string; hairpin?: HairpinOutcome};

function available(t: TestContext): boolean {
	const support = routerLabSupport();
	if (support.ok) return true;
	if (process.env.CI === 'true') throw new Error(`router lab required in CI but unavailable: ${support.reason}`);
	t.diagnostic(`router lab unavailable: ${support.reason}`);
	t.skip(`router lab unavailable: ${support.reason}`);
	return false;
}

async function withLab(
	t: TestContext,
	options: {topology: RouterTopology; miniupnpdStun?: boolean},
	body: (lab: RouterLab) => Promise<void>,
): Promise<void> {
	if (!available(t)) return;
	const lab = await createRouterLab(options);
	try {
		await body(lab);
	} finally {
		await lab.teardown();
	}
}

const key = (m: {
	protocol: string;
	externalPort: number;
	internalHost: string;
	internalPort: number;
	description: string;
}): string => `${m.protocol} ${m.externalPort}->${m.internalHost}:${m.internalPort} '${m.description}'`;

const timeout = 120_000;

test(
	'edge router: WAN 11.22.33.44 and every seeded mapping, as upnpc and natpmpc see them; nothing changes',
	{timeout},
	async t => {
		await withLab(t, {topology: 'edge'}, async lab => {
			await lab.seedMappings();
			const stun = await lab.stunFromPbx();
			const rulesBefore = await lab.routerRules();
			const listBefore = await lab.upnpcList();
			const view = (await lab.runView({mapped: stun.mapped})) as ViewRun;

			assert.equal(view.router.gateway, RADDR.routerLan);
			assert.equal(view.router.wanAddress, RADDR.publicIp);
			assert.equal((await lab.natpmpcPublicAddress()).address, view.router.wanAddress, 'natpmpc agrees');
			assert.equal(await lab.upnpcExternalIp(), view.router.wanAddress, 'upnpc agrees');
			assert.deepEqual(view.router.answered, ['nat-pmp', 'pcp', 'upnp']);
			assert.deepEqual(view.router.mappings?.map(key).sort(), listBefore.map(key).sort(), 'upnpc -l lists the same mappings');
			const byPort = new Map(view.router.mappings?.map(m => [m.externalPort, m]));
			assert.equal(byPort.get(9000)?.internalHost, RADDR.pbx, 'UPnP');
			assert.equal(byPort.get(9001)?.internalHost, RADDR.otherLanHost, 'UPnP, pointing at another LAN host');
			assert.match(byPort.get(9002)?.description ?? '', /^NAT-PMP/);
			assert.match(byPort.get(9003)?.description ?? '', /^PCP MAP/);
			assert.equal(view.path.verdict, 'edge', view.path.evidence.join(' | '));

			// A default view is read-only: the router's rules and list are the same afterwards.
			assert.equal(await lab.routerRules(), rulesBefore);
			assert.deepEqual((await lab.upnpcList()).map(key), listBefore.map(key));

			// The seeded UPnP mapping is a real forward: CHANGE-REQUEST through it is answered from the
			// second address; an unmapped port stays closed.
			assert.equal((await lab.stunFromPbx({port: 9000, change: 'both'})).from, RADDR.coturn[1]);
			assert.equal((await lab.stunFromPbx({port: 9004, change: 'both'})).ok, false);

			await lab.resetRouter();
			assert.deepEqual(await lab.upnpcList(), [], 'reset flushes what miniupnpd left behind');
		});
	},
);

test('edge router: --router-probe-map makes one PCP mapping and deletes it at once', {timeout}, async t => {
	await withLab(t, {topology: 'edge'}, async lab => {
		const view = (await lab.runView({probeMapPort: 61_000})) as ViewRun;
		assert.ok(view.router.notes.includes('PCP MAP probe: mapping deleted'), view.router.notes.join(' | '));
		assert.deepEqual(await lab.upnpcList(), []);
	});
});

test('edge router: hairpin fails without hairpin NAT and passes with it', {timeout}, async t => {
	await withLab(t, {topology: 'edge'}, async lab => {
		await lab.seedMappings();
		const without = (await lab.runView({mapped: RADDR.publicIp, hairpinPort: 9000})) as ViewRun;
		assert.equal(without.hairpin?.result, 'fail', without.hairpin?.detail);
		await lab.enableHairpin(9000);
		const withHairpin = (await lab.runView({mapped: RADDR.publicIp, hairpinPort: 9000})) as ViewRun;
		assert.equal(withHairpin.hairpin?.result, 'pass', withHairpin.hairpin?.detail);
	});
});

test(
	'double NAT behind a modem: the router refuses, PCP MAP tells its WAN 192.168.1.2, the path names the modem',
	{timeout},
	async t => {
		await withLab(t, {topology: 'double-nat'}, async lab => {
			const stun = await lab.stunFromPbx();
			assert.equal(stun.mapped, RADDR.publicIp);
			assert.equal((await lab.natpmpcPublicAddress()).address, undefined, 'natpmpc gets no address either');
			assert.equal(await lab.upnpcExternalIp(), undefined);
			const plain = (await lab.runView({mapped: stun.mapped})) as ViewRun;
			assert.equal(plain.router.wanAddress, undefined);
			assert.equal(plain.path.verdict, 'double-nat', plain.path.evidence.join(' | '));
			assert.equal(plain.path.outerNat, RADDR.modemLan);

			const probed = (await lab.runView({mapped: stun.mapped, probeMapPort: 61_001})) as ViewRun;
			assert.equal(probed.router.wanAddress, RADDR.routerWanBehindModem);
			assert.equal(probed.router.wanSource, 'pcp-map');
			assert.equal(probed.path.verdict, 'double-nat');
			assert.deepEqual(await lab.upnpcList(), []);
		});
	},
);

test(
	'double NAT with miniupnpd STUN: the router reports the outer address, the path still shows the modem',
	{timeout},
	async t => {
		await withLab(t, {topology: 'double-nat', miniupnpdStun: true}, async lab => {
			const stun = await lab.stunFromPbx();
			const view = (await lab.runView({mapped: stun.mapped})) as ViewRun;
			assert.equal(view.router.wanAddress, RADDR.publicIp);
			assert.equal(await lab.upnpcExternalIp(), RADDR.publicIp, 'upnpc agrees');
			assert.equal(view.path.verdict, 'double-nat');
			assert.ok(
				view.path.evidence.some(line => /believing the path/.test(line)),
				view.path.evidence.join(' | '),
			);
		});
	},
);

test('carrier-grade NAT: router WAN 100.64.0.2, hop 2 in 100.64.0.0/10', {timeout}, async t => {
	await withLab(t, {topology: 'cgnat'}, async lab => {
		const stun = await lab.stunFromPbx();
		const view = (await lab.runView({mapped: stun.mapped, probeMapPort: 61_002})) as ViewRun;
		assert.equal(view.router.wanAddress, RADDR.routerWanBehindCarrier);
		assert.deepEqual(view.path.hops.slice(0, 2), [RADDR.routerLan, RADDR.carrierNat]);
		assert.equal(view.path.verdict, 'cgnat', view.path.evidence.join(' | '));
	});
});

type Json = {
	code: string;
	path?: {verdict: string; hops: string[]; evidence: string[]};
	router?: {wanAddress: string | null; answered: string[]; mappings: Array<{externalPort: number; internalHost: string}>};
	hairpin?: string;
	ports: Array<{port: number; code: string}>;
};

const checkArgs = ['--stun', `${RADDR.coturn[0]}:3478`, '--ports', '9000-9004'];

test(
	'fwcheck at the edge: --json carries path, router and hairpin; the checklist names the other host; the router is unchanged',
	{timeout},
	async t => {
		await withLab(t, {topology: 'edge'}, async lab => {
			await lab.seedMappings();
			const rulesBefore = await lab.routerRules();
			const listBefore = await lab.upnpcList();
			const run = await lab.runFwcheck([...checkArgs, '--json']);
			const json = run.json as Json;
			assert.ok(json, run.stderr || run.stdout);
			assert.equal(json.path?.verdict, 'edge', json.path?.evidence.join(' | '));
			assert.equal(json.router?.wanAddress, RADDR.publicIp);
			assert.deepEqual(json.router?.answered, ['nat-pmp', 'pcp', 'upnp']);
			assert.deepEqual(
				json.router?.mappings.map(m => `${m.externalPort}->${m.internalHost}`).sort(),
				listBefore.map(m => `${m.externalPort}->${m.internalHost}`).sort(),
			);
			assert.deepEqual(
				json.ports.map(port => `${port.port} ${port.code}`),
				['9000 ok', '9001 inbound-blocked', '9002 ok', '9003 ok', '9004 inbound-blocked'],
			);
			assert.equal(json.hairpin, 'fail', 'miniupnpd forwards from the WAN side only');
			assert.equal(await lab.routerRules(), rulesBefore, 'a default check changes nothing on the router');
			assert.deepEqual((await lab.upnpcList()).map(key), listBefore.map(key));

			const plain = await lab.runFwcheck([...checkArgs, '--no-tui']);
			assert.match(plain.stdout, /Router 192\.168\.77\.1: NAT-PMP, PCP and UPnP answer; WAN 11\.22\.33\.44; 4 mappings\./);
			assert.match(
				plain.stdout,
				/What to do \(inbound-blocked\):\n {2}- The router forwards UDP 9001 to 192\.168\.77\.50, not to this host \(192\.168\.77\.10\)/,
			);
			assert.match(plain.stdout, /has no entry for UDP 9004/);

			// With hairpin NAT on the router, the same check finds that LAN phones can use the public address.
			await lab.enableHairpin(9000);
			const hairpinned = (await lab.runFwcheck([...checkArgs, '--json'])).json as Json;
			assert.equal(hairpinned.hairpin, 'pass');
		});
	},
);

for (const [topology, verdict, lead] of [
	['double-nat', 'double-nat', /^ {2}- A second NAT sits in front of your router: the ISP modem\/router \(192\.168\.1\.1\)/m],
	['cgnat', 'cgnat', /^ {2}- Your internet provider puts a carrier-grade NAT in front of your router/m],
] as const) {
	test(`fwcheck behind ${topology}: path.verdict ${verdict}, and the checklist leads with the right box`, {timeout}, async t => {
		await withLab(t, {topology}, async lab => {
			const run = await lab.runFwcheck([...checkArgs, '--json', '--router-probe-map']);
			const json = run.json as Json;
			assert.ok(json, run.stderr || run.stdout);
			assert.equal(json.path?.verdict, verdict, json.path?.evidence.join(' | '));
			assert.equal(json.router?.wanAddress, topology === 'cgnat' ? RADDR.routerWanBehindCarrier : RADDR.routerWanBehindModem);
			assert.equal(json.code, 'inbound-blocked');
			const plain = await lab.runFwcheck([...checkArgs, '--no-tui']);
			const todo = plain.stdout.slice(plain.stdout.indexOf('What to do (inbound-blocked):'));
			assert.match(todo.split('\n')[1] ?? '', lead, plain.stdout);
		});
	});
}
