import {test} from 'node:test';
import assert from 'node:assert/strict';
import {english, sayNote, setLanguage, words} from '../../source/catalog/index.js';
import {it} from '../../source/catalog/it/index.js';
import {ja} from '../../source/catalog/ja/index.js';
import {staleReportNote, staleTest3Note} from '../../source/check/recent-checks.js';
import {traceFirstHops} from '../../source/router/hops.js';
import {readThisHostFirewall} from '../../source/system/this-host-firewall.js';
import {test3WithoutTest2Note} from '../../source/check/classify.js';

type Entry = string | ((...values: string[]) => string);

/** Values unlike any fixed words of the entries; the last may hold a colon, as error texts do. */
const samples = ['tracepath', '203.0.113.9:3478', '9000-9099, 9200', '42', 'bind EADDRINUSE: in use'];

const inLanguage = <T>(language: 'en' | 'it' | 'ja', run: () => T): T => {
	setLanguage(language);
	try {
		return run();
	} finally {
		setLanguage('en');
	}
};

test('every English note reads back as its own entry in Italian and Japanese, values kept', () => {
	for (const [language, catalog] of [
		['it', it],
		['ja', ja],
	] as const) {
		for (const [key, entry] of Object.entries(english.notes) as Array<[string, Entry]>) {
			const values = typeof entry === 'function' ? samples.slice(0, entry.length) : [];
			const note = typeof entry === 'function' ? entry(...values) : entry;
			const translated = (catalog.notes as Record<string, Entry>)[key]!;
			const expected = typeof translated === 'function' ? translated(...values) : translated;
			assert.equal(
				inLanguage(language, () => sayNote(note)),
				expected,
				`${language}: ${key}`,
			);
		}
	}
});

test('English notes stay as the engine wrote them, and a note without an entry is shown unchanged', () => {
	assert.equal(sayNote('tracepath is not installed'), 'tracepath is not installed');
	assert.equal(
		inLanguage('it', () => sayNote('something no entry says')),
		'something no entry says',
	);
});

test("the engine's notes are the catalog's English entries: each is said in the chosen language", async () => {
	const made = [
		staleTest3Note(12_000),
		staleReportNote(new Map([[9000, 4000]]))!,
		staleReportNote(
			new Map([
				[9000, 4000],
				[9002, 9000],
				[9004, 1000],
				[9006, 1000],
				[9008, 1000],
				[9010, 1000],
			]),
		)!,
		test3WithoutTest2Note,
		(await traceFirstHops({target: '203.0.113.1'}, {platform: 'sunos', run: async () => ({}) as never, installed: () => false}))
			.note!,
		(await readThisHostFirewall({udpPorts: [9000], tcpPorts: [], family: 4, localAddress: undefined} as never, 'aix')).note,
	];
	for (const note of made) {
		const italian = inLanguage('it', () => sayNote(note));
		const japanese = inLanguage('ja', () => sayNote(note));
		assert.notEqual(italian, note, `not said in Italian: ${note}`);
		assert.notEqual(japanese, note, `not said in Japanese: ${note}`);
		assert.match(japanese, /[\u3040-\u30FF]/u, japanese);
	}

	assert.equal(words(), english);
});

test('a note of two sentences (a finding, then what could not be read) is said sentence by sentence', () => {
	const note = `${english.notes.windowsBlocksOneByRule('Block VoIP')} ${english.notes.windowsRulesUnreadable('3')}`;
	const japanese = inLanguage('ja', () => sayNote(note));
	assert.equal(japanese, ja.notes.windowsBlocksOneByRule('Block VoIP') + ja.notes.windowsRulesUnreadable('3'));
	const italian = inLanguage('it', () => sayNote(note));
	assert.equal(italian, `${it.notes.windowsBlocksOneByRule('Block VoIP')} ${it.notes.windowsRulesUnreadable('3')}`);
});

test("a result's message: the verdict's sentence in the language, what the engine added kept", async () => {
	const {sayMessage, verdictMessage} = await import('../../source/check/verdicts.js');
	const message = `${verdictMessage('sip-service-silent')} (timeout)`;
	const italian = inLanguage('it', () => sayMessage('sip-service-silent', message));
	assert.ok(italian.endsWith(' (timeout)'), italian);
	assert.ok(!italian.startsWith(verdictMessage('sip-service-silent')), italian);
	// A cancelled port's message is its findings, said through the notes.
	assert.equal(
		inLanguage('ja', () => sayMessage('cancelled', english.notes.cancelledTest3Once)),
		ja.notes.cancelledTest3Once,
	);
});
