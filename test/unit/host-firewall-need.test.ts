// When a check needs this host's firewall: which of the sweep's events are the first sign of a
// failure (the read starts there), which finished reports need it, and what a report says when
// nothing failed and the firewall was not read; what a re-run keeps of an earlier reading.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	eventShowsFailure,
	hostFirewallNotNeeded,
	readNotNeeded,
	reportNeedsHostFirewall,
} from '../../source/check/host-firewall-need.js';
import {skippedPort} from '../../source/check/classify.js';
import type {
	CheckReport,
	PortResult,
	SipAlgCheck,
	SipServiceOutcome,
	SweepEvent,
	TcpPortResult,
} from '../../source/check/types.js';
import {mergeWatchRound} from '../../source/check/watch-rules.js';
import type {HostFirewallReport} from '../../source/system/host-firewall.js';
import {mergeReport} from '../../source/ui/state/merge-report.js';
import {makeReport, portResult} from '../ui/fixtures.js';

const port = (status: PortResult['status'], number = 9000): PortResult => ({...skippedPort(number, ''), status});
const tcp = (status: TcpPortResult['status']): TcpPortResult => ({
	port: 8089,
	status,
	code: null,
	message: '',
	process: null,
	outcome: null,
	reachedThisHost: null,
});
const alg = (status: SipAlgCheck['status'], found = false): SipAlgCheck => ({
	transport: 'udp',
	status,
	alg: found,
	code: null,
	message: '',
	rewritten: [],
	exchanges: [],
});
const sipOutcome = (status: SipServiceOutcome['status']): SipServiceOutcome => ({
	status,
	code: null,
	message: '',
	statusLine: null,
	privateAddress: null,
	reachedThisHost: null,
});
const sipService = (udp: SipServiceOutcome['status'], tcpStatus: SipServiceOutcome['status']) => ({
	port: 5060,
	held: false,
	process: null,
	udp: sipOutcome(udp),
	tcp: sipOutcome(tcpStatus),
});
const offered = {offered: true, detail: ''};

test('the events that start the read, and those that do not', () => {
	const table: Array<[string, SweepEvent, boolean]> = [
		['Test 3 failed in the quick pass', {type: 'test3-port', port: 9000, outcome: 'fail', attempt: 1}, true],
		['Test 3 failed on a recheck', {type: 'test3-port', port: 9000, outcome: 'fail', attempt: 3}, true],
		['Test 3 passed', {type: 'test3-port', port: 9000, outcome: 'pass', attempt: 1}, false],
		['Test 3 found the port busy', {type: 'test3-port', port: 9000, outcome: 'busy', attempt: 1}, false],
		['failures being confirmed', {type: 'confirming', ports: [9000, 9001], reason: 'loss'}, true],
		['a confirmation of no port', {type: 'confirming', ports: [], reason: 'loss'}, false],
		['a port finished failing (Tests 1-2)', {type: 'port-finished', result: port('fail')}, true],
		['a port finished passing', {type: 'port-finished', result: port('pass')}, false],
		['a port finished busy', {type: 'port-finished', result: port('busy')}, false],
		['a port skipped (this user may not bind it)', {type: 'port-finished', result: port('skipped')}, false],
		['a TCP port failed', {type: 'services-finished', services: offered, tcp: [tcp('pass'), tcp('fail')]}, true],
		['TCP ports passed or busy', {type: 'services-finished', services: offered, tcp: [tcp('pass'), tcp('busy')]}, false],
		['the SIP service was silent', {type: 'services-finished', services: offered, sipService: sipService('pass', 'fail')}, true],
		['the SIP service answered', {type: 'services-finished', services: offered, sipService: sipService('pass', 'pass')}, false],
		['a SIP ALG found', {type: 'services-finished', services: offered, sip: {udp: alg('fail', true), tcp: alg('pass')}}, true],
		['no SIP ALG', {type: 'services-finished', services: offered, sip: {udp: alg('pass'), tcp: alg('pass')}}, false],
		['services not offered, so skipped', {type: 'services-finished', services: {offered: false, detail: 'no'}}, false],
		['the sweep started', {type: 'sweep-started', ports: [9000]}, false],
		['Test 3 pass over, failures counted', {type: 'test3-finished', passed: 1, failed: 1, skippedReason: null}, false],
		['a port started', {type: 'port-started', port: 9000}, false],
		['paced', {type: 'paced', rate: 100, reason: 'loss'}, false],
		[
			'a server rejected',
			{type: 'server-rejected', host: 'stun.test', port: 3478, code: 'stun-unreachable', detail: 'silent'},
			false,
		],
	];
	for (const [name, event, starts] of table) {
		assert.equal(eventShowsFailure(event), starts, name);
	}
});

const report = (fields: Partial<CheckReport>): CheckReport =>
	({status: 'pass', ports: [port('pass')], ...fields}) as unknown as CheckReport;

