import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {chooseLanguage, english, setLanguage, words} from '../../source/catalog/index.js';
import {it} from '../../source/catalog/it/index.js';
import {ja} from '../../source/catalog/ja/index.js';
import {breakLines} from '../../source/words/line-break.js';
import {formatDuration} from '../../source/words/format.js';
import {chooseLanguageAtStart} from '../../source/cli/language-flag.js';
import {UsageError} from '../../source/cli/config.js';

const linux = (env: Record<string, string>) => ({env, platform: 'linux'});

test('the language follows POSIX: LC_ALL, then LC_MESSAGES, then LANG; C and POSIX mean English', () => {
	const cases: Array<[Record<string, string>, string]> = [
		[{}, 'en'],
		[{LANG: 'it_IT.UTF-8'}, 'it'],
		[{LANG: 'ja_JP.UTF-8'}, 'ja'],
		[{LANG: 'ja_JP.eucJP'}, 'ja'],
		[{LANG: 'it'}, 'it'],
		[{LANG: 'de_DE.UTF-8'}, 'en'],
		[{LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'it_IT.UTF-8'}, 'ja'],
		[{LC_ALL: 'it_IT.UTF-8', LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'ja_JP.UTF-8'}, 'it'],
		// The first variable set decides, even when it names a language we do not speak.
		[{LC_ALL: 'C', LANG: 'ja_JP.UTF-8'}, 'en'],
		[{LC_ALL: 'POSIX', LANG: 'it_IT.UTF-8'}, 'en'],
		[{LC_MESSAGES: 'fr_FR.UTF-8', LANG: 'it_IT.UTF-8'}, 'en'],
		// Set but empty counts as not set.
		[{LC_ALL: '', LANG: 'it_IT.UTF-8'}, 'it'],
	];
	for (const [env, expected] of cases) {
		assert.equal(chooseLanguage(linux(env)), expected, JSON.stringify(env));
	}
});

test('--lang wins over the environment; Windows falls back to the user locale, other systems do not', () => {
	assert.equal(chooseLanguage({...linux({LC_ALL: 'it_IT.UTF-8'}), flag: 'ja'}), 'ja');
	assert.equal(chooseLanguage({env: {}, platform: 'win32', systemLocale: 'it-IT'}), 'it');
	assert.equal(chooseLanguage({env: {}, platform: 'win32', systemLocale: 'ja-JP'}), 'ja');
	assert.equal(chooseLanguage({env: {}, platform: 'win32', systemLocale: 'pt-BR'}), 'en');
	assert.equal(chooseLanguage({env: {LANG: 'it_IT.UTF-8'}, platform: 'win32', systemLocale: 'ja-JP'}), 'it');
	assert.equal(chooseLanguage({env: {}, platform: 'linux', systemLocale: 'ja-JP'}), 'en');
});

test('--lang on the command line is read before anything else, and a bad value is a usage error', () => {
	try {
		assert.equal(chooseLanguageAtStart(['--ports', '9000', '--lang', 'ja']), 'ja');
		assert.equal(chooseLanguageAtStart(['--lang=it', '--demo']), 'it');
		assert.equal(words(), it);
		assert.throws(() => chooseLanguageAtStart(['--lang', 'klingon']), UsageError);
		assert.throws(() => chooseLanguageAtStart(['--lang']), UsageError);
		// After `--` it is not a flag.
		assert.notEqual(chooseLanguageAtStart(['--', '--lang', 'ja']), 'ja');
	} finally {
		setLanguage('en');
	}
});

test('durations read as each language writes them', () => {
	try {
		const cases: Array<['en' | 'it' | 'ja', number, string]> = [
			['en', 1500, '1.5 s'],
			['it', 1500, '1,5 s'],
			['ja', 1500, '1.5秒'],
			['en', 245_000, '4 min 05 s'],
			['it', 245_000, '4 min 05 s'],
			['ja', 245_000, '4分05秒'],
		];
		for (const [language, ms, expected] of cases) {
			setLanguage(language);
			assert.equal(formatDuration(ms), expected, language);
		}
	} finally {
		setLanguage('en');
	}
});

