// This host's firewall: nft's JSON and iptables-save decoded into one model, the packet walk
// through it, the ranges decided for a check, and the reader on recorded command output.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {allowCommands, recogniseTool} from '../../source/host-firewall/allow-command.js';
import {decideRanges} from '../../source/host-firewall/decide-ranges.js';
import {combinedFate, packetFate} from '../../source/host-firewall/evaluate.js';
import {decodeIptablesSave, splitWords} from '../../source/host-firewall/iptables-save.js';
import type {InboundPacket, Ruleset} from '../../source/host-firewall/model.js';
import {decodeNftRuleset} from '../../source/host-firewall/nft-json.js';
import {readHostFirewall} from '../../source/system/host-firewall.js';
import type {Runner} from '../../source/system/run-command.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/host-firewall/${name}`, import.meta.url), 'utf8');

const nft = (json: string, skip?: Set<string>): Ruleset => {
	const decoded = decodeNftRuleset(json, skip);
	assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
	return decoded.ruleset;
};

/** A ruleset written in iptables-save's words, for the walk's own cases. */
const iptables = (lines: string): Ruleset => decodeIptablesSave(`*filter\n${lines}\nCOMMIT\n`, 'ipv4', 'iptables').ruleset;

const udp = (port: number, more: Partial<InboundPacket> = {}): InboundPacket => ({
	protocol: 'udp',
	port,
	family: 'ipv4',
	inputInterface: null,
	...more,
});

const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, index) => from + index);

const summary = (ruleset: Ruleset, ports: number[], packet: Partial<InboundPacket> = {}) =>
	decideRanges([ruleset], ports, {protocol: 'udp', family: 'ipv4', inputInterface: null, ...packet}).map(item => [
		item.ports,
		item.decision,
		item.rule,
		...(item.sources.length > 0 ? [item.sources] : []),
		...(item.construct ? [item.construct] : []),
	]);

test('nft: a policy-drop ruleset decided range by range, each with the rule that decides it', () => {
	const ruleset = nft(fixture('nft-mixed.json'));
	assert.deepEqual(summary(ruleset, [5060, ...range(9000, 10_010)]), [
		['5060', 'blocked', 'inet filter input: policy drop', ['203.0.113.0/24']],
		['9000-9099', 'allowed', null],
		['9100-9499', 'blocked', 'inet filter input: policy drop'],
		['9500-9599', 'blocked', 'inet filter input: udp dport 9500-9599 counter drop (handle 8)'],
		['9600', 'blocked', 'inet filter input: udp dport { 9600, 9700-9799 } reject with icmpx port-unreachable (handle 11)'],
		['9601-9699', 'blocked', 'inet filter input: policy drop'],
		['9700-9799', 'blocked', 'inet filter input: udp dport { 9600, 9700-9799 } reject with icmpx port-unreachable (handle 11)'],
		['9800', 'unknown', 'inet filter input: udp dport 9800 limit rate 10/second accept (handle 12)', 'limit rate 10/second'],
		['9801-9899', 'blocked', 'inet filter input: policy drop'],
		// Accepted in the chain `input` jumps to, which returns for every other port.
		['9900', 'allowed', null],
		['9901-9999', 'blocked', 'inet filter input: policy drop'],
		// From the named set's single element.
		['10000', 'allowed', null],
		['10001-10010', 'blocked', 'inet filter input: policy drop'],
	]);
	// TCP 22 is accepted; UDP 22 falls to the policy.
	assert.equal(packetFate(ruleset, {...udp(22), protocol: 'tcp'}).decision, 'allowed');
	assert.equal(packetFate(ruleset, udp(22)).decision, 'blocked');
});

