// This host's firewall on the way out: Test 1's request (new UDP from a checked port to the STUN
// server) walked through the output and postrouting chains both decoders now fill, while the
// inbound walk keeps reading the source port, destination and output interface as unknown.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {allowCommands} from '../../source/host-firewall/allow-command.js';
import {decideRanges} from '../../source/host-firewall/decide-ranges.js';
import {packetFate} from '../../source/host-firewall/evaluate.js';
import {decodeIptablesSave} from '../../source/host-firewall/iptables-save.js';
import type {InboundPacket, OutboundPacket, Ruleset} from '../../source/host-firewall/model.js';
import {decodeNftRuleset} from '../../source/host-firewall/nft-json.js';
import {decideHostFirewall, readHostFirewall} from '../../source/system/host-firewall.js';
import type {Runner} from '../../source/system/run-command.js';

const iptables = (lines: string, table = 'filter'): Ruleset =>
	decodeIptablesSave(`*${table}\n${lines}\nCOMMIT\n`, 'ipv4', 'iptables').ruleset;

const nft = (items: unknown[]): Ruleset => {
	const decoded = decodeNftRuleset(JSON.stringify({nftables: items}));
	assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
	return decoded.ruleset;
};

/** An nft match of `left` against `right`. */
const match = (left: unknown, right: unknown, op = '==') => ({match: {op, left, right}});
const payload = (protocol: string, field: string) => ({payload: {protocol, field}});
const meta = (key: string) => ({meta: {key}});

const chain = (name: string, hook: string, policy = 'accept', prio = 0, type = 'filter') => ({
	chain: {family: 'inet', table: 't', name, hook, prio, policy, type},
});
const rule = (chainName: string, handle: number, ...expr: unknown[]) => ({
	rule: {family: 'inet', table: 't', chain: chainName, handle, expr},
});

const inbound = (port: number, more: Partial<InboundPacket> = {}): InboundPacket => ({
	protocol: 'udp',
	port,
	family: 'ipv4',
	inputInterface: null,
	...more,
});

const server = '198.51.100.7';

const outbound = (port: number, more: Partial<OutboundPacket> = {}): OutboundPacket => ({
	direction: 'out',
	protocol: 'udp',
	port,
	family: 'ipv4',
	destination: server,
	destinationPort: 3478,
	source: '192.168.1.20',
	outputInterface: 'eth0',
	...more,
});

test('inbound: source port, destination and output interface stay unknown, named as written', () => {
	const cases: Array<[string, Ruleset, string]> = [
		['iptables --sport', iptables(':INPUT DROP [0:0]\n-A INPUT -p udp --sport 53 -j ACCEPT'), '--sport 53'],
		['iptables ! --sport', iptables(':INPUT DROP [0:0]\n-A INPUT -p udp ! --sport 53 -j ACCEPT'), '! --sport 53'],
		[
			'iptables --sports',
			iptables(':INPUT DROP [0:0]\n-A INPUT -p udp -m multiport --sports 9000:9100 -j ACCEPT'),
			'--sports 9000:9100',
		],
		['iptables -d', iptables(':INPUT DROP [0:0]\n-A INPUT -d 192.168.1.20/32 -j ACCEPT'), '-d 192.168.1.20/32'],
		['iptables -o', iptables(':INPUT DROP [0:0]\n-A INPUT -o eth0 -j ACCEPT'), '-o eth0'],
		[
			'nft udp sport',
			nft([chain('input', 'input', 'drop'), rule('input', 4, match(payload('udp', 'sport'), 53), {accept: null})]),
			'udp sport 53',
		],
		[
			'nft th sport range',
			nft([
				chain('input', 'input', 'drop'),
				rule('input', 4, match(payload('th', 'sport'), {range: [9000, 9100]}), {accept: null}),
			]),
			'th sport 9000-9100',
		],
		[
			'nft ip daddr',
			nft([chain('input', 'input', 'drop'), rule('input', 4, match(payload('ip', 'daddr'), '192.168.1.20'), {accept: null})]),
			'ip daddr 192.168.1.20',
		],
		[
			'nft oifname',
			nft([chain('input', 'input', 'drop'), rule('input', 4, match(meta('oifname'), 'eth0', '!='), {accept: null})]),
			'meta oifname != eth0',
		],
	];
	for (const [name, ruleset, construct] of cases) {
		const fate = packetFate(ruleset, inbound(9000, {inputInterface: 'eth0'}));
		assert.equal(fate.decision, 'unknown', name);
		assert.equal(fate.construct, construct, name);
		const [decided] = decideRanges([ruleset], [9000], {protocol: 'udp', family: 'ipv4', inputInterface: 'eth0'});
		assert.equal(decided?.direction, undefined, name);
		assert.equal(decided?.construct, construct, name);
	}
});

