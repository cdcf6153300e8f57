// The report model: one place decides overall verdict, status, exit code, re-run merges and
// counter sums; the shared formatters print addresses, owners and durations one way.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatDuration, formatOwner} from '../../source/words/format.js';
import {ExitCode, exitCodeFor, mergeReports, mostCommonIp, overallVerdict, sumCounts} from '../../source/check/report-model.js';
import {formatAddress, formatHostPort, splitAddressText} from '../../source/stun/address.js';
import {makeReport, portResult} from '../ui/fixtures.js';

test('overall verdict: one common code, some-failed when mixed, cancelled wins', () => {
	const ok = [portResult(9000, 'ok'), portResult(9001, 'ok')];
	assert.deepEqual({...overallVerdict(ok, false), message: undefined}, {status: 'pass', code: 'ok', message: undefined});
	const closed = [portResult(9000, 'inbound-blocked'), portResult(9001, 'inbound-blocked')];
	assert.equal(overallVerdict(closed, false).code, 'inbound-blocked');
	assert.equal(overallVerdict(closed, false).status, 'fail');
	const mixed = [portResult(9000, 'ok'), portResult(9001, 'inbound-blocked'), portResult(9002, 'port-in-use')];
	assert.equal(overallVerdict(mixed, false).code, 'some-failed');
	assert.equal(overallVerdict(mixed, false).status, 'fail');
	assert.equal(overallVerdict(ok, true).status, 'cancelled');
	assert.equal(overallVerdict(ok, true).code, 'cancelled');
});

test('overall verdict: beside ok ports, busy or unbindable ones are the headline, not some-failed', () => {
	const busy = overallVerdict([portResult(9000, 'ok'), portResult(9001, 'port-in-use'), portResult(9002, 'ok')], false);
	assert.equal(busy.code, 'port-in-use');
	assert.equal(busy.message, 'Another program holds this port, so it could not be checked.');
	// Not every port ok: the exit code stays 1, as documented.
	assert.equal(busy.status, 'fail');
	assert.equal(exitCodeFor(busy.status), ExitCode.failed);
	const needsRoot = overallVerdict([portResult(80, 'port-not-permitted'), portResult(9000, 'ok')], false);
	assert.equal(needsRoot.code, 'port-not-permitted');
	const both = [portResult(80, 'port-not-permitted'), portResult(9000, 'ok'), portResult(9001, 'port-in-use')];
	assert.equal(overallVerdict(both, false).code, 'port-in-use');
	assert.equal(overallVerdict([portResult(9000, 'ok'), portResult(9001, 'port-in-use')], true).code, 'cancelled');
});

test('a re-run merge: a port this user may not bind is no cancel', () => {
	const first = makeReport([portResult(80, 'port-not-permitted'), portResult(9001, 'inbound-blocked')]);
	const merged = mergeReports(first, makeReport([portResult(9001, 'ok')]), [first.ports[0]!, portResult(9001, 'ok')]);
	assert.equal(merged.status, 'fail');
	assert.equal(merged.code, 'port-not-permitted');
});

test('exit codes follow the status, and only the status', () => {
	assert.equal(exitCodeFor('pass'), ExitCode.ok);
	assert.equal(exitCodeFor('fail'), ExitCode.failed);
	assert.equal(exitCodeFor('cancelled'), ExitCode.cancelled);
	assert.equal(exitCodeFor('error'), ExitCode.couldNotRun);
	assert.deepEqual(Object.values(ExitCode), [0, 1, 2, 3, 130]);
});

test('a re-run merges: the verdict is decided over every port, counters and time add up', () => {
	const first = makeReport([portResult(9000, 'ok'), portResult(9001, 'inbound-blocked')], {
		stats: {packetsSent: 10, dropped: {garbage: 1, unknownTransaction: 2, wrongSource: 3}},
		durationMs: 1000,
	});
	const rerunResult = portResult(9001, 'ok');
	const rerun = makeReport([rerunResult], {
		stats: {packetsSent: 4, dropped: {garbage: 0, unknownTransaction: 1, wrongSource: 0}},
		durationMs: 250,
		server: null,
	});
	const merged = mergeReports(first, rerun, [first.ports[0]!, rerunResult]);
	assert.equal(merged.status, 'pass');
	assert.equal(merged.code, 'ok');
	assert.equal(merged.durationMs, 1250);
	assert.deepEqual(merged.stats, {packetsSent: 14, dropped: {garbage: 1, unknownTransaction: 3, wrongSource: 3}});
	assert.deepEqual(merged.server, first.server, 'a re-run without a server keeps the first one');

	const stillFailing = mergeReports(first, rerun, [first.ports[0]!, portResult(9001, 'inbound-blocked')]);
	assert.equal(stillFailing.code, 'some-failed');
	const partly = mergeReports(first, rerun, [first.ports[0]!, portResult(9001, 'skipped')]);
	assert.equal(partly.status, 'cancelled');
});

test('sumCounts adds nested counters field by field and leaves its inputs alone', () => {
	const a = {sent: 1, dropped: {x: 2, y: 3}};
	const b = {sent: 10, dropped: {x: 20, y: 30}};
	assert.deepEqual(sumCounts(a, b), {sent: 11, dropped: {x: 22, y: 33}});
	assert.deepEqual(a, {sent: 1, dropped: {x: 2, y: 3}});
});

test('public IP: the one most ports left from, IPv6 without brackets', () => {
	const at = (port: number, mapped: string | null) => ({...portResult(port, 'ok'), mapped});
	assert.equal(mostCommonIp([at(1, '198.51.100.1:1'), at(2, '198.51.100.2:2'), at(3, '198.51.100.2:3')]), '198.51.100.2');
	assert.equal(mostCommonIp([at(1, '[2001:db8::1]:9000'), at(2, null)]), '2001:db8::1');
	assert.equal(mostCommonIp([at(1, null)]), null);
});

test('addresses print one way: IPv6 in brackets, and read back the same', () => {
	assert.equal(formatAddress({family: 4, address: '203.0.113.5', port: 9000}), '203.0.113.5:9000');
	assert.equal(formatAddress({family: 6, address: '2001:db8::5', port: 9000}), '[2001:db8::5]:9000');
	assert.equal(formatHostPort('stun.example.net', 3478), 'stun.example.net:3478');
	assert.equal(formatHostPort('2001:db8::7', 3478), '[2001:db8::7]:3478');
	for (const [ip, port] of [
		['203.0.113.5', 9000],
		['2001:db8::5', 1],
		['::ffff:192.0.2.1', 65_535],
	] as const) {
		assert.deepEqual(splitAddressText(formatHostPort(ip, port)), {ip, port});
	}

	for (const bad of ['', '203.0.113.5', '2001:db8::5:9000', '[2001:db8::5]', 'host:99999', '[x]:1:2']) {
		assert.equal(splitAddressText(bad), undefined, bad);
	}
});

test('owners and durations read the same in every output', () => {
	assert.equal(formatOwner({name: 'asterisk', pid: 812}), 'asterisk (pid 812)');
	assert.equal(formatOwner({name: '', pid: 4}), 'pid 4');
	assert.equal(formatDuration(999), '1.0 s');
	assert.equal(formatDuration(12_449), '12.4 s');
	assert.equal(formatDuration(65_000), '1 min 05 s');
	assert.equal(formatDuration(3_599_000), '59 min 59 s');
});
