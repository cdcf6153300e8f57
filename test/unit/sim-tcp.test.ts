// TCP on the simulated network (sim/virtual-tcp.ts) and the simulated router's SIP ALG, on their
// own: what the service-check tests rely on the simulation to do as a kernel and a router would.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {TcpConnection} from '../../source/net/tcp.js';
import {NatRouter, type RouterPolicy} from '../../source/sim/nat-router.js';
import {rewriteSipAddresses} from '../../source/sim/sip-alg-rewrite.js';
import {VirtualNetwork} from '../../source/sim/virtual-network.js';
import {tcpOf} from '../../source/sim/virtual-tcp.js';

const publicIp = '203.0.113.1';
const lanIp = '192.168.1.10';
const serverIp = '198.51.100.1';

const network = (policy: Partial<RouterPolicy> = {}) => {
	const net = new VirtualNetwork();
	const router = net.addRouter(new NatRouter(publicIp, policy, net.random, () => net.clock.now()));
	const lan = net.addHost('lan', [lanIp], router);
	const server = net.addHost('server', [serverIp]);
	return {net, router, lan: tcpOf(lan), server: tcpOf(server)};
};

/** Everything `connection` receives, and whether it closed. */
const record = (connection: TcpConnection) => {
	const seen = {text: '', closed: false};
	connection.onData(chunk => {
		seen.text += chunk.toString('latin1');
	});
	connection.onClose(() => {
		seen.closed = true;
	});
	return seen;
};

test('sim tcp: out through masquerade: the server sees the public address, bytes arrive in order both ways', async () => {
	const {net, lan, server} = network();
	const accepted: Array<{remote: string; seen: ReturnType<typeof record>}> = [];
	const listened = await server.listen({port: 5000, family: 4}, connection => {
		accepted.push({remote: `${connection.remote.address}:${connection.remote.port}`, seen: record(connection)});
		connection.write('hello ');
		connection.write('there');
	});
	assert.ok(listened.ok);
	const connected = await lan.connect({family: 4, address: serverIp, port: 5000}, {timeoutMs: 1000});
	assert.ok(connected.ok);
	const client = record(connected.connection);
	connected.connection.write('one ');
	connected.connection.end('two');
	await net.clock.idle();
	assert.deepEqual(
		accepted.map(each => each.remote),
		[`${publicIp}:${connected.connection.localPort}`],
	);
	assert.equal(accepted[0]!.seen.text, 'one two');
	assert.equal(client.text, 'hello there');
	// end() on one side closes both, as node's default (no half-open) does.
	assert.deepEqual([client.closed, accepted[0]!.seen.closed], [true, true]);
	assert.deepEqual(lan.open(), []);
});

test('sim tcp: in through the router: forwarded reaches the LAN host, unforwarded is refused or dropped', async () => {
	const {net, lan, server, router} = network({tcpForwards: [{from: 7000, to: 7001, host: lanIp}]});
	const listened = await lan.listen({port: 7000, family: 4}, connection => {
		connection.end('hi');
	});
	assert.ok(listened.ok);
	const outcome = async (port: number) => {
		const result = await server.connect({family: 4, address: publicIp, port}, {timeoutMs: 3000});
		if (result.ok) {
			result.connection.destroy();
		}

		return result.ok ? 'connected' : result.reason;
	};

	assert.equal(await outcome(7000), 'connected');
	assert.equal(await outcome(7001), 'refused', 'forwarded, nothing listens: the LAN host resets');
	assert.equal(await outcome(7002), 'refused', 'not forwarded: the router resets');
	router.policy.unforwardedTcp = 'drop';
	const before = net.clock.now();
	assert.equal(await outcome(7002), 'timeout', 'not forwarded: a firewall drops the SYN');
	assert.equal(net.clock.now() - before, 3000);
});