/** Every string of a catalog (functions called with placeholder arguments), with its key path. */
const strings = (value: unknown, path = ''): Array<[string, string]> => {
	if (typeof value === 'string') return [[path, value]];
	if (typeof value === 'function') {
		const placeholders = Array.from({length: value.length}, (_, index) => `⟨${index}⟩`);
		return strings((value as (...args: unknown[]) => unknown)(...placeholders), `${path}()`);
	}

	if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
	if (value !== null && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, item]) => strings(item, path === '' ? key : `${path}.${key}`));
	}

	return [];
};

test('Italian and Japanese translate every sentence: none is left as the English text', () => {
	const source = new Map(strings(english));
	for (const [name, catalog] of [
		['it', it],
		['ja', ja],
	] as const) {
		const translated = new Map(strings(catalog));
		assert.deepEqual([...translated.keys()].sort(), [...source.keys()].sort(), `${name} has the same entries as English`);
		// A sentence (three words or more) that reads the same in both is one nobody translated.
		const untranslated = [...source].filter(
			([key, text]) => text.split(/\s+/).filter(word => /[a-z]{2}/i.test(word)).length >= 3 && translated.get(key) === text,
		);
		assert.deepEqual(untranslated, [], `${name}: untranslated entries`);
	}
});

const noLineStart = [...'、。，．）」』】！？ー…・ゃゅょっャュョッ'];
const noLineEnd = [...'（「『【'];

test('Japanese lines break between words, inside the width, never before 、。）」 nor after （「', () => {
	const sentence = fc
		.array(
			fc.constantFrom(
				'ルーター',
				'で',
				'ポート転送',
				'を',
				'設定',
				'してください',
				'。',
				'、',
				'（',
				'192.168.1.10',
				'）',
				'「',
				'1対1',
				'」',
				'UDP 9000-10999',
				' ',
				'ファイアウォール',
				'リモート内線',
				'ちょっと',
			),
			{minLength: 1, maxLength: 40},
		)
		.map(parts => parts.join(''));
	fc.assert(
		fc.property(sentence, fc.integer({min: 6, max: 80}), (text, size) => {
			const lines = breakLines(text, size, 'ja-JP');
			for (const line of lines) {
				assert.ok(stringWidth(line) <= size, `"${line}" is wider than ${size}`);
			}

			// Nothing lost or added but the spaces where a line broke.
			assert.equal(lines.join('').replaceAll(' ', ''), text.replaceAll(' ', '').trim());
			for (const [index, line] of lines.entries()) {
				// A break is allowed only where the pieces on both sides are not themselves too long.
				if (index > 0 && stringWidth(lines[index - 1]!) + 2 < size) {
					assert.ok(!noLineStart.includes(line[0]!), `line starts with ${line[0]}: ${JSON.stringify(lines)}`);
				}

				// A line of opening brackets alone (spaces between them included) has nowhere better to
				// break: "（ 「。" cannot break at all, and is wider than a line of 6.
				const bracketsOnly = [...line].every(character => character === ' ' || noLineEnd.includes(character));
				if (index < lines.length - 1 && stringWidth(lines[index + 1]!) + 2 < size && !bracketsOnly) {
					assert.ok(!noLineEnd.includes(line.at(-1)!), `line ends with ${line.at(-1)}: ${JSON.stringify(lines)}`);
				}
			}
		}),
		{numRuns: 300},
	);
});

test('a Japanese word wider than the line is cut between characters, never inside one', () => {
	const lines = breakLines('ファイアウォールファイアウォール', 5, 'ja-JP');
	assert.ok(lines.every(line => stringWidth(line) <= 5));
	assert.equal(lines.join(''), 'ファイアウォールファイアウォール');
});