test('ufw through iptables-nft: read from iptables-save, every range with its ufw rule or the policy', () => {
	const decoded = decodeIptablesSave(fixture('ufw-iptables-save.txt'), 'ipv4', 'iptables');
	assert.equal(decoded.skipped, 0);
	assert.deepEqual(summary(decoded.ruleset, [5060, ...range(9000, 9700)]), [
		['5060', 'blocked', 'iptables: -P INPUT DROP', ['203.0.113.0/24']],
		['9000-9499', 'allowed', null],
		['9500-9599', 'blocked', 'iptables: -A ufw-user-input -p udp -m multiport --dports 9500:9599 -j DROP (rule 2)'],
		['9600-9700', 'blocked', 'iptables: -P INPUT DROP'],
	]);
	const tool = recogniseTool({tables: decoded.tables, chains: decoded.chainNames}, 'iptables');
	assert.equal(tool, 'ufw');
	const [, blocked] = decideRanges([decoded.ruleset], range(9400, 9599), {protocol: 'udp', family: 'ipv4', inputInterface: null});
	assert.deepEqual(allowCommands(tool, blocked!), ['ufw allow 9500:9599/udp']);
});

test('the same ufw rules as nft shows them are unknown, never allowed: their iptables matches are opaque', () => {
	const ruleset = nft(fixture('ufw-nft.json'));
	for (const item of decideRanges([ruleset], range(9000, 9700), {protocol: 'udp', family: 'ipv4', inputInterface: null})) {
		assert.equal(item.decision, 'unknown', item.ports);
		assert.match(item.construct ?? '', /^xt match /);
	}

	// Skipping the tables iptables-save reads leaves nothing of them in nft's view.
	assert.deepEqual(nft(fixture('ufw-nft.json'), new Set(['ip filter', 'ip6 filter'])).chains, []);
});

test('the walk: chains, verdicts and conditions as the kernel applies them to a new packet from the internet', () => {
	const cases: Array<{
		name: string;
		rules: string;
		packet?: Partial<InboundPacket>;
		port?: number;
		decision: string;
		rule?: string;
	}> = [
		{name: 'accept policy, no rules', rules: ':INPUT ACCEPT [0:0]', decision: 'allowed'},
		{name: 'drop policy', rules: ':INPUT DROP [0:0]', decision: 'blocked', rule: 'iptables: -P INPUT DROP'},
		{
			name: 'established-only accept does not let a first packet in',
			rules: ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
			decision: 'blocked',
		},
		{name: 'ct state new accepts', rules: ':INPUT DROP [0:0]\n-A INPUT -m state --state NEW -j ACCEPT', decision: 'allowed'},
		{
			name: 'loopback accept never applies to internet traffic',
			rules: ':INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT',
			decision: 'blocked',
		},
		{
			name: 'an interface accept, interface unknown',
			rules: ':INPUT DROP [0:0]\n-A INPUT -i eth0 -j ACCEPT',
			decision: 'unknown',
		},
		{
			name: 'an interface accept, on that interface',
			rules: ':INPUT DROP [0:0]\n-A INPUT -i eth+ -j ACCEPT',
			packet: {inputInterface: 'eth1'},
			decision: 'allowed',
		},
		{
			name: 'an interface accept, another interface',
			rules: ':INPUT DROP [0:0]\n-A INPUT -i eth0 -j ACCEPT',
			packet: {inputInterface: 'ppp0'},
			decision: 'blocked',
		},
		{name: 'negated port', rules: ':INPUT ACCEPT [0:0]\n-A INPUT -p udp ! --dport 5060 -j DROP', decision: 'blocked'},
		{
			name: 'negated port, that port',
			rules: ':INPUT ACCEPT [0:0]\n-A INPUT -p udp ! --dport 5060 -j DROP',
			port: 5060,
			decision: 'allowed',
		},
		{
			name: 'a TCP rule leaves UDP alone',
			rules: ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 9000 -j DROP',
			decision: 'allowed',
		},
		{
			name: 'return from a jumped chain goes on in the caller',
			rules:
				':INPUT ACCEPT [0:0]\n:sub - [0:0]\n-A INPUT -j sub\n-A INPUT -p udp --dport 9000 -j DROP\n-A sub -j RETURN\n-A sub -j ACCEPT',
			decision: 'blocked',
		},
		{
			name: 'goto: the end of the target returns past the caller, to the policy',
			rules:
				':INPUT DROP [0:0]\n:outer - [0:0]\n:inner - [0:0]\n-A INPUT -j outer\n-A INPUT -j ACCEPT\n-A outer -g inner\n-A outer -j ACCEPT',
			decision: 'allowed',
		},
		{
			name: 'a source-limited accept is not an accept for everyone',
			rules: ':INPUT DROP [0:0]\n-A INPUT -s 203.0.113.0/24 -p udp --dport 9000 -j ACCEPT',
			decision: 'blocked',
		},
		{
			name: 'a negated source accept is one for (nearly) everyone',
			rules: ':INPUT DROP [0:0]\n-A INPUT ! -s 10.0.0.0/8 -p udp --dport 9000 -j ACCEPT',
			decision: 'allowed',
		},
		{
			name: 'a rate limit before the accept cannot be evaluated',
			rules: ':INPUT DROP [0:0]\n-A INPUT -p udp --dport 9000 -m limit --limit 5/sec -j ACCEPT',
			decision: 'unknown',
		},
		{
			name: 'a rate-limited log is only a log',
			rules: ':INPUT DROP [0:0]\n-A INPUT -m limit --limit 3/min -j LOG --log-prefix "[UFW BLOCK] "',
			decision: 'blocked',
		},
		{name: 'a jump to a chain that is not there', rules: ':INPUT DROP [0:0]\n-A INPUT -j nowhere', decision: 'unknown'},
		{name: 'DNAT redirects the packet', rules: ':INPUT ACCEPT [0:0]\n-A INPUT -p udp -j NFQUEUE', decision: 'unknown'},
	];
	for (const item of cases) {
		const fate = packetFate(iptables(item.rules), udp(item.port ?? 9000, item.packet));
		assert.equal(fate.decision, item.decision, item.name);
		if (item.rule) {
			assert.equal(fate.cause && `iptables: -P ${fate.cause.chain} DROP`, item.rule, item.name);
		}
	}
});

