import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Method, type StunMessage, decodeMessage, encodeMessage, type AttributeInput} from '../../source/stun/index.js';
import type {RequestResult} from '../../source/stun/stun-socket.js';
import {classifyPort, skippedTest, testDetail, test3WithoutTest2Note} from '../../source/check/classify.js';
import {Pacer} from '../../source/check/pacer.js';
import type {Clock} from '../../source/net/clock.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';
import {RttEstimator} from '../../source/check/rtt.js';
import {overallCode} from '../../source/check/report-model.js';
import {parseServerSpec} from '../../source/check/server-select.js';
import {UsageError, configFromFlags} from '../../source/cli/config.js';

const server = {family: 4 as const, address: '198.51.100.10', port: 3478};
const other = {family: 4 as const, address: '198.51.100.11', port: 3479};

const reply = (attributes: AttributeInput[], messageClass: 'success' | 'error' = 'success'): StunMessage => {
	const decoded = decodeMessage(
		encodeMessage({method: Method.binding, messageClass, transactionId: Buffer.alloc(12, 1), attributes}),
	);
	assert.ok(decoded.ok);
	return decoded.message;
};

const answered = (from: typeof server, mappedPort: number, extra: AttributeInput[] = []): RequestResult => ({
	ok: true,
	response: reply([{kind: 'xor-mapped-address', address: {family: 4, address: '203.0.113.1', port: mappedPort}}, ...extra]),
	from,
	rttMs: 12,
	sends: 1,
	sendTimes: [0],
	elapsedMs: 12,
	wrongSource: [],
});
const silent: RequestResult = {
	ok: false,
	reason: 'timeout',
	sends: 6,
	sendTimes: [0, 1, 2, 3, 4, 5],
	elapsedMs: 700,
	wrongSource: [],
};

test('verdicts: ok, inbound-blocked, outbound-blocked', () => {
	const ok = classifyPort({port: 9000, test1: answered(server, 9000), test2: answered(other, 9000), attempts: 1});
	assert.equal(ok.code, 'ok');
	assert.equal(ok.status, 'pass');
	assert.equal(ok.mapped, '203.0.113.1:9000');
	assert.equal(ok.test2.from, '198.51.100.11:3479');

	const closed = classifyPort({port: 9000, test1: answered(server, 9000), test2: silent, attempts: 1});
	assert.equal(closed.code, 'inbound-blocked');
	assert.equal(closed.test1.outcome, 'pass');
	assert.equal(closed.test2.outcome, 'fail');

	const blocked = classifyPort({port: 9000, test1: silent, test2: undefined, attempts: 1});
	assert.equal(blocked.code, 'outbound-blocked');
	assert.equal(blocked.test2.outcome, 'skipped');
	assert.equal(blocked.mapped, null);
});

test('verdicts: the precedence of Test 3 against Tests 1 and 2, as a table', () => {
	const t3pass = testDetail(answered(other, 40_000), 1);
	const t3fail = testDetail(silent, 1);
	const t3skipped = skippedTest();
	type Row = [test1: RequestResult, test2: RequestResult | undefined, test3: typeof t3pass, code: string, unsolicited: string];
	const rows: Row[] = [
		[answered(server, 9000), answered(other, 9000), t3pass, 'ok', 'pass'],
		[answered(server, 9000), answered(other, 9000), t3fail, 'mapping-only', 'fail'],
		[answered(server, 9000), answered(other, 9000), t3skipped, 'ok', 'skipped'],
		[answered(server, 9000), silent, t3fail, 'inbound-blocked', 'fail'],
		[answered(server, 9000), silent, t3pass, 'inbound-blocked', 'pass'],
		[answered(server, 41_234), answered(other, 41_234), t3fail, 'port-translated', 'fail'],
		[silent, undefined, t3pass, 'outbound-blocked', 'pass'],
		[silent, undefined, t3fail, 'outbound-blocked', 'fail'],
	];
	for (const [test1, test2, test3, code, unsolicited] of rows) {
		const result = classifyPort({port: 9000, test1, test2, test3, attempts: 1});
		const label = `${code} with Test 3 ${test3.outcome}`;
		assert.equal(result.code, code, label);
		assert.equal(result.test3.outcome, unsolicited, label);
		assert.equal(result.test3, test3, label);
		assert.equal(result.status, code === 'ok' ? 'pass' : 'fail', label);
		assert.equal(result.notes.includes(test3WithoutTest2Note), code === 'inbound-blocked' && test3.outcome === 'pass', label);
	}

	const mismatch = classifyPort({
		port: 9000,
		test1: answered(server, 9000),
		test2: answered(other, 9000),
		test3: t3fail,
		publicIp: '203.0.113.9',
		attempts: 1,
	});
	assert.equal(mismatch.code, 'address-mismatch', 'a wrong public IP goes before Test 3');
});

test('verdicts: a translated port fails even when Test 2 passed', () => {
	const result = classifyPort({port: 9000, test1: answered(server, 41_234), test2: answered(other, 41_234), attempts: 1});
	assert.equal(result.code, 'port-translated');
	assert.equal(result.mapped, '203.0.113.1:41234');
});

