import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import stringWidth from 'string-width';
import cachedStringWidth from '../../scripts/string-width-cache.js';

// Pieces that make grapheme clusters hard: wide, emoji, ZWJ and keycap sequences, combining and
// spacing marks, format characters, variation selectors, Hangul jamo, colours and other escapes.
const pieces = [
	' ',
	'  ',
	'a',
	'port',
	'9000',
	'✔',
	'✘',
	'·',
	'█',
	'░',
	'⠋',
	'…',
	'›',
	'中文',
	'ｶﾞ',
	'ﾞ',
	'é',
	'e\u0301',
	'\u0301',
	'\u0903',
	'\u200D',
	'\uFE0F',
	'\u20E3',
	'1\uFE0F\u20E3',
	'👍',
	'👍🏽',
	'👨‍👩‍👧',
	'🇩🇪',
	'\u0600',
	// Prepend: joins what follows it, a space included.
	'\u{11F02}',
	'\u{1F3FB}',
	'\u0301',
	'\u200D',
	'\u1100\u1161',
	'\u1100',
	'\u1161',
	'\t',
	'\u001B[32m',
	'\u001B[39m',
	'\u001B[1;7m',
	'\u001B[2 q',
	'\u001B]8;;x\u0007',
	'\u009B31m',
];

test('the cached string-width gives what string-width gives', () => {
	fc.assert(
		fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 12}), parts => {
			const text = parts.join('');
			assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
			// Asked again: from the cache now.
			assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
		}),
		{numRuns: 3000},
	);
});

test('a Prepend character before a space: one cluster, as string-width counts it', () => {
	for (const text of ['\u{11F02} a', 'port \u{11F02} 9000', '\u{11F02}\u{11F02} ', '✔ \u{11F02} ✘']) {
		assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
	}
});

test('a space before a skin tone, a combining mark or a ZWJ: one cluster, as string-width counts it', () => {
	for (const text of [' \u{1F3FB}', 'port 9000 \u{1F3FB} ok', 'a \u0301b', '✔ ok \u200D x']) {
		assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
	}
});

test('the cached string-width passes options through', () => {
	assert.equal(
		cachedStringWidth('\u001B[32mab\u001B[39m', {countAnsiEscapeCodes: true}),
		stringWidth('\u001B[32mab\u001B[39m', {countAnsiEscapeCodes: true}),
	);
	assert.equal(cachedStringWidth('·', {ambiguousIsNarrow: false}), stringWidth('·', {ambiguousIsNarrow: false}));
});

test('the cached string-width agrees on arbitrary text', () => {
	fc.assert(
		fc.property(fc.string({unit: 'grapheme', maxLength: 30}), fc.string({unit: 'binary', maxLength: 30}), (a, b) => {
			for (const text of [a, b, `${a} ${b}`, ` ${b} ${a} `]) {
				assert.equal(cachedStringWidth(text), stringWidth(text), JSON.stringify(text));
			}
		}),
		{numRuns: 3000},
	);
});
