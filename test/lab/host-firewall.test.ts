// This machine's own firewall in the way while the router forwards everything: real nftables,
// iptables-legacy and ufw rules on the PBX, fwcheck against coturn. Each scenario: the ranges and
// the rule that decides each, the failing ports' checklist starting with this machine, the ports it
// lets in not blamed on it, and the ruleset exactly as it was before the check. A check whose
// ports all pass does not read it.
import assert from 'node:assert/strict';
import {afterEach, before, describe, test} from 'node:test';
import type {ReportJson} from '../../source/report/json.js';
import {HOSTS, setUpLab} from '../../lab/lab.js';
import {type HostFirewallScenario, clearHostFirewall, hostRuleset, setHostFirewall} from '../../lab/host-firewall.js';

const lab = setUpLab();

before(async () => {
	const l = await lab.ready;
	if (!l) return;
	await l.startCoturn();
});

interface Expected {
	scenario: HostFirewallScenario;
	ports: [number, number];
	tool: string;
	/** [ports, decision, the rule it names] for each range, in order. */
	ranges: Array<[string, string, RegExp | null]>;
	/** The command the checklist gives for the blocked range. */
	allow: string;
}

const scenarios: Expected[] = [
	{
		scenario: {kind: 'nft-drop-range'},
		ports: [9400, 9599],
		tool: 'nftables',
		ranges: [
			['9400-9499', 'allowed', null],
			['9500-9599', 'blocked', /^inet pbxfw input: udp dport 9500-9599 .*drop \(handle \d+\)$/],
		],
		allow: 'nft insert rule inet pbxfw input position',
	},
	{
		scenario: {kind: 'nft-policy-drop'},
		ports: [9900, 10_099],
		tool: 'nftables',
		ranges: [
			['9900-9999', 'allowed', null],
			['10000-10099', 'blocked', /^inet pbxfw input: policy drop$/],
		],
		allow: 'nft add rule inet pbxfw input udp dport 10000-10099 accept',
	},
	{
		scenario: {kind: 'iptables-legacy-reject'},
		ports: [9400, 9599],
		tool: 'iptables-legacy',
		ranges: [
			['9400-9499', 'allowed', null],
			['9500-9599', 'blocked', /^iptables-legacy: -A INPUT .*9500:9599.*-j REJECT.*\(rule 1\)$/],
		],
		allow: 'iptables-legacy -I INPUT 1 -p udp --dport 9500:9599 -j ACCEPT',
	},
	{
		scenario: {kind: 'ufw'},
		ports: [9400, 9599],
		tool: 'ufw',
		ranges: [
			['9400-9499', 'allowed', null],
			['9500-9599', 'blocked', /ufw-user-input .*9500:9599.*DROP/],
		],
		allow: 'ufw allow 9500:9599/udp',
	},
];

const inRange = (port: number, ports: string): boolean => {
	const [from = Number.NaN, to = from] = ports.split('-').map(Number);
	return port >= from && port <= to;
};

/** The plain report's checklists: the lines under each "What to do (label):". */
const checklists = (stdout: string): Map<string, string[]> => {
	const lists = new Map<string, string[]>();
	let current: string[] | undefined;
	for (const line of stdout.split('\n')) {
		const head = /^What to do \((.+)\):$/.exec(line);
		if (head) {
			current = [];
			lists.set(head[1]!, current);
		} else if (current && line.startsWith('  - ')) {
			current.push(line.slice(4));
		} else if (line.trim() === '') {
			current = undefined;
		}
	}

	return lists;
};