test('verdicts: another public IP than --public-ip fails as address-mismatch', () => {
	const input = {port: 9000, test1: answered(server, 9000), test2: answered(other, 9000), attempts: 1};
	assert.equal(classifyPort({...input, publicIp: '203.0.113.9'}).code, 'address-mismatch');
	assert.equal(classifyPort({...input, publicIp: '203.0.113.1'}).code, 'ok');
});

test('verdicts: an error reply to CHANGE-REQUEST is not a pass', () => {
	const refused: RequestResult = {
		ok: true,
		response: reply([{kind: 'error-code', code: 420, reason: 'Unknown Attribute'}], 'error'),
		from: other,
		rttMs: 10,
		sends: 1,
		sendTimes: [0],
		elapsedMs: 10,
		wrongSource: [],
	};
	assert.equal(classifyPort({port: 9000, test1: answered(server, 9000), test2: refused, attempts: 1}).code, 'inbound-blocked');
});

test('verdicts: MAPPED-ADDRESS rewritten by an ALG is noted on the port', () => {
	const test1 = answered(server, 9000, [{kind: 'mapped-address', address: {family: 4, address: '192.168.1.20', port: 9000}}]);
	const result = classifyPort({port: 9000, test1, test2: answered(other, 9000), attempts: 1});
	assert.equal(result.code, 'ok');
	assert.match(result.notes.join(' '), /ALG/);
});

test('overall code: all alike, mixed, busy', () => {
	const make = (code: 'ok' | 'inbound-blocked' | 'port-in-use') => ({code}) as Parameters<typeof overallCode>[0][number];
	assert.equal(overallCode([make('ok'), make('ok')]), 'ok');
	assert.equal(overallCode([make('inbound-blocked'), make('inbound-blocked')]), 'inbound-blocked');
	assert.equal(overallCode([make('ok'), make('inbound-blocked')]), 'some-failed');
	// Only busy beside ok: the headline says busy, since no port was found not forwarded.
	assert.equal(overallCode([make('ok'), make('port-in-use')]), 'port-in-use');
	assert.equal(overallCode([make('inbound-blocked'), make('port-in-use')]), 'some-failed');
});

test('RTO follows the measured RTT within its bounds', () => {
	const rtt = new RttEstimator(100, 3000);
	assert.equal(rtt.rtoMs, 500, 'before any sample, the RFC default');
	rtt.sample(5);
	assert.equal(rtt.rtoMs, 100, 'a LAN RTT is floored');
	for (let index = 0; index < 50; index++) {
		rtt.sample(400);
	}

	assert.ok(rtt.rtoMs >= 400 && rtt.rtoMs < 700, `rto ${String(rtt.rtoMs)}`);
	for (let index = 0; index < 50; index++) {
		rtt.sample(10_000);
	}

	assert.equal(rtt.rtoMs, 3000, 'and capped');
});

/** Time seen by these pacers only moves when `feed` moves it; their timers never fire (release() frees the queue). */
let offset = 0;
const stepClock: Clock = {now: () => offset, setTimeout: () => ({timer: undefined}), clearTimeout: () => undefined};

/**
 * Drive the pacer through measuring periods. Each period answers one request per entry of
 * `sends`, each after that many sends (1 = answered first time, 3 = two sends lost), all sent
 * within the period (or at `sentAt`). Then time moves on until those periods have settled.
 */
const feed = (pacer: Pacer, periods: number, sends: number[], sentAt?: number) => {
	for (let period = 0; period < periods; period++) {
		offset += pacer.periodMs;
		for (const count of sends) {
			for (let index = 0; index < count; index++) {
				void pacer.take();
			}

			pacer.answered(Array.from({length: count}, (_, index) => (sentAt ?? offset) + index * 0.001));
		}
	}

	offset += pacer.settleMs + 2 * pacer.periodMs;
	pacer.answered([]);
	pacer.release();
};

const times = (count: number, sends: number): number[] => Array.from({length: count}, () => sends);

test('pacer: random loss of about 19% does not slow it down', () => {
	const pacer = new Pacer({initialRate: 100, clock: stepClock});
	feed(pacer, 10, [...times(62, 1), ...times(19, 2)]);
	assert.ok(pacer.rate >= 100, `rate ${pacer.rate}`);
	assert.equal(pacer.slowdowns.length, 0);
});

test('pacer: slow start doubles the rate while the rate is used and answered', () => {
	const pacer = new Pacer({initialRate: 100, clock: stepClock});
	feed(pacer, 3, times(100, 1));
	assert.ok(pacer.rate >= 400, `rate ${pacer.rate}`);
});

