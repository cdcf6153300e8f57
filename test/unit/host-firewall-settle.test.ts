import {test} from 'node:test';
import assert from 'node:assert/strict';
import {skippedPort, skippedTest} from '../../source/check/classify.js';
import {settleHostFirewall} from '../../source/check/host-firewall-settle.js';
import type {PortResult} from '../../source/check/types.js';
import type {HostFirewallReport} from '../../source/system/host-firewall.js';

const rule = 'inet filter input: udp dport 9500-9509 drop (handle 7)';
const outRule = 'inet filter output: udp sport 9600-9601 drop (handle 9)';

const reading: HostFirewallReport = {
	checked: true,
	tool: 'nftables',
	note: 'This host’s firewall blocks things (as read).',
	ranges: [
		{protocol: 'udp', ports: '9000-9009', decision: 'allowed', rule: null, sources: []},
		{protocol: 'udp', ports: '9500-9509', decision: 'blocked', rule, sources: []},
		{protocol: 'tcp', ports: '5060', decision: 'blocked', rule: 'inet filter input: tcp dport 5060 drop', sources: []},
		{protocol: 'udp', ports: '9600-9601', direction: 'out', decision: 'blocked', rule: outRule, sources: []},
	],
	fixes: [
		{protocol: 'udp', ports: '9500-9509', commands: ['nft insert rule inet filter input udp dport 9500-9509 accept']},
		{protocol: 'tcp', ports: '5060', commands: ['nft insert rule inet filter input tcp dport 5060 accept']},
		{
			protocol: 'udp',
			ports: '9600-9601',
			direction: 'out',
			commands: ['nft insert rule inet filter output udp sport 9600-9601 accept'],
		},
	],
	runs: [],
};

/** A port as a round left it: 'pass' (every test passed), 'fail' (Test 1 answered, inbound not), 'silent' (Test 1 unanswered). */
const port = (number: number, how: 'pass' | 'fail' | 'silent'): PortResult => {
	const base = skippedPort(number, '');
	const answered = {...skippedTest(), outcome: 'pass' as const};
	const failed = {...skippedTest(), outcome: 'fail' as const};
	return {
		...base,
		status: how === 'pass' ? 'pass' : 'fail',
		test1: how === 'silent' ? failed : answered,
		test2: how === 'pass' ? answered : failed,
	};
};

const ports = (how: (number: number) => 'pass' | 'fail' | 'silent'): PortResult[] =>
	[...Array.from({length: 10}, (_, i) => 9000 + i), ...Array.from({length: 10}, (_, i) => 9500 + i), 9600, 9601].map(number =>
		port(number, how(number)),
	);

test('nothing passes that the reading blamed: the reading is returned as it was', () => {
	const same = settleHostFirewall(
		reading,
		ports(number => (number < 9500 ? 'pass' : number < 9600 ? 'fail' : 'silent')),
	);
	assert.equal(same, reading);
});

test('a blocked range that passes now reads allowed, loses its fix, and the note is worked out again', () => {
	const settled = settleHostFirewall(
		reading,
		ports(number => (number < 9600 ? 'pass' : 'silent')),
	);
	assert.deepEqual(
		settled.ranges.map(range => [range.protocol, range.ports, range.direction ?? 'in', range.decision, range.rule]),
		[
			['udp', '9000-9009', 'in', 'allowed', null],
			['udp', '9500-9509', 'in', 'allowed', null],
			['tcp', '5060', 'in', 'blocked', 'inet filter input: tcp dport 5060 drop'],
			['udp', '9600-9601', 'out', 'blocked', outRule],
		],
	);
	assert.deepEqual(
		settled.fixes.map(fix => [fix.protocol, fix.ports, fix.direction ?? 'in']),
		[
			['tcp', '5060', 'in'],
			['udp', '9600-9601', 'out'],
		],
	);
	// The TCP range still blocks (service checks are not ports of the sweep), and the outbound one.
	assert.match(settled.note, /blocks inbound traffic to one range/);
	assert.match(settled.note, /outbound/);
});

test('part of a range passes: it splits, the rest keeps its rule and its fix under its own ports', () => {
	const settled = settleHostFirewall(
		reading,
		ports(number => (number >= 9503 && number <= 9505 ? 'fail' : number >= 9600 ? 'silent' : 'pass')),
	);
	assert.deepEqual(
		settled.ranges
			.filter(range => range.protocol === 'udp' && !range.direction)
			.map(range => [range.ports, range.decision, range.rule]),
		[
			['9000-9009', 'allowed', null],
			['9500-9502', 'allowed', null],
			['9503-9505', 'blocked', rule],
			['9506-9509', 'allowed', null],
		],
	);
	const fix = settled.fixes.find(entry => entry.protocol === 'udp' && !entry.direction);
	assert.equal(fix?.ports, '9503-9505');
	assert.deepEqual(fix?.commands, reading.fixes[0]!.commands);
});

test('outbound: a port whose Test 1 is answered now is let out, even while its inbound still fails', () => {
	const settled = settleHostFirewall(
		reading,
		ports(number => (number < 9500 ? 'pass' : 'fail')),
	);
	const out = settled.ranges.filter(range => range.direction === 'out');
	assert.deepEqual(
		out.map(range => [range.ports, range.decision]),
		[['9600-9601', 'allowed']],
	);
	assert.ok(!settled.fixes.some(fix => fix.direction === 'out'));
	assert.doesNotMatch(settled.note, /outbound/);
});

test('a reading that could not be made is left alone', () => {
	const notRead: HostFirewallReport = {checked: false, tool: null, note: 'needs root', ranges: [], fixes: [], runs: []};
	assert.equal(
		settleHostFirewall(
			notRead,
			ports(() => 'pass'),
		),
		notRead,
	);
});