test('nft: every base chain on the way must accept, in hook and priority order; families apart', () => {
	const json = JSON.stringify({
		nftables: [
			{chain: {family: 'inet', table: 'a', name: 'early', hook: 'input', prio: -10, policy: 'accept', type: 'filter'}},
			{chain: {family: 'inet', table: 'b', name: 'late', hook: 'input', prio: 10, policy: 'drop', type: 'filter'}},
			{chain: {family: 'ip6', table: 'c', name: 'v6', hook: 'input', prio: 0, policy: 'drop', type: 'filter'}},
			{rule: {family: 'inet', table: 'a', chain: 'early', handle: 2, expr: [{accept: null}]}},
			{
				rule: {
					family: 'inet',
					table: 'b',
					chain: 'late',
					handle: 3,
					expr: [
						{match: {op: '==', left: {payload: {protocol: 'udp', field: 'dport'}}, right: {range: [9000, 9099]}}},
						{accept: null},
					],
				},
			},
		],
	});
	const ruleset = nft(json);
	// An accept in the first chain does not spare the packet the second chain's policy.
	assert.deepEqual(summary(ruleset, range(9098, 9101)), [
		['9098-9099', 'allowed', null],
		['9100-9101', 'blocked', 'inet b late: policy drop'],
	]);
	// The ip6 table's drop policy does not see IPv4; for IPv6 it blocks even the accepted range.
	assert.equal(packetFate(ruleset, udp(9000)).decision, 'allowed');
	assert.equal(packetFate(ruleset, udp(9000, {family: 'ipv6'})).decision, 'blocked');
});

