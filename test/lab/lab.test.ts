// Proves the lab itself: servers answer as real ones do, each router scenario behaves as its name
// says (checked with Debian's independent `stun` client and our own probe), sprays reach exactly
// the forwarded ports, and everything is gone after teardown.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ADDR, HOSTS, STUN_ALT_PORT, STUN_PORT, setUpLab} from '../../lab/lab.js';
import type {StunServer} from '../../lab/lab.js';
import {labNamespaces} from '../../lab/netns.js';

const lab = setUpLab(); // first, so that its after hook (teardown) runs before ours
const servers: StunServer[] = [];

before(async () => {
	const l = await lab.ready;
	if (!l) return; // unsupported: each test skips (or fails in CI)
	console.log(`lab setup: ${l.timings.setupMs} ms`);
	for (const start of [() => l.startCoturn(), () => l.startStund(), () => l.startSingleCoturn()]) {
		const t0 = Date.now();
		const server = await start();
		servers.push(server);
		console.log(`${server.name} ready in ${Date.now() - t0} ms: ${server.commandLine.join(' ')}`);
	}
});

after(async () => {
	const l = await lab.ready;
	if (!l) return;
	console.log(`lab teardown: ${l.timings.teardownMs} ms`);
	assert.notEqual(l.timings.teardownMs, undefined, 'setUpLab did not tear down first');
	assert.deepEqual(labNamespaces(), [], 'namespaces left behind');
	for (const server of servers) {
		assert.throws(() => process.kill(server.pid, 0), `${server.name} (pid ${server.pid}) still running`);
	}
});

const coturn = `${ADDR.coturn[0]}:${STUN_PORT}`;
const stund = `${ADDR.stund[0]}:${STUN_PORT}`;
const single = `${ADDR.single}:${STUN_PORT}`;

test('servers answer as configured (probed from the attacker host, no NAT in between)', async t => {
	const l = lab(t);
	if (!l) return;

	const c = await l.probe(coturn);
	assert.ok(c.ok, JSON.stringify(c));
	assert.deepEqual(c.attrs['RESPONSE-ORIGIN'], {address: ADDR.coturn[0], port: STUN_PORT});
	assert.deepEqual(c.attrs['OTHER-ADDRESS'], {address: ADDR.coturn[1], port: STUN_ALT_PORT});
	assert.deepEqual(c.attrs['XOR-MAPPED-ADDRESS']?.address, ADDR.attacker);
	const cChange = await l.probe(coturn, {change: 'both'});
	assert.ok(
		cChange.ok && cChange.from.address === ADDR.coturn[1] && cChange.from.port === STUN_ALT_PORT,
		JSON.stringify(cChange),
	);

	const s = await l.probe(stund);
	assert.ok(s.ok, JSON.stringify(s));
	assert.deepEqual(s.attrs['CHANGED-ADDRESS'], {address: ADDR.stund[1], port: STUN_ALT_PORT});
	assert.deepEqual(s.attrs['SOURCE-ADDRESS'], {address: ADDR.stund[0], port: STUN_PORT});
	const sChange = await l.probe(stund, {change: 'both'});
	assert.ok(sChange.ok && sChange.from.address === ADDR.stund[1] && sChange.from.port === STUN_ALT_PORT, JSON.stringify(sChange));

	// One-address coturn: no OTHER-ADDRESS; an RFC 3489 request gets CHANGED-ADDRESS = itself;
	// CHANGE-REQUEST is refused with 420 from its own (only) address.
	const one = await l.probe(single);
	assert.ok(one.ok, JSON.stringify(one));
	assert.equal(one.attrs['OTHER-ADDRESS'], undefined);
	const oneClassic = await l.probe(single, {classic: true});
	assert.ok(oneClassic.ok, JSON.stringify(oneClassic));
	assert.deepEqual(oneClassic.attrs['CHANGED-ADDRESS'], {address: ADDR.single, port: STUN_PORT});
	const oneChange = await l.probe(single, {change: 'both'});
	assert.ok(oneChange.ok, JSON.stringify(oneChange));
	assert.deepEqual(oneChange.from, {address: ADDR.single, port: STUN_PORT});
	assert.equal(oneChange.type, '0x0111');
	assert.equal(oneChange.attrs['ERROR-CODE']?.code, 420);
	t.diagnostic(`single coturn CHANGE-REQUEST answer: ${JSON.stringify(oneChange.attrs['ERROR-CODE'])}`);
});

test('PBX namespace resolves lab names and fails fast on others', async t => {
	const l = lab(t);
	if (!l) return;
	const known = await l.exec('pbx', 'getent', ['hosts', HOSTS.coturn]);
	assert.match(known.stdout, new RegExp(`^${ADDR.coturn[0].replaceAll('.', '\\.')}\\s+${HOSTS.coturn}`));
	const unknown = await l.exec('pbx', 'getent', ['hosts', HOSTS.missing], {reject: false});
	assert.notEqual(unknown.exitCode, 0);
	assert.ok(unknown.durationMs < 3000, `lookup of an unknown name took ${unknown.durationMs} ms`);
});

test('forward-all: 1:1 forward, Test 2 answered from the second address', async t => {
	const l = lab(t);
	if (!l) return;
	await l.setRouter({kind: 'forward-all', ports: [9000, 9099]});
	for (const server of [ADDR.coturn[0], ADDR.stund[0]]) {
		const r = await l.debianStun(server, 9000);
		t.diagnostic(`stun ${server} -p 9000: ${r.primary} (exit ${r.exitCode})`);
		assert.equal(r.nat, 'independent-filter', r.output);
		assert.equal(r.preservesPorts, true);
	}
	const probe = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9020', change: 'both'});
	assert.ok(probe.ok, JSON.stringify(probe));
	assert.deepEqual(probe.from, {address: ADDR.coturn[1], port: STUN_ALT_PORT});
	assert.deepEqual(probe.attrs['XOR-MAPPED-ADDRESS'], {address: ADDR.publicIp, port: 9020});
});