test('pacer: losses after replies cut the rate to what got through, then it recovers', () => {
	const reasons: string[] = [];
	const pacer = new Pacer({initialRate: 1000, clock: stepClock, onSlowdown: (_rate, reason) => reasons.push(reason)});
	// 400 sends in one period (2000/s) of which three in four were lost: 500/s got through.
	feed(pacer, 1, times(100, 4));
	assert.ok(pacer.rate <= 450.01 && pacer.rate > 400, `rate ${pacer.rate}`);
	assert.deepEqual(reasons, ['75% of requests to the server went unanswered']);
	const low = pacer.rate;
	feed(pacer, 5, times(100, 1));
	assert.ok(pacer.rate > low);
});

test('pacer: one cut per loss episode, however late its losses are reported', () => {
	const pacer = new Pacer({clock: stepClock});
	const before = offset;
	feed(pacer, 1, times(100, 4));
	assert.equal(pacer.slowdowns.length, 1);
	// Requests first sent before the cut, answered only now after many sends: same episode.
	feed(pacer, 3, times(100, 5), before);
	assert.equal(pacer.slowdowns.length, 1);
});

test('pacer: never below its floor, never above --rate', () => {
	const capped = new Pacer({maxRate: 50, clock: stepClock});
	feed(capped, 20, times(100, 1));
	assert.equal(capped.rate, 50);
	const floored = new Pacer({minRate: 20, clock: stepClock});
	feed(floored, 1, times(100, 1));
	for (let episode = 0; episode < 10; episode++) {
		feed(floored, 1, times(10, 6));
	}

	assert.equal(floored.rate, 20);
});

test('pacer: after a cut it grows only slowly past the rate that lost packets', () => {
	const pacer = new Pacer({initialRate: 1000, clock: stepClock});
	feed(pacer, 1, times(100, 4));
	const afterCut = pacer.rate;
	feed(pacer, 30, times(100, 1));
	const recovered = pacer.rate;
	assert.ok(recovered > afterCut, 'it recovers');
	feed(pacer, 10, times(100, 1));
	// Ten percent a period would have gained 2.6 times in ten periods.
	assert.ok(pacer.rate < recovered * 1.15, `from ${recovered} to ${pacer.rate}`);
});

test('pacer: sends that finish a port go before sends that start a new one', async () => {
	const pacer = new Pacer({initialRate: 200, maxRate: 200});
	const order: string[] = [];
	const takes = [
		pacer.take().then(() => order.push('start 1')),
		pacer.take().then(() => order.push('start 2')),
		pacer.take().then(() => order.push('start 3')),
		pacer.take(true).then(() => order.push('finish 1')),
	];
	await Promise.all(takes);
	pacer.release();
	// The first had a token at once; the urgent one jumps the queue of the others.
	assert.deepEqual(order, ['start 1', 'finish 1', 'start 2', 'start 3']);
});

test('server specs: host, host:port, IPv6 with and without brackets', () => {
	assert.deepEqual(parseServerSpec('stun.example.net'), {host: 'stun.example.net', port: 3478});
	assert.deepEqual(parseServerSpec('198.51.100.7:3479'), {host: '198.51.100.7', port: 3479});
	assert.deepEqual(parseServerSpec('[2001:db8::7]:5000'), {host: '2001:db8::7', port: 5000});
	assert.deepEqual(parseServerSpec('2001:db8::7'), {host: '2001:db8::7', port: 3478});
	assert.equal(parseServerSpec('host:99999'), undefined);
	assert.equal(parseServerSpec('a b'), undefined);
});
test('flags: bad values are usage errors with one line', () => {
	const base = {ports: '9000-9010', stun: ['127.0.0.1']};
	assert.equal(configFromFlags(base).ports.length, 11);
	for (const flags of [
		{...base, ports: '70000'},
		{...base, stun: ['x:y']},
		{...base, bind: 'not-an-ip'},
		{...base, publicIp: '1.2.3'},
		{...base, rate: 0},
		{...base, window: Number.NaN},
	]) {
		assert.throws(
			() => configFromFlags(flags),
			(error: unknown) => error instanceof UsageError && !error.message.includes('\n'),
		);
	}
});

test('pacer: a full burst of tokens is handed out over several timer turns, not all in one', async () => {
	const virtual = new VirtualClock();
	let granted = 0;
	// How many takes were granted each time one of the pacer's timers fired.
	const atTimers: number[] = [];
	const clock: Clock = {
		now: () => virtual.now(),
		clearTimeout: handle => virtual.clearTimeout(handle),
		setTimeout: (callback, ms) =>
			virtual.setTimeout(() => {
				atTimers.push(granted);
				callback();
			}, ms),
	};
	// 20 000/s: a 50 ms burst is 1000 tokens, far more than one turn may hand out.
	const pacer = new Pacer({initialRate: 20_000, clock});
	// The sweep starts a while after the pacer is made (server selection): tokens have piled up.
	await new Promise(resolve => {
		virtual.setTimeout(() => resolve(undefined), 100);
	});
	await Promise.all(
		Array.from({length: 1000}, async () => {
			await pacer.take();
			granted++;
		}),
	);
	assert.equal(granted, 1000);
	assert.ok(atTimers.length > 1, 'the takes waited for timers');
	assert.ok(atTimers[0]! <= 128, `granted before the first timer: ${atTimers[0]}`);
});