test('nft: verdict maps as firewalld writes them', () => {
	const json = JSON.stringify({
		nftables: [
			{
				chain: {
					family: 'inet',
					table: 'firewalld',
					name: 'filter_INPUT',
					hook: 'input',
					prio: 10,
					policy: 'accept',
					type: 'filter',
				},
			},
			{
				rule: {
					family: 'inet',
					table: 'firewalld',
					chain: 'filter_INPUT',
					handle: 5,
					expr: [
						{
							vmap: {
								key: {ct: {key: 'state'}},
								data: {
									set: [
										['established', {accept: null}],
										['invalid', {drop: null}],
									],
								},
							},
						},
					],
				},
			},
			{
				rule: {
					family: 'inet',
					table: 'firewalld',
					chain: 'filter_INPUT',
					handle: 6,
					expr: [{match: {op: '==', left: {payload: {protocol: 'udp', field: 'dport'}}, right: 5060}}, {accept: null}],
				},
			},
			{
				rule: {
					family: 'inet',
					table: 'firewalld',
					chain: 'filter_INPUT',
					handle: 7,
					expr: [{reject: {type: 'icmpx', expr: 'admin-prohibited'}}],
				},
			},
		],
	});
	const ruleset = nft(json);
	assert.equal(packetFate(ruleset, udp(5060)).decision, 'allowed');
	const fate = packetFate(ruleset, udp(9000));
	assert.equal(fate.decision, 'blocked');
	assert.equal(fate.cause?.handle, 7);
	assert.equal(recogniseTool({tables: ['inet firewalld'], chains: []}, 'nftables'), 'firewalld');
});

test('ranges decided per segment equal a walk of every port', () => {
	const rulesets = [
		nft(fixture('nft-mixed.json')),
		decodeIptablesSave(fixture('ufw-iptables-save.txt'), 'ipv4', 'iptables').ruleset,
	];
	fc.assert(
		fc.property(fc.uniqueArray(fc.integer({min: 1, max: 12_000}), {maxLength: 300}), ports => {
			const packet = {protocol: 'udp' as const, family: 'ipv4' as const, inputInterface: null};
			const expanded = decideRanges(rulesets, ports, packet).flatMap(item => {
				const [from, to = from] = item.ports.split('-').map(Number) as [number, number?];
				return range(from, to).map(port => [port, item.decision, item.rule]);
			});
			const direct = [...ports]
				.sort((a, b) => a - b)
				.map(port => {
					const fate = combinedFate(rulesets, {...packet, port});
					return [port, fate.decision, expanded.find(([p]) => p === port)?.[2] ?? null];
				});
			assert.deepEqual(
				expanded.map(([port, decision]) => [port, decision]),
				direct.map(([port, decision]) => [port, decision]),
			);
		}),
		{numRuns: 60},
	);
});

test('decoders never throw on garbage, and garbage never reads as allowed through a drop policy', () => {
	fc.assert(
		fc.property(fc.string(), fc.jsonValue(), (text, value) => {
			decodeIptablesSave(text, 'ipv4', 'iptables');
			decodeNftRuleset(text);
			decodeNftRuleset(JSON.stringify(value));
			decodeNftRuleset(JSON.stringify({nftables: [value, {rule: value}, {chain: value}]}));
			const ruleset = iptables(`:INPUT DROP [0:0]\n-A INPUT ${text.replaceAll('\n', ' ')}`);
			assert.notEqual(packetFate(ruleset, udp(9000)).decision === 'allowed' && !/ACCEPT|-g|-j/.test(text), true);
		}),
		{numRuns: 300},
	);
	assert.deepEqual(splitWords('-A INPUT -j LOG --log-prefix "[UFW BLOCK] "'), [
		'-A',
		'INPUT',
		'-j',
		'LOG',
		'--log-prefix',
		'[UFW BLOCK] ',
	]);
});