describe("this machine's firewall in the way (router forwards everything, coturn)", () => {
	afterEach(async () => {
		const l = await lab.ready;
		if (l) await clearHostFirewall(l);
	});

	for (const expected of scenarios) {
		test(expected.scenario.kind, async t => {
			const l = lab(t);
			if (!l) return;
			const [from, to] = expected.ports;
			await l.setRouter({kind: 'forward-all', ports: [from, to]});
			await setHostFirewall(l, expected.scenario);
			const before = await hostRuleset(l);
			assert.match(before, expected.scenario.kind.startsWith('iptables') ? /REJECT/ : /drop|DROP/i, 'the scenario set its rules');
			const args = ['--stun', HOSTS.coturn, '--ports', `${from}-${to}`, '--no-sip', '--no-router'];

			const json = await l.runFwcheck(['--json', ...args]);
			assert.equal(json.timedOut, false);
			assert.ok(json.json, `no JSON: ${json.jsonError ?? ''} ${json.stderr}`);
			const report = json.json as ReportJson;
			const firewall = report.hostFirewall;
			assert.ok(firewall, 'the report carries hostFirewall');
			assert.equal(firewall.checked, true, firewall.note);
			assert.equal(firewall.tool, expected.tool);
			const inbound = firewall.ranges.filter(range => !('direction' in range));
			assert.deepEqual(
				inbound.map(range => [range.protocol, range.ports, range.decision]),
				expected.ranges.map(([ports, decision]) => ['udp', ports, decision]),
			);
			// Dropping what comes in drops Test 1's answers too: those ports are decided outbound as
			// well, after the inbound ranges, and nothing here stops what leaves.
			const out = firewall.ranges.slice(inbound.length);
			assert.ok(
				out.every(range => range.direction === 'out' && range.decision === 'allowed'),
				JSON.stringify(out),
			);
			for (const [index, [, , rule]] of expected.ranges.entries()) {
				const decided: string | null | undefined = firewall.ranges[index]?.rule;
				if (rule) assert.match(decided ?? '', rule);
				else assert.equal(decided, null);
			}

			const blocked = firewall.ranges.filter(range => range.decision === 'blocked');
			assert.ok(blocked.every(range => range.allowCommands?.some(command => command.startsWith(expected.allow))));
			// The router forwards everything: exactly the ports this machine blocks fail, the others pass.
			for (const port of report.ports) {
				const here = blocked.some(range => inRange(port.port, range.ports));
				assert.equal(port.status, here ? 'fail' : 'pass', `port ${port.port}: ${port.code}`);
			}

			const plain = await l.runFwcheck(['--no-tui', ...args]);
			assert.equal(plain.timedOut, false);
			const lists = checklists(plain.stdout);
			const failingCodes = new Set(report.ports.flatMap(port => (port.status === 'fail' && port.code ? [port.code] : [])));
			assert.ok(failingCodes.size > 0);
			for (const code of failingCodes) {
				const steps = lists.get(code) ?? [];
				assert.match(steps[0] ?? '', /^This machine's own firewall/, `${code}: ${steps.join(' | ')}`);
				assert.ok(steps[0]!.includes(expected.allow), steps[0]);
				// Ports it lets in are not blamed on it, nor is what it lets out.
				const allowed = inbound.filter(range => range.decision === 'allowed').map(range => range.ports);
				assert.ok(!steps.some(step => step.startsWith("This machine's") && allowed.some(ports => step.includes(`UDP ${ports}`))));
				assert.ok(!steps.some(step => step.includes('blocks outbound')), steps.join(' | '));
			}

			assert.equal(await hostRuleset(l), before, 'reading the firewall changed nothing');
		});
	}

	test('every port passes: the firewall is not read, and the report says why', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'forward-all', ports: [9400, 9499]});
		await setHostFirewall(l, {kind: 'nft-drop-range'});
		const json = await l.runFwcheck(['--json', '--stun', HOSTS.coturn, '--ports', '9400-9499', '--no-sip', '--no-router']);
		assert.equal(json.timedOut, false);
		const report = json.json as ReportJson | undefined;
		assert.ok(report, `no JSON: ${json.jsonError ?? ''} ${json.stderr}`);
		assert.ok(
			report.ports.every(port => port.status === 'pass'),
			'this host lets 9400-9499 in',
		);
		assert.deepEqual(report.hostFirewall, {
			checked: false,
			tool: null,
			note: "This host's firewall was not read: no checked port or service failed, so it blocked none of them.",
			ranges: [],
		});
	});
});

/** The outbound scenarios: this machine drops what leaves from 9500-9509; 9000-9009 pass. */
const outbound: Array<{scenario: HostFirewallScenario; tool: string; rule: RegExp; allow: string}> = [
	{
		scenario: {kind: 'nft-drop-out'},
		tool: 'nftables',
		rule: /^inet pbxfw output: udp sport 9500-9509 .*drop \(handle \d+\)$/,
		allow: 'nft insert rule inet pbxfw output position',
	},
	{
		scenario: {kind: 'iptables-legacy-drop-out'},
		tool: 'iptables-legacy',
		rule: /^iptables-legacy: -A OUTPUT .*--sport 9500:9509 -j DROP \(rule 1\)$/,
		allow: 'iptables-legacy -I OUTPUT 1 -p udp --sport 9500:9509 -j ACCEPT',
	},
];

describe("this machine's firewall in the way out (router forwards everything, coturn)", () => {
	afterEach(async () => {
		const l = await lab.ready;
		if (l) await clearHostFirewall(l);
	});

	for (const expected of outbound) {
		test(expected.scenario.kind, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'forward-all', ports: [9000, 9509]});
			await setHostFirewall(l, expected.scenario);
			const before = await hostRuleset(l);
			assert.match(before, /9500/, 'the scenario set its rules');
			const args = ['--stun', HOSTS.coturn, '--ports', '9000-9009,9500-9509', '--no-sip', '--no-router'];

			const json = await l.runFwcheck(['--json', ...args]);
			assert.equal(json.timedOut, false);
			assert.ok(json.json, `no JSON: ${json.jsonError ?? ''} ${json.stderr}`);
			const report = json.json as ReportJson;
			for (const port of report.ports) {
				const here = port.port >= 9500;
				assert.equal(port.status, here ? 'fail' : 'pass', `port ${port.port}: ${port.code}`);
				if (here) assert.equal(port.code, 'outbound-blocked');
			}

			const firewall = report.hostFirewall;
			assert.ok(firewall, 'the report carries hostFirewall');
			assert.equal(firewall.checked, true, firewall.note);
			assert.equal(firewall.tool, expected.tool);
			const out = firewall.ranges.filter(range => 'direction' in range);
			assert.deepEqual(
				out.map(range => [range.protocol, range.ports, range.direction, range.decision]),
				[['udp', '9500-9509', 'out', 'blocked']],
			);
			assert.match(out[0]?.rule ?? '', expected.rule);
			assert.ok(
				out[0]?.allowCommands?.some(command => command.startsWith(expected.allow)),
				out[0]?.allowCommands?.join(' | '),
			);
			// Inbound, nothing here is in the way: every inbound range is allowed, without a direction key.
			assert.ok(firewall.ranges.filter(range => !('direction' in range)).every(range => range.decision === 'allowed'));

			const plain = await l.runFwcheck(['--no-tui', ...args]);
			assert.equal(plain.timedOut, false);
			const steps = checklists(plain.stdout).get('outbound-blocked') ?? [];
			assert.match(steps[0] ?? '', /^This machine's own firewall .*blocks outbound UDP from ports 9500-9509/, steps.join(' | '));
			assert.ok(steps[0]!.includes(expected.allow), steps[0]);
			// The passing ports are not blamed on it.
			assert.ok(!plain.stdout.includes('UDP 9000-9009 outbound'));
			assert.equal(await hostRuleset(l), before, 'reading the firewall changed nothing');
		});
	}
});
