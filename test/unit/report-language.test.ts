// The reports, --help and usage errors in Italian and Japanese: the simulated --demo --faults check
// in each language, its plain lines and Markdown in that language, its --json the same bytes in all.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {execa} from 'execa';
import stringWidth from 'string-width';
import {type Language, english, setLanguage} from '../../source/catalog/index.js';
import {startSimulatedCheck} from '../../source/cli/simulated-demo.js';
import {jsonFileChunks} from '../../source/report/json.js';
import {toMarkdown} from '../../source/report/markdown.js';
import {createPlainReporter, formatSummary} from '../../source/report/plain.js';
import {formatFleet} from '../../source/fleet/fleet-table.js';
import {readFleetReport} from '../../source/fleet/fleet-row.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';

const cli = path.resolve('source/cli.ts');
const ports = Array.from({length: 20}, (_, index) => 9000 + index);

/** The simulated faulty check in one language, in virtual time: plain lines, Markdown and --json. */
const simulatedCheck = async (language: Language) => {
	setLanguage(language);
	try {
		const simulated = await startSimulatedCheck({ports, servers: []}, 'faults', {clock: new VirtualClock()});
		try {
			const plain: string[] = [...simulated.notice];
			const report = await simulated.run(simulated.config, {
				signal: new AbortController().signal,
				onEvent: createPlainReporter(simulated.config, line => plain.push(line)),
			});
			plain.push(...formatSummary(report));
			return {plain: plain.join('\n'), markdown: toMarkdown(report), json: [...jsonFileChunks(report)].join('')};
		} finally {
			await simulated.close();
		}
	} finally {
		setLanguage('en');
	}
};

/**
 * The English text of an entry between its placeholders, where it has three words or more: what
 * would show that an English sentence of these sections was left in another language's output.
 */
const englishSentences = (value: unknown): string[] => {
	if (typeof value === 'string') {
		return (
			value
				.split(/⟨\d+⟩|\n/)
				.map(part => part.trim())
				// Commands (the help's examples) read the same in every language.
				.filter(part => !part.startsWith('$ ') && part.split(/\s+/).filter(word => /[a-z]{2}/i.test(word)).length >= 3)
		);
	}

	if (typeof value === 'function') {
		const placeholders = Array.from({length: value.length}, (_, index) => `⟨${index}⟩`);
		return englishSentences((value as (...args: unknown[]) => unknown)(...placeholders));
	}

	return value !== null && typeof value === 'object' ? Object.values(value).flatMap(item => englishSentences(item)) : [];
};

const sentences = englishSentences({report: english.report, cli: english.cli});

const assertNoEnglish = (text: string, what: string) => {
	const left = sentences.filter(sentence => text.includes(sentence));
	assert.deepEqual(left, [], `${what}: English left in`);
};