test('allow commands: a rule just before the one that blocks, or after the rules for a policy', () => {
	const ruleset = nft(fixture('nft-mixed.json'));
	const [policy, rule] = decideRanges([ruleset], [9100, 9500], {protocol: 'udp', family: 'ipv4', inputInterface: null});
	assert.deepEqual(allowCommands('nftables', policy!), ['nft add rule inet filter input udp dport 9100 accept']);
	assert.deepEqual(allowCommands('nftables', rule!), ['nft insert rule inet filter input position 8 udp dport 9500 accept']);
	const legacy = decideRanges(
		[
			decodeIptablesSave(
				'*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --dport 9000:9099 -j REJECT\nCOMMIT\n',
				'ipv4',
				'iptables-legacy',
			).ruleset,
		],
		range(9000, 9099),
		{protocol: 'udp', family: 'ipv4', inputInterface: null},
	);
	assert.deepEqual(allowCommands('iptables-legacy', legacy[0]!), [
		'iptables-legacy -I INPUT 1 -p udp --dport 9000:9099 -j ACCEPT',
	]);
	assert.deepEqual(allowCommands('firewalld', legacy[0]!), [
		'firewall-cmd --permanent --add-port=9000-9099/udp',
		'firewall-cmd --reload',
	]);
});

/** A Runner replaying recorded outputs; an Error value is thrown as execa would. */
const replay =
	(answers: Record<string, string | Error>): Runner =>
	async (file, args) => {
		const answer = answers[[file, ...args].join(' ')] ?? answers[file];
		if (answer === undefined) {
			throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		}

		if (answer instanceof Error) {
			throw answer;
		}

		return {stdout: answer};
	};

test('the reader: iptables tables from iptables-save, the rest from nft, both decided together', async () => {
	const report = await readHostFirewall({
		udpPorts: range(9000, 9599),
		run: replay({nft: fixture('ufw-nft.json'), 'iptables-save': fixture('ufw-iptables-save.txt')}),
	});
	assert.equal(report.checked, true);
	assert.equal(report.tool, 'ufw');
	assert.deepEqual(
		report.ranges.map(item => [item.ports, item.decision]),
		[
			['9000-9499', 'allowed'],
			['9500-9599', 'blocked'],
		],
	);
	assert.deepEqual(report.fixes, [{protocol: 'udp', ports: '9500-9599', commands: ['ufw allow 9500:9599/udp']}]);
});

test('the reader: without root, one line says the firewall was not read and how to read it', async () => {
	const denied = Object.assign(new Error('Command failed'), {
		exitCode: 1,
		stderr: 'Operation not permitted (you must be root)\nnetlink: Error: cache initialization failed: Operation not permitted',
	});
	const report = await readHostFirewall({udpPorts: [9000], run: replay({nft: denied, 'iptables-save': denied})});
	assert.equal(report.checked, false);
	assert.deepEqual(report.ranges, []);
	assert.match(report.note, /root/);
	assert.doesNotMatch(report.note, /\n/);
});

test('the reader: no tools at all, or nft printing nonsense, is a note and never a verdict', async () => {
	const none = await readHostFirewall({udpPorts: [9000], run: replay({})});
	assert.equal(none.checked, false);
	assert.match(none.note, /neither nft nor iptables-save is installed/);
	const garbage = await readHostFirewall({udpPorts: [9000], run: replay({nft: 'not json'})});
	assert.equal(garbage.checked, true);
	assert.match(garbage.note, /not JSON/);
});

/** The kernel's list of legacy tables as the reader sees it: listing some, empty, or unreadable. */
const legacyTables =
	(present: boolean | undefined): ((family: 'ipv4' | 'ipv6') => Promise<boolean | undefined>) =>
	async () =>
		present;

const legacyRejectSave =
	'# Generated by iptables-save v1.8.9 (legacy)\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dport 9000:9099 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n';