test('inbound and outbound walk their own hooks: one never sees the other', () => {
	const ruleset = iptables(':INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp --sport 9000 -j DROP');
	assert.equal(packetFate(ruleset, inbound(9100)).decision, 'blocked');
	assert.equal(packetFate(ruleset, outbound(9100)).decision, 'allowed');
	const fate = packetFate(ruleset, outbound(9000));
	assert.equal(fate.decision, 'blocked');
	assert.deepEqual(fate.cause, {table: 'filter', chain: 'OUTPUT', text: '-p udp --sport 9000 -j DROP', handle: 1});
	// An inbound drop of the same port is no outbound drop.
	const inputOnly = iptables(':INPUT ACCEPT [0:0]\n-A INPUT -p udp --dport 9000 -j DROP');
	assert.equal(packetFate(inputOnly, outbound(9000)).decision, 'allowed');
});

test("the outbound walk: each test of Test 1's request as the kernel applies it", () => {
	const cases: Array<{
		name: string;
		rules: string;
		table?: string;
		packet?: Partial<OutboundPacket>;
		port?: number;
		decision: string;
		construct?: string;
	}> = [
		{name: 'accept policy, no rules', rules: ':OUTPUT ACCEPT [0:0]', decision: 'allowed'},
		{name: 'drop policy', rules: ':OUTPUT DROP [0:0]', decision: 'blocked'},
		{
			name: 'source port range dropped',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp --sport 9500:9599 -j DROP',
			port: 9550,
			decision: 'blocked',
		},
		{
			name: 'another source port',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp --sport 9500:9599 -j DROP',
			port: 9499,
			decision: 'allowed',
		},
		{name: 'negated source port', rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp ! --sport 5060 -j DROP', decision: 'blocked'},
		{
			name: 'a TCP source port rule leaves UDP alone',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --sport 9000 -j DROP',
			decision: 'allowed',
		},
		{
			name: 'STUN port accepted before the policy',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -p udp --dport 3478 -j ACCEPT',
			decision: 'allowed',
		},
		{
			name: 'another destination port accepted',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -p udp --dport 53 -j ACCEPT',
			decision: 'blocked',
		},
		{
			name: 'destination port unknown',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -p udp --dport 53 -j ACCEPT',
			packet: {destinationPort: null},
			decision: 'unknown',
			construct: 'destination port 53',
		},
		{
			name: "the server's prefix dropped",
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 198.51.100.0/24 -j DROP',
			decision: 'blocked',
		},
		{name: 'another prefix dropped', rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 10.0.0.0/8 -j DROP', decision: 'allowed'},
		{name: 'all but a LAN dropped', rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT ! -d 10.0.0.0/8 -j DROP', decision: 'blocked'},
		{
			name: 'destination prefix, server unknown',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 10.0.0.0/8 -j DROP',
			packet: {destination: null},
			decision: 'unknown',
			construct: '-d 10.0.0.0/8',
		},
		{
			name: "this host's own source accepted",
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -s 192.168.1.0/24 -j ACCEPT',
			decision: 'allowed',
		},
		{name: 'another source accepted', rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -s 10.9.0.0/16 -j ACCEPT', decision: 'blocked'},
		{
			name: 'source accepted, local address unknown',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -s 10.9.0.0/16 -j ACCEPT',
			packet: {source: null},
			decision: 'unknown',
		},
		{
			name: 'the interface toward the server dropped',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -o eth+ -j DROP',
			decision: 'blocked',
		},
		{name: 'another interface dropped', rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -o wg0 -j DROP', decision: 'allowed'},
		{
			name: 'an interface dropped, interface unknown: never a guessed allow',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -o wg0 -j DROP',
			packet: {outputInterface: null},
			decision: 'unknown',
			construct: '-o wg0',
		},
		{
			name: 'loopback accept never applies to a packet to the internet',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT',
			packet: {outputInterface: null},
			decision: 'blocked',
		},
		{
			name: 'established-only accept does not let a first packet out',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
			decision: 'blocked',
		},
		{name: 'ct state new accepted', rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -m state --state NEW -j ACCEPT', decision: 'allowed'},
		{
			name: "a drop of packets to this host's own addresses is not one to the server",
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -m addrtype --dst-type LOCAL -j DROP',
			decision: 'allowed',
		},
		{
			name: 'a drop of unicast destinations is one to the server',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -m addrtype --dst-type UNICAST -j DROP',
			decision: 'blocked',
		},
		{
			name: 'a packet-type test is not evaluated outbound',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -m pkttype --pkt-type unicast -j DROP',
			decision: 'unknown',
			construct: '--pkt-type unicast',
		},
		{
			name: 'a rate limit on the way out cannot be evaluated',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -p udp -m limit --limit 5/sec -j ACCEPT',
			decision: 'unknown',
		},
		{
			name: 'an input interface test: a sent packet arrived on none',
			rules: ':OUTPUT DROP [0:0]\n-A OUTPUT -i eth0 -j ACCEPT',
			decision: 'blocked',
		},
		{
			name: 'raw OUTPUT drops first',
			table: 'raw',
			rules: ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp --sport 9000 -j DROP',
			decision: 'blocked',
		},
		{
			name: 'masquerade in nat POSTROUTING only rewrites',
			table: 'nat',
			rules: ':POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE',
			decision: 'allowed',
		},
		{
			name: 'mangle POSTROUTING drops',
			table: 'mangle',
			rules: ':POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -p udp --sport 9000 -j DROP',
			decision: 'blocked',
		},
	];
	for (const item of cases) {
		const fate = packetFate(iptables(item.rules, item.table), outbound(item.port ?? 9000, item.packet));
		assert.equal(fate.decision, item.decision, item.name);
		if (item.construct) assert.equal(fate.construct, item.construct, item.name);
	}
});

test('nft: output and postrouting chains by priority, sport, daddr and oifname evaluated outbound', () => {
	const ruleset = nft([
		chain('input', 'input', 'drop'),
		chain('output', 'output', 'accept', 0),
		chain('late', 'postrouting', 'accept', 100),
		chain('route', 'output', 'accept', -150, 'route'),
		rule('output', 5, match(payload('udp', 'sport'), {range: [9500, 9509]}), {counter: null}, {drop: null}),
		rule('output', 6, match(payload('ip', 'daddr'), {set: [{prefix: {addr: '203.0.113.0', len: 24}}]}), {drop: null}),
		rule('output', 7, match(payload('th', 'sport'), 9600, '>='), match(meta('oifname'), 'wg0'), {reject: null}),
		rule('late', 9, match(payload('udp', 'sport'), 9700), {drop: null}),
		rule('route', 3, match(payload('udp', 'sport'), 9700), {drop: null}),
	]);
	const summary = (ports: number[], more: Partial<OutboundPacket> = {}) =>
		decideRanges([ruleset], ports, {...outbound(0, more), port: undefined} as Omit<OutboundPacket, 'port'>).map(item => [
			item.ports,
			item.direction,
			item.decision,
			item.rule,
			...(item.construct ? [item.construct] : []),
		]);
	assert.deepEqual(summary([9000, ...Array.from({length: 20}, (_, index) => 9500 + index), 9600, 9700]), [
		['9000', 'out', 'allowed', null],
		['9500-9509', 'out', 'blocked', 'inet t output: udp sport 9500-9509 counter drop (handle 5)'],
		['9510-9519', 'out', 'allowed', null],
		['9600', 'out', 'allowed', null],
		['9700', 'out', 'blocked', 'inet t route: udp sport 9700 drop (handle 3)'],
	]);
	// The route chain (priority -150) drops 9700 before postrouting; the input policy never touches outbound.
	assert.equal(packetFate(ruleset, outbound(9600, {outputInterface: 'wg0'})).decision, 'blocked');
	assert.equal(packetFate(ruleset, outbound(9600, {outputInterface: null})).decision, 'unknown');
	assert.equal(packetFate(ruleset, outbound(9000, {destination: '203.0.113.9'})).decision, 'blocked');
	assert.equal(packetFate(ruleset, outbound(9000, {destination: null})).construct, 'ip daddr { 203.0.113.0/24 }');
});

test("allow commands on the way out: the source ports, in the chain that blocks, or the front-end's own", () => {
	const nftRules = nft([
		chain('output', 'output', 'drop'),
		rule('output', 5, match(payload('udp', 'sport'), 9500), {drop: null}),
	]);
	const [byRule, byPolicy] = decideRanges([nftRules], [9500, 9501], {...outbound(0), port: undefined} as Omit<
		OutboundPacket,
		'port'
	>);
	assert.deepEqual(allowCommands('nftables', byRule!), ['nft insert rule inet t output position 5 udp sport 9500 accept']);
	assert.deepEqual(allowCommands('nftables', byPolicy!), ['nft add rule inet t output udp sport 9501 accept']);
	const legacy = decodeIptablesSave(
		'*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp --sport 9500:9509 -j DROP\nCOMMIT\n',
		'ipv4',
		'iptables-legacy',
	).ruleset;
	const [blocked] = decideRanges(
		[legacy],
		Array.from({length: 10}, (_, index) => 9500 + index),
		{
			...outbound(0),
			port: undefined,
		} as Omit<OutboundPacket, 'port'>,
	);
	assert.deepEqual(allowCommands('iptables-legacy', blocked!), [
		'iptables-legacy -I OUTPUT 1 -p udp --sport 9500:9509 -j ACCEPT',
	]);
	assert.deepEqual(allowCommands('iptables-legacy', blocked!, 'ipv6'), [
		'ip6tables-legacy -I OUTPUT 1 -p udp --sport 9500:9509 -j ACCEPT',
	]);
	assert.deepEqual(allowCommands('ufw', blocked!), ['ufw allow out proto udp from any port 9500:9509']);
	assert.deepEqual(allowCommands('firewalld', blocked!), [
		'firewall-cmd --permanent --direct --add-rule ipv4 filter OUTPUT 0 -p udp --sport 9500:9509 -j ACCEPT',
		'firewall-cmd --reload',
	]);
});

const replay =
	(answers: Record<string, string>): Runner =>
	async file => {
		const answer = answers[file];
		if (answer === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		return {stdout: answer};
	};

const legacySave = [
	'# Generated by iptables-save v1.8.9 (legacy)',
	'*filter',
	':INPUT ACCEPT [0:0]',
	':OUTPUT ACCEPT [0:0]',
	'-A OUTPUT -p udp -m udp --sport 9500:9509 -j DROP',
	'COMMIT',
	'',
].join('\n');

test('the reader: the ports whose Test 1 failed decided outbound after the inbound ranges, with their fix', async () => {
	const report = await readHostFirewall({
		udpPorts: [9000, 9001, 9500, 9501],
		run: replay({nft: '{"nftables": []}', 'iptables-save': legacySave}),
		legacyTables: async () => false,
		outbound: Promise.resolve({udpPorts: [9500, 9501], destination: server, destinationPort: 3478, source: null}),
	});
	assert.deepEqual(
		report.ranges.map(item => [item.ports, item.direction ?? 'in', item.decision]),
		[
			['9000-9001', 'in', 'allowed'],
			['9500-9501', 'in', 'allowed'],
			['9500-9501', 'out', 'blocked'],
		],
	);
	assert.deepEqual(report.fixes, [
		{
			protocol: 'udp',
			ports: '9500-9501',
			direction: 'out',
			commands: ['iptables-legacy -I OUTPUT 1 -p udp --sport 9500:9501 -j ACCEPT'],
		},
	]);
	assert.equal(
		report.note,
		"This host's firewall (iptables-legacy) lets the checked ports in. This host's firewall (iptables-legacy) blocks outbound traffic from one range of the ports whose Test 1 failed.",
	);
});

test('the decision: no port failed Test 1, the report is as it was without the outbound walk', async () => {
	const rules = {
		family: 'ipv4' as const,
		rulesets: [iptables(':OUTPUT DROP [0:0]')],
		tool: 'iptables' as const,
		nftNote: '',
		runs: [],
	};
	const without = decideHostFirewall(rules, {udpPorts: [9000], inputInterface: null});
	for (const outbound of [null, {udpPorts: [], destination: server, destinationPort: 3478, source: null}]) {
		assert.deepEqual(decideHostFirewall(rules, {udpPorts: [9000], inputInterface: null, outbound}), without);
	}

	assert.deepEqual(Object.keys(without.ranges[0]!).sort(), ['decision', 'ports', 'protocol', 'rule', 'sources']);
});
