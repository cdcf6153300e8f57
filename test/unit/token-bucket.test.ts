// The one token bucket behind the pacer, the server's rate limits and the simulated router's,
// driven by hand-picked times in milliseconds: no real clock.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {TokenBucket} from '../../source/net/token-bucket.js';

const limit = {size: 5, perSecond: 10};

/** Take one token at a time until refused; how many it gave. */
const drain = (bucket: TokenBucket): number => {
	let taken = 0;
	while (taken < 1000 && bucket.take()) {
		taken++;
	}

	return taken;
};

test('a full bucket lets its size through at once, then one token per 1/perSecond', () => {
	const bucket = new TokenBucket(limit.size, 0);
	assert.equal(drain(bucket), 5);
	bucket.refill(99, limit);
	assert.equal(bucket.take(), false, '99 ms at 10/s is not yet a token');
	bucket.refill(100, limit);
	assert.equal(drain(bucket), 1);
	bucket.refill(350, limit);
	assert.equal(drain(bucket), 2, '250 ms more: two tokens, half of one left over');
	bucket.refill(400, limit);
	assert.equal(drain(bucket), 1, 'the half left over counts');
});

test('an idle bucket fills up to its size, never past it', () => {
	const bucket = new TokenBucket(0, 0);
	bucket.refill(60_000, limit);
	assert.equal(bucket.tokens, 5);
	assert.equal(drain(bucket), 5);
});

test('it starts with the tokens it is given: one, for a pacer that has measured nothing yet', () => {
	const bucket = new TokenBucket(1, 1000);
	bucket.refill(1000, limit);
	assert.equal(drain(bucket), 1);
});

test('a cost larger than what it holds takes nothing', () => {
	const bucket = new TokenBucket(3, 0);
	assert.equal(bucket.take(4), false);
	assert.equal(bucket.tokens, 3);
	assert.equal(bucket.take(3), true);
	assert.equal(bucket.tokens, 0);
});

test('a clock that steps back adds nothing, and the next top-up counts from there', () => {
	const bucket = new TokenBucket(0, 1000);
	bucket.refill(500, limit);
	assert.equal(bucket.tokens, 0);
	bucket.refill(700, limit);
	assert.equal(bucket.tokens, 2);
});

test('the limit of each top-up applies to the time since the last one: a pacer changing its rate', () => {
	const bucket = new TokenBucket(0, 0);
	bucket.refill(100, {size: 1000, perSecond: 100});
	assert.equal(bucket.tokens, 10);
	bucket.refill(200, {size: 1000, perSecond: 1000});
	assert.equal(bucket.tokens, 110, 'the last 100 ms at the new rate');
	bucket.refill(300, {size: 150, perSecond: 1000});
	assert.equal(bucket.tokens, 150, 'capped by the size given now');
	bucket.refill(200, {size: 4, perSecond: 1000});
	assert.equal(bucket.tokens, 4, 'a smaller size drops what no longer fits');
});