test('the simulated check: plain lines and Markdown in Italian and Japanese, --json byte for byte the same', async () => {
	const en = await simulatedCheck('en');
	const it = await simulatedCheck('it');
	const ja = await simulatedCheck('ja');
	assert.equal(it.json, en.json, 'Italian --json');
	assert.equal(ja.json, en.json, 'Japanese --json');
	assert.match(en.json, /"simulation": "SIMULATION \(--demo --faults\)/);

	assert.ok(sentences.length > 50, 'the sections have sentences to look for');
	assert.ok(en.plain.includes('What to do (busy):') && en.markdown.includes('## Failed and busy ports'), 'English is as before');
	// The look-out finds them where they belong: in the English output.
	assert.ok(sentences.filter(sentence => en.plain.includes(sentence)).length >= 8, 'English plain has the sentences');
	assert.ok(sentences.filter(sentence => en.markdown.includes(sentence)).length >= 10, 'English Markdown has the sentences');
	for (const [name, output] of [
		['it', it],
		['ja', ja],
	] as const) {
		assertNoEnglish(output.plain, `${name} plain`);
		assertNoEnglish(output.markdown, `${name} Markdown`);
	}

	for (const expected of [
		'SIMULAZIONE (--demo --faults)',
		'Il router simulato:',
		'Problemi:',
		'Cosa fare (',
		'Porte 9000-9019:',
	]) {
		assert.ok(it.plain.includes(expected), `Italian plain has "${expected}"`);
	}

	for (const expected of [
		"# fwcheck: report sull'inoltro delle porte UDP",
		'## Porte fallite e occupate',
		'- **Indirizzo IP pubblico:**',
	]) {
		assert.ok(it.markdown.includes(expected), `Italian Markdown has "${expected}"`);
	}

	for (const expected of [
		'シミュレーション（--demo --faults）',
		'模擬ルーターの設定：',
		'問題：',
		'対処方法（',
		'ポート 9000-9019：',
	]) {
		assert.ok(ja.plain.includes(expected), `Japanese plain has "${expected}"`);
	}

	for (const expected of [
		'# fwcheck：UDPポート転送レポート',
		'## 失敗したポートと使用中のポート',
		'- **パブリックIPアドレス：**',
	]) {
		assert.ok(ja.markdown.includes(expected), `Japanese Markdown has "${expected}"`);
	}

	// Numbers as the language writes them: the RTT's decimal sign.
	const rtt = (plain: string) => /RTT (\d+[.,]\d+) ms/.exec(plain)?.[1];
	assert.equal(rtt(it.plain), rtt(en.plain)?.replace('.', ','));
	assert.equal(rtt(ja.plain), rtt(en.plain));
});

/** `fwcheck` under a locale, as a user runs it; the environment's own locale left out. */
const run = async (args: string[], lang: string) =>
	execa('node', ['--import', 'tsx', cli, ...args], {
		reject: false,
		timeout: 60_000,
		stdin: 'ignore',
		env: {LANG: lang, LC_ALL: undefined, LC_MESSAGES: undefined},
	});

test('fwcheck --demo --faults --json under LANG=en, it and ja: the same document', async () => {
	// What differs from one real-time run to the next, and nothing else.
	const timing = /"(checkedAt|durationMs|rttMs|elapsedMs|atMs)": ("[^"]*"|[\d.]+)/g;
	const documents = [];
	for (const lang of ['en_GB.UTF-8', 'it_IT.UTF-8', 'ja_JP.UTF-8']) {
		const result = await run(['--demo', '--faults', '--json', '--ports', '9000-9011'], lang);
		assert.equal(result.exitCode, 1, result.stderr);
		documents.push(result.stdout.replaceAll(timing, '"$1": "…"'));
	}

	assert.match(documents[0]!, /"message": "Some ports/);
	assert.equal(documents[1], documents[0], 'Italian');
	assert.equal(documents[2], documents[0], 'Japanese');
});

test('--help in Italian and Japanese: --lang is listed, no English sentence, option lines fit 80 cells', async () => {
	for (const [args, lang, heading] of [
		[['--lang', 'it', '--help'], 'en_GB.UTF-8', 'Opzioni'],
		[['--help'], 'ja_JP.UTF-8', 'オプション'],
	] as const) {
		const {stdout, exitCode} = await run([...args], lang);
		assert.equal(exitCode, 0);
		assert.match(stdout, new RegExp(`^ {2}${heading}$`, 'm'));
		assert.match(stdout, /--lang <en\|it\|ja>/);
		assertNoEnglish(stdout, `${lang} --help`);
		const wide = stdout.split('\n').filter(line => !line.trimStart().startsWith('$') && stringWidth(line) > 80);
		assert.deepEqual(wide, [], 'lines wider than 80 cells');
	}

	const {stdout} = await run(['--help'], 'C');
	assert.match(stdout, /--lang <en\|it\|ja> {6}Language of what you read/);
});

test('a usage error in Italian and Japanese: one line, exit 2', async () => {
	const it = await run(['--lang', 'it', '--ports', 'abc'], 'en_GB.UTF-8');
	assert.equal(it.exitCode, 2);
	assert.equal(it.stderr, 'fwcheck: --ports: "abc" non è una porta né un intervallo come 9000-10999 (vedi fwcheck --help)');
	const ja = await run(['--ports', 'abc'], 'ja_JP.UTF-8');
	assert.equal(ja.exitCode, 2);
	assert.equal(ja.stderr, 'fwcheck: --ports: "abc" はポートでも、9000-10999 のような範囲でもありません（fwcheck --help を参照）');
	const lang = await run(['--lang', 'klingon'], 'it_IT.UTF-8');
	assert.equal(lang.exitCode, 2);
	assert.equal(lang.stderr, 'fwcheck: --lang accetta uno tra en, it, ja, non "klingon" (vedi fwcheck --help)');
});

test("fwcheck merge's text table in Japanese: headers and words translated, columns lined up in cells", () => {
	const report = (host: string, hostFirewall: unknown) =>
		JSON.stringify({
			schema: 1,
			host,
			status: 'fail',
			code: 'some-failed',
			ports: [{port: 9000, status: 'fail', code: 'inbound-blocked'}],
			sip: {udp: {alg: true}},
			hostFirewall,
		});
	const rows = [
		readFleetReport(report('pbx-a', {checked: false}), 'a.json'),
		readFleetReport(
			report('pbx-b', {checked: true, tool: 'ufw', ranges: [{protocol: 'udp', ports: '9000', decision: 'blocked'}]}),
			'b.json',
		),
	].map(read => {
		assert.ok(read.ok);
		return read.row;
	});
	setLanguage('ja');
	try {
		const lines = formatFleet(rows, 'text');
		assert.match(lines[0]!, /^ホスト +パブリックIP +状態 +問題のあるポート +経路 +SIP ALG +ファイアウォール +チェック日時$/);
		assert.match(lines[1]!, /あり +未確認/);
		assert.match(lines[2]!, /あり +ufw udp 9000 をブロック/);
		// Each column starts at the same cell on every line.
		const start = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
		assert.equal(start(lines[1]!, 'fail ('), start(lines[0]!, '状態'));
		assert.equal(start(lines[2]!, 'ufw'), start(lines[0]!, 'ファイアウォール'));
		// What tools read stays English.
		assert.match(formatFleet(rows, 'csv')[0]!, /^host,public address,status/);
		assert.match(formatFleet(rows, 'json').join('\n'), /"hostFirewall": "ufw blocks udp 9000"/);
		assert.doesNotMatch(formatFleet(rows, 'json').join('\n'), /"firewall"/);
	} finally {
		setLanguage('en');
	}
});