test('the finished reports that need the firewall: a failed port or service, or no usable server', () => {
	const table: Array<[string, CheckReport, boolean]> = [
		['every port passed', report({}), false],
		[
			'passed and busy ports (busy alone is no failure)',
			report({status: 'fail', ports: [port('pass'), port('busy', 9001)]}),
			false,
		],
		['a port this user may not bind', report({status: 'fail', ports: [port('pass'), port('skipped', 80)]}), false],
		['a failed port', report({status: 'fail', ports: [port('pass'), port('fail', 9001)]}), true],
		['a failed TCP port', report({status: 'fail', tcp: [tcp('fail')]}), true],
		['a silent SIP service', report({status: 'fail', sipService: sipService('fail', 'pass')}), true],
		['a SIP ALG', report({status: 'fail', sip: {udp: alg('pass'), tcp: alg('fail', true)}}), true],
		['services that passed', report({tcp: [tcp('pass')], sipService: sipService('pass', 'pass')}), false],
		['no server could be used', report({status: 'error', ports: [port('skipped')]}), true],
		['cancelled before anything failed', report({status: 'cancelled', ports: [port('pass'), port('skipped', 9001)]}), false],
		['cancelled after a failure', report({status: 'cancelled', ports: [port('fail'), port('skipped', 9001)]}), true],
	];
	for (const [name, finished, needs] of table) {
		assert.equal(reportNeedsHostFirewall(finished), needs, name);
	}
});

test('not read because nothing failed: one English line that says why, and it reads back as such', () => {
	const passed = hostFirewallNotNeeded(report({}));
	assert.deepEqual({...passed, note: ''}, {checked: false, tool: null, note: '', ranges: [], fixes: [], runs: []});
	assert.match(passed.note, /^This host's firewall was not read: no checked port or service failed/);
	const cancelled = hostFirewallNotNeeded(report({status: 'cancelled'}));
	assert.match(cancelled.note, /cancelled before any port or service failed/);
	assert.ok(readNotNeeded(passed) && readNotNeeded(cancelled));
	assert.equal(readNotNeeded(undefined), false);
	assert.equal(
		readNotNeeded({...passed, note: "This host's firewall was not read: that needs root (run fwcheck with sudo)."}),
		false,
	);
	assert.equal(readNotNeeded({...passed, checked: true}), false);
});

/** A reading made when some ports failed: 9002 blocked here. */
const reading: HostFirewallReport = {
	checked: true,
	tool: 'nftables',
	note: "This host's firewall (nftables) blocks inbound traffic to one range of the checked ports.",
	ranges: [{protocol: 'udp', ports: '9002', decision: 'blocked', rule: 'inet t input: policy drop', sources: []}],
	fixes: [],
	runs: [],
};

test('a re-run that read nothing keeps the reading while other ports still fail (TUI r, watch)', () => {
	const failed = [portResult(9000, 'ok'), portResult(9001, 'inbound-blocked'), portResult(9002, 'inbound-blocked')];
	const previous = makeReport(failed, {hostFirewall: reading});
	// `r` on 9001, which passes now: that run needed no reading, but 9002 still fails.
	const rerun = makeReport([portResult(9001, 'ok')]);
	const rerunReport = {...rerun, hostFirewall: hostFirewallNotNeeded(rerun)};
	const rows = (results: PortResult[]) => results.map(result => ({port: result.port, phase: 'done' as const, result}));
	const merged = mergeReport(previous, rerunReport, rows([failed[0]!, portResult(9001, 'ok'), failed[2]!]));
	assert.equal(merged.status, 'fail');
	assert.deepEqual(merged.hostFirewall, reading);
	// Everything passes after the re-run: the reading is no longer needed, and the report says so.
	const allPass = mergeReport(previous, rerunReport, rows([failed[0]!, portResult(9001, 'ok'), portResult(9002, 'ok')]));
	assert.equal(allPass.status, 'pass');
	assert.equal(readNotNeeded(allPass.hostFirewall), true);
	// A watch round keeps the first reading; one the first check did not need yields to a round's.
	assert.deepEqual(mergeWatchRound(previous, rerunReport).hostFirewall, reading);
	const busyOnly = makeReport([portResult(9000, 'ok'), portResult(9003, 'port-in-use')]);
	const notNeededFirst = {...busyOnly, hostFirewall: hostFirewallNotNeeded(busyOnly)};
	const roundThatRead = makeReport([portResult(9003, 'inbound-blocked')], {hostFirewall: reading});
	assert.deepEqual(mergeWatchRound(notNeededFirst, roundThatRead).hostFirewall, reading);
});

test('a watch round where the blocked port passes: the kept reading no longer blames this host for it', () => {
	const failed = [portResult(9000, 'ok'), portResult(9001, 'inbound-blocked'), portResult(9002, 'inbound-blocked')];
	const previous = makeReport(failed, {hostFirewall: reading});
	// The admin ran the allow command: 9002 passes in a round that, failing nowhere, read nothing.
	const round = makeReport([portResult(9002, 'ok')]);
	const merged = mergeWatchRound(previous, {...round, hostFirewall: hostFirewallNotNeeded(round)});
	assert.deepEqual(
		merged.hostFirewall?.ranges.map(range => [range.ports, range.decision]),
		[['9002', 'allowed']],
	);
	assert.equal(merged.hostFirewall?.note, "This host's firewall (nftables) lets the checked ports in.");
});