for (const present of [true, undefined]) {
	test(`the reader: legacy tables (kernel list ${present === undefined ? 'unreadable, iptables-nft warns' : 'names them'}) read too, a legacy drop blocks`, async () => {
		const nftSave =
			'# Generated by iptables-save v1.8.9 (nf_tables)\n# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n';
		const report = await readHostFirewall({
			udpPorts: range(9000, 9199),
			run: replay({nft: '{"nftables": []}', 'iptables-save': nftSave, 'iptables-legacy-save': legacyRejectSave}),
			legacyTables: legacyTables(present),
		});
		checkLegacyReject(report);
	});
}

const checkLegacyReject = (report: Awaited<ReturnType<typeof readHostFirewall>>): void => {
	assert.deepEqual(
		report.ranges.map(item => [item.ports, item.decision, item.rule]),
		[
			[
				'9000-9099',
				'blocked',
				'iptables-legacy: -A INPUT -p udp -m udp --dport 9000:9099 -j REJECT --reject-with icmp-port-unreachable (rule 1)',
			],
			['9100-9199', 'allowed', null],
		],
	);
	assert.deepEqual(report.fixes[0]?.commands, ['iptables-legacy -I INPUT 1 -p udp --dport 9000:9099 -j ACCEPT']);
};

test('the reader: iptables-save silent (no nf_tables tables, its warning on stderr) still reads the legacy tables', async () => {
	// As iptables 1.8.9 prints it in a namespace whose only rules are legacy ones: no "(legacy)" either.
	const legacySave =
		'# Generated by iptables-save v1.8.9 on Sat Dec  5 13:54:05 2026\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dport 9500:9599 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n';
	const report = await readHostFirewall({
		udpPorts: range(9400, 9599),
		run: replay({nft: '{"nftables": []}', 'iptables-save': '', 'iptables-legacy-save': legacySave}),
		legacyTables: legacyTables(true),
	});
	assert.equal(report.tool, 'iptables-legacy');
	assert.deepEqual(
		report.ranges.map(item => [item.ports, item.decision]),
		[
			['9400-9499', 'allowed'],
			['9500-9599', 'blocked'],
		],
	);
	assert.deepEqual(report.fixes[0]?.commands, ['iptables-legacy -I INPUT 1 -p udp --dport 9500:9599 -j ACCEPT']);
});

test('the reader: no legacy tables in the kernel, iptables-legacy-save is not run even when iptables-save is silent', async () => {
	const started: string[] = [];
	const run: Runner = async (file, args) => {
		started.push(file);
		return replay({nft: fixture('ufw-nft.json'), 'iptables-save': '', 'iptables-legacy-save': legacyRejectSave})(file, args, {
			timeoutMs: 1000,
		});
	};

	const report = await readHostFirewall({udpPorts: range(9000, 9099), run, legacyTables: legacyTables(false)});
	assert.deepEqual(started.sort(), ['iptables-save', 'nft']);
	assert.deepEqual(
		report.runs.map(item => item.command[0]),
		['nft', 'iptables-save'],
	);
	assert.ok(report.ranges.every(item => !item.rule?.startsWith('iptables-legacy')));
});

test('the reader: every command starts before any has answered (they run side by side)', async () => {
	const events: string[] = [];
	const answers = replay({nft: '{"nftables": []}', 'iptables-save': '', 'iptables-legacy-save': legacyRejectSave});
	const run: Runner = async (file, args, options) => {
		events.push(`start ${file}`);
		// Answer on a later turn of the event loop: a reader running them one by one starts the next only then.
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		events.push(`end ${file}`);
		return answers(file, args, options);
	};

	const report = await readHostFirewall({udpPorts: range(9000, 9199), run, legacyTables: legacyTables(true)});
	assert.deepEqual(
		events.slice(0, 3).sort(),
		['start iptables-legacy-save', 'start iptables-save', 'start nft'],
		events.join(', '),
	);
	checkLegacyReject(report);
});