test('sim tcp: listening is exclusive per port; closing a listener ends what it accepted', async () => {
	const {net, lan, server} = network();
	const first = await server.listen({port: 80, family: 4}, () => undefined);
	assert.ok(first.ok);
	const second = await server.listen({port: 80, address: serverIp, family: 4}, () => undefined);
	assert.deepEqual(second.ok ? 'ok' : second.code, 'in-use');
	const connected = await lan.connect({family: 4, address: serverIp, port: 80}, {timeoutMs: 1000});
	assert.ok(connected.ok);
	const client = record(connected.connection);
	await first.listener.close();
	await net.clock.idle();
	assert.equal(client.closed, true);
	const again = await server.listen({port: 80, family: 4}, () => undefined);
	assert.ok(again.ok, 'the port is free once closed');
});

test('sim tcp: destroy resets the peer; nothing written after it arrives', async () => {
	const {net, lan, server} = network();
	let peer: ReturnType<typeof record> | undefined;
	await server.listen({port: 81, family: 4}, connection => {
		peer = record(connection);
	});
	const connected = await lan.connect({family: 4, address: serverIp, port: 81}, {timeoutMs: 1000});
	assert.ok(connected.ok);
	connected.connection.destroy();
	connected.connection.write('late');
	await net.clock.idle();
	assert.deepEqual(peer, {text: '', closed: true});
});

test('sim ALG: the LAN address is rewritten in SIP headers and SDP, Content-Length follows, Call-ID stays', () => {
	const body = `v=0\r\no=x 1 1 IN IP4 ${lanIp}\r\nc=IN IP4 ${lanIp}\r\n`;
	const message = [
		`INVITE sip:echo@${serverIp} SIP/2.0`,
		`Via: SIP/2.0/UDP ${lanIp}:5060;branch=z9hG4bKx`,
		`From: <sip:a@${lanIp}>;tag=1`,
		`To: <sip:echo@${serverIp}>`,
		`Call-ID: abc@${lanIp}`,
		`Contact: <sip:a@${lanIp}:5060>`,
		`X-Other: ${lanIp}0`,
		`Content-Length: ${body.length}`,
		'',
		body,
	].join('\r\n');
	const rewritten = rewriteSipAddresses(Buffer.from(message), lanIp, publicIp).toString('latin1');
	const [head, newBody] = rewritten.split('\r\n\r\n') as [string, string];
	assert.equal(newBody, `v=0\r\no=x 1 1 IN IP4 ${publicIp}\r\nc=IN IP4 ${publicIp}\r\n`);
	assert.match(head, new RegExp(`^Content-Length: ${newBody.length}$`, 'm'));
	for (const line of ['Via: SIP/2.0/UDP 203.0.113.1:5060', 'From: <sip:a@203.0.113.1>', 'Contact: <sip:a@203.0.113.1:5060>']) {
		assert.ok(head.includes(line), line);
	}

	assert.ok(head.includes(`Call-ID: abc@${lanIp}`), 'Call-ID is not an address to map');
	assert.ok(head.includes(`X-Other: ${lanIp}0`), 'a longer address is not this one');
	const plain = Buffer.from('no SIP here');
	assert.equal(rewriteSipAddresses(plain, lanIp, publicIp), plain);
});

test('sim tcp: a connect aborted before its answer ends unreachable, and the late SYN-ACK is reset', async () => {
	const {net, lan, server} = network();
	let peer: ReturnType<typeof record> | undefined;
	await server.listen({port: 82, family: 4}, connection => {
		peer = record(connection);
	});
	const abort = new AbortController();
	const pending = lan.connect({family: 4, address: serverIp, port: 82}, {timeoutMs: 1000, signal: abort.signal});
	// After the server accepted (one way: 10 ms), before the SYN-ACK is back (20 ms).
	net.clock.setTimeout(() => {
		abort.abort();
	}, 15);
	const result = await pending;
	assert.deepEqual(result.ok ? 'connected' : result.reason, 'unreachable');
	await net.clock.idle();
	assert.equal(peer?.closed, true, 'the server side saw the reset');
	assert.deepEqual(lan.open(), []);
});
