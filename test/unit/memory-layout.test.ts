// What a large check keeps per port, and makes per request, shares its hidden class (V8's "map")
// with every other one: an object spread followed by new keys, or a getter made per call, gives
// each object a class of its own in Node 20, hundreds of bytes more each (the memory goals in readme Speed).
// Results also share their empty lists.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import {classifyPort} from '../../source/check/classify.js';
import {Pacer} from '../../source/check/pacer.js';
import {scheduled} from '../../source/check/probe.js';
import {RttEstimator} from '../../source/check/rtt.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';
import {Method, decodeMessage, encodeMessage} from '../../source/stun/index.js';
import type {RequestResult} from '../../source/stun/stun-socket.js';
import type {PortResult} from '../../source/check/types.js';

v8.setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** Objects made the same way many times (past V8's warm-up of its inline caches) that do not all share one class. */
const classesOf = (objects: object[]): number =>
	objects.filter((object, index) => index > 0 && !sameClass(object, objects[index - 1]!)).length;

const server = {family: 4 as const, address: '198.51.100.10', port: 3478};
const other = {family: 4 as const, address: '198.51.100.11', port: 3479};

const answered = (from: typeof server, port: number, messageClass: 'success' | 'error' = 'success'): RequestResult => {
	const decoded = decodeMessage(
		encodeMessage({
			method: Method.binding,
			messageClass,
			transactionId: Buffer.alloc(12, 1),
			attributes: [{kind: 'xor-mapped-address', address: {family: 4, address: '203.0.113.1', port}}],
		}),
	);
	assert.ok(decoded.ok);
	return {ok: true, response: decoded.message, from, rttMs: 12.5, sends: 1, sendTimes: [0], elapsedMs: 12, wrongSource: []};
};

test('port results share one hidden class, however many ports', () => {
	const results = Array.from({length: 500}, (_, index) =>
		classifyPort({port: 9000 + index, test1: answered(server, 9000 + index), test2: answered(other, 9000 + index), attempts: 1}),
	);
	assert.equal(results[0]!.code, 'ok');
	assert.equal(classesOf(results), 0);
	assert.equal(classesOf(results.map(result => result.test1)), 0);
});

test('request plans share one hidden class, and the first send still chooses the lossless plan', async () => {
	const pacer = new Pacer({settleMs: () => 1000, clock: new VirtualClock()});
	const rtt = new RttEstimator();
	const timing = {rtoFactor: 1, maxSends: 6, finalWaitFactor: 2, lossless: {rtoFactor: 1, maxSends: 3, finalWaitFactor: 2}};
	// admitted: the first send's turn was taken already, so beforeSend does not wait on the pacer.
	const plan = () =>
		scheduled({to: server, accept: () => true, onLateAnswer: () => undefined}, timing, pacer, rtt, {
			started: true,
			admitted: true,
		});
	const plans = Array.from({length: 500}, plan);
	assert.equal(classesOf(plans), 0);

	const early = plans[0]!;
	assert.equal(early.maxSends, 6, 'before the first send: the full plan');
	await early.beforeSend?.();
	assert.equal(early.maxSends, 6, 'the path not yet shown lossless: the full plan');

	for (let index = 0; index < 40; index++) {
		pacer.answered([index]);
	}

	assert.ok(pacer.shownLossless);
	assert.equal(early.maxSends, 6, 'a plan chosen at its first send keeps it');
	const late = plans[1]!;
	await late.beforeSend?.();
	assert.equal(late.maxSends, 3, 'first send on a path shown lossless: the short plan');
	assert.equal(late.waitAfter(2), rtt.rtoMs * 2, 'its last send waits the final wait');
});

test('port results share one frozen empty list of notes and of ignored sources; a note gives a port its own list', () => {
	const results = Array.from({length: 3}, (_, index) =>
		classifyPort({port: 9000 + index, test1: answered(server, 9000 + index), test2: answered(other, 9000 + index), attempts: 1}),
	);
	const [first, second] = results as [PortResult, PortResult];
	assert.equal(first.notes, second.notes);
	assert.equal(first.test1.wrongSource, second.test2.wrongSource);
	assert.ok(Object.isFrozen(first.notes) && Object.isFrozen(first.test1.wrongSource));
	assert.throws(() => (first.notes as string[]).push('x'), TypeError);

	// A port that has something to say keeps it apart: Test 1 answered with an error carries a note.
	const withNote = classifyPort({port: 9100, test1: answered(server, 9100, 'error'), test2: undefined, attempts: 1});
	assert.equal(withNote.notes.length, 1);
	assert.notEqual(withNote.notes, first.notes);
	assert.deepEqual(first.notes, []);
});