test('masquerade: port kept, but inbound from the second address is filtered', async t => {
	const l = lab(t);
	if (!l) return;
	await l.setRouter({kind: 'masquerade'});
	const r = await l.debianStun(ADDR.coturn[0], 9000);
	t.diagnostic(`stun -p 9000: ${r.primary} (exit ${r.exitCode})`);
	assert.equal(r.nat, 'port-dependent-filter', r.output);
	assert.equal(r.preservesPorts, true);
	assert.equal(r.tests['test II'], 0);

	const test1 = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9030'});
	assert.ok(test1.ok, JSON.stringify(test1));
	assert.deepEqual(test1.attrs['XOR-MAPPED-ADDRESS'], {address: ADDR.publicIp, port: 9030});
	const test2 = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9031', change: 'both', timeoutMs: 300});
	assert.equal(test2.ok, false, JSON.stringify(test2));
});

test('masquerade-random: every flow gets another port (symmetric)', async t => {
	const l = lab(t);
	if (!l) return;
	await l.setRouter({kind: 'masquerade-random'});
	const r = await l.debianStun(ADDR.coturn[0], 9000);
	t.diagnostic(`stun -p 9000: ${r.primary} (exit ${r.exitCode})`);
	assert.equal(r.nat, 'dependent-mapping', r.output);
	assert.equal(r.preservesPorts, false);
	const test1 = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9040'});
	assert.ok(test1.ok, JSON.stringify(test1));
	assert.notEqual(test1.attrs['XOR-MAPPED-ADDRESS']?.port, 9040);
});

test('forward-part, drop-outbound, drop-outbound-ports', async t => {
	const l = lab(t);
	if (!l) return;
	await l.setRouter({kind: 'forward-part', ports: [9000, 9009]});
	const inside = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9005', change: 'both'});
	assert.ok(inside.ok && inside.from.address === ADDR.coturn[1], JSON.stringify(inside));
	const outside = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9015', change: 'both', timeoutMs: 300});
	assert.equal(outside.ok, false, JSON.stringify(outside));

	await l.setRouter({kind: 'drop-outbound'});
	const dropped = await l.probe(coturn, {from: 'pbx', timeoutMs: 300});
	assert.equal(dropped.ok, false, JSON.stringify(dropped));

	await l.setRouter({kind: 'drop-outbound-ports', ports: [9000, 9049]});
	const blocked = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9010', timeoutMs: 300});
	assert.equal(blocked.ok, false, JSON.stringify(blocked));
	const ephemeral = await l.probe(coturn, {from: 'pbx'});
	assert.ok(ephemeral.ok, JSON.stringify(ephemeral));
});

test('spray reaches a forwarded port and not a masquerade-only one', async t => {
	const l = lab(t);
	if (!l) return;
	const rounds = 5;
	const ports = [9000, 9099] as const;

	await l.setRouter({kind: 'forward-all', ports});
	let hold = await l.holdPort(9010);
	const sprayed = await l.spray({ports, rounds, rate: 5000}).done;
	assert.equal(sprayed.sent, rounds * 100);
	assert.equal(sprayed.stoppedBy, 'rounds');
	let got = await hold.stop();
	t.diagnostic(`forwarded 9010: ${JSON.stringify(got)}; spray ${JSON.stringify(sprayed)}`);
	assert.equal(got.received, rounds, 'one datagram per round');
	assert.ok(got.stunLike >= 1, 'forged STUN replies arrive');
	assert.deepEqual(Object.keys(got.sources), [ADDR.attacker]);

	// Masquerade: even with a mapping just opened from 9011 to the STUN server, the attacker
	// (another address) does not get in.
	await l.setRouter({kind: 'masquerade'});
	const opened = await l.probe(coturn, {from: 'pbx', bind: '0.0.0.0:9011'});
	assert.ok(opened.ok, JSON.stringify(opened));
	hold = await l.holdPort(9011);
	await l.spray({ports, rounds, rate: 5000}).done;
	got = await hold.stop();
	assert.equal(got.received, 0, JSON.stringify(got));

	// A held port is busy for everyone else (what fwcheck must report as "port in use").
	hold = await l.holdPort(9012);
	await assert.rejects(l.holdPort(9012), /EADDRINUSE/);
	await hold.stop();
});

test('loss and ratelimit options drop forwarded UDP', async t => {
	const l = lab(t);
	if (!l) return;
	const ports = [9000, 9099] as const;

	await l.setRouter({kind: 'forward-all', ports, loss: 0.5});
	let hold = await l.holdPort(9060);
	await l.spray({ports: [9060], rounds: 400, rate: 4000}).done;
	let got = await hold.stop();
	t.diagnostic(`loss 0.5: ${got.received}/400 arrived`);
	assert.ok(got.received > 100 && got.received < 300, `${got.received}/400 arrived`);

	await l.setRouter({kind: 'forward-all', ports, ratelimit: 10, ratelimitBurst: 5});
	hold = await l.holdPort(9061);
	await l.spray({ports: [9061], rounds: 200, rate: 2000}).done; // ~100 ms
	got = await hold.stop();
	t.diagnostic(`ratelimit 10/s burst 5: ${got.received}/200 arrived`);
	assert.ok(got.received >= 5 && got.received <= 15, `${got.received}/200 arrived`);
});
