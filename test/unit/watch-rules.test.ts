// Watch mode's shared decisions (check/watch-rules.ts): which service checks a round runs again,
// how a round's report joins the one before, and when watching stops.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {CheckReport, ServicesConfig} from '../../source/check/types.js';
import {mergeWatchRound, servicesToRecheck, watchLimitMs, watchStop, watchedPorts} from '../../source/check/watch-rules.js';
import {makeReport, portResult} from '../ui/fixtures.js';
import {clean, unavailable, withAlg} from '../ui/service-fixtures.js';

const asked: ServicesConfig = {sip: true, sipPort: 5060, tcp: [5001, 5060, 5061, 5090]};
const origin = {fwcheckVersion: '0.1.0', host: 'pbx', checkedAt: '2026-12-05T14:00:00+00:00'};

/** 9000-9001 ok, 9002 blocked, 9003 busy, with the ALG router's service results. */
const first = (): CheckReport => {
	const ports = [
		portResult(9000, 'ok'),
		portResult(9001, 'ok'),
		portResult(9002, 'inbound-blocked'),
		portResult(9003, 'port-in-use'),
	];
	return makeReport(ports, {...withAlg, origin});
};

test('a round checks the failed and busy ports, and only the service checks that failed', () => {
	assert.deepEqual(watchedPorts(first().ports), [9002, 9003]);
	// The UDP ALG failed (so both SIP checks run again); 5061 refused and 5090 elsewhere fail, 5060 busy does not.
	assert.deepEqual(servicesToRecheck(asked, first()), {sip: true, sipPort: 5060, tcp: [5061, 5090]});
	assert.deepEqual(servicesToRecheck({...asked, sip: false}, first()), {sip: false, sipPort: 5060, tcp: [5061, 5090]});
	assert.equal(servicesToRecheck(asked, makeReport(first().ports, clean)), undefined, 'all passed: none again');
	assert.equal(servicesToRecheck(asked, makeReport(first().ports, unavailable)), undefined, 'skipped stays skipped');
	assert.equal(servicesToRecheck(undefined, first()), undefined, 'not asked (--demo, tests)');
});

test('a round that ran the TCP checks only keeps the SIP results, and its ports join the whole report', () => {
	const [tcpOk] = clean.tcp!.filter(result => result.port === 5061);
	const round = makeReport([portResult(9002, 'ok'), portResult(9003, 'ok')], {
		services: withAlg.services,
		tcp: [tcpOk!, {...tcpOk!, port: 5090}],
		origin: {...origin, checkedAt: '2026-12-05T14:05:00+00:00'},
		durationMs: 1000,
	});
	const merged = mergeWatchRound(first(), round);
	assert.deepEqual(
		merged.ports.map(result => [result.port, result.code]),
		[
			[9000, 'ok'],
			[9001, 'ok'],
			[9002, 'ok'],
			[9003, 'ok'],
		],
	);
	assert.deepEqual(merged.sip, withAlg.sip, 'the SIP ALG result the round did not redo');
	assert.deepEqual(merged.sipService, withAlg.sipService);
	assert.deepEqual(
		merged.tcp?.map(result => [result.port, result.status]),
		[
			[5001, 'pass'],
			[5060, 'busy'],
			[5061, 'pass'],
			[5090, 'pass'],
		],
	);
	// Every port passes now, but the ALG still rewrites: the check still fails, for that reason.
	assert.equal(merged.status, 'fail');
	assert.equal(merged.code, 'sip-alg');
	assert.equal(merged.origin?.checkedAt, origin.checkedAt, 'when the check started, not the round');
	assert.equal(merged.durationMs, 4321 + 1000);
});

test('a round without service checks keeps them all; with every port passing, the check passes', () => {
	const previous = makeReport(first().ports, clean);
	const merged = mergeWatchRound(previous, makeReport([portResult(9002, 'ok'), portResult(9003, 'ok')]));
	assert.equal(merged.status, 'pass');
	assert.equal(merged.code, 'ok');
	assert.deepEqual(merged.tcp, clean.tcp);
});

test('watching stops when all pass, after an hour, or when stopped; a stop wins', () => {
	assert.equal(watchStop({interrupted: false, left: 3, elapsedMs: watchLimitMs - 1}), null);
	assert.equal(watchStop({interrupted: false, left: 0, elapsedMs: 10}), 'all pass');
	assert.equal(watchStop({interrupted: false, left: 3, elapsedMs: watchLimitMs}), 'an hour');
	assert.equal(watchStop({interrupted: false, left: 0, elapsedMs: watchLimitMs}), 'all pass');
	assert.equal(watchStop({interrupted: true, left: 0, elapsedMs: 10}), 'stopped');
});
