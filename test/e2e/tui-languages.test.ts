// The real binary in tmux at 80×24 in Japanese and in Italian: `--demo --faults` (the simulated
// network inside fwcheck, nothing leaves the machine) chosen by LANG, and by --lang over LANG.
// It waits for the sweep to end, opens a drill-down and the F pane, and checks that the screen
// speaks the language and that every line fits 80 cells (a wide character is two).
import {test, before} from 'node:test';
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import stringWidth from 'string-width';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let tmuxMissing = '';

// -u: tmux takes the terminal as UTF-8 whatever the locale of the machine, so wide characters
// come back from capture-pane whole, one character for two cells.
const tmux = async (...args: string[]) => execa('tmux', ['-u', ...args], {reject: false, timeout: 10_000});
const screen = async (target: string): Promise<string> => (await tmux('capture-pane', '-t', target, '-p')).stdout;

/** Poll the screen until it shows what we wait for: bounded in count, never a blind sleep. */
const waitFor = async (target: string, what: RegExp, limitMs = 30_000): Promise<string> => {
	let last = '';
	for (const started = Date.now(); Date.now() - started < limitMs;) {
		last = await screen(target);
		if (what.test(last)) {
			return last;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}

	assert.fail(`screen never showed ${what}:\n${last}`);
};

const assertFits = (shown: string, where: string): void => {
	const lines = shown.split('\n');
	assert.ok(lines.length <= 24, `${where}: ${lines.length} lines`);
	for (const line of lines) {
		assert.ok(stringWidth(line) <= 80, `${where}: ${stringWidth(line)} cells: ${line}`);
	}
};

before(async () => {
	if ((await execa('tmux', ['-V'], {reject: false})).exitCode !== 0) {
		tmuxMissing = 'tmux is not installed (apt-get install tmux)';
	}
});

interface Case {
	name: string;
	lang: string;
	flags: string[];
	/** What the table says once the sweep is over, the drill-down, and the F pane. */
	table: RegExp;
	header: RegExp;
	detail: RegExp;
	summary: RegExp;
	/** Words of the other language that must not show. */
	not: RegExp;
}

const japanese = {
	table: /所要 [\d.]+秒/,
	header: /ポート\s+テスト1 到達\s+テスト2 1対1\s+テスト3\s+マップ先アドレス\s+判定/,
	detail: /ポート \d+ · 詳細[\s\S]*テスト1 · 到達性[\s\S]*Esc 戻る/,
	summary: /概要 · 失敗した範囲と対処方法[\s\S]*UDP \d+ポートを[\d.]+秒でチェックしました/,
};
const italian = {
	table: /durata [\d,]+ s/,
	header: /Porta\s+Test 1 ragg\.\s+Test 2 1:1\s+Test 3\s+Indirizzo mappato\s+Esito/,
	detail: /Porta \d+ · dettagli[\s\S]*Test 1 · raggiungibilità[\s\S]*Esc indietro/,
	summary: /Riepilogo · intervalli falliti e cosa fare[\s\S]*\d+ porte UDP controllate in [\d,]+ s/,
};

const cases: Case[] = [
	{name: 'Japanese from LANG', lang: 'ja_JP.UTF-8', flags: [], ...japanese, not: /durata|Porta|took|Verdict/},
	{name: 'Italian from LANG', lang: 'it_IT.UTF-8', flags: [], ...italian, not: /所要|判定|took|Verdict/},
	{name: '--lang it over LANG=ja_JP.UTF-8', lang: 'ja_JP.UTF-8', flags: ['--lang', 'it'], ...italian, not: /所要|判定|took/},
];

for (const [index, each] of cases.entries()) {
	test(`the TUI in tmux at 80×24, ${each.name}`, async t => {
		if (tmuxMissing) {
			if (process.env.CI === 'true') {
				assert.fail(tmuxMissing);
			}

			t.skip(tmuxMissing);
			return;
		}

		const session = `fwcheck-e2e-lang-${process.pid}-${index}`;
		// LC_ALL and LC_MESSAGES would win over LANG: only LANG speaks here, as on a desktop.
		const command = [
			'env -u LC_ALL -u LC_MESSAGES',
			`LANG=${each.lang}`,
			`node ${cli} --demo --faults --ports 9000-9199 ${each.flags.join(' ')}`,
			'; echo EXIT=$?; sleep 30',
		].join(' ');
		try {
			const started = await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
			assert.equal(started.exitCode, 0, started.stderr);

			const table = await waitFor(session, each.table);
			assert.match(table, each.header);
			assert.doesNotMatch(table, each.not);
			assertFits(table, 'table');

			await tmux('send-keys', '-t', session, 'Enter');
			const detail = await waitFor(session, each.detail);
			assertFits(detail, 'drill-down');
			await tmux('send-keys', '-t', session, 'Escape');
			await waitFor(session, each.table);

			await tmux('send-keys', '-t', session, 'F');
			const summary = await waitFor(session, each.summary);
			assert.doesNotMatch(summary, each.not);
			assertFits(summary, 'F pane');
			await tmux('send-keys', '-t', session, 'Escape');
			await waitFor(session, each.table);

			await tmux('send-keys', '-t', session, 'q');
			const end = await waitFor(session, /EXIT=\d+/);
			// The demo with faults ends with failed ports: exit 1, whatever the language.
			assert.match(end, /EXIT=1\b/);
		} finally {
			await tmux('kill-session', '-t', session);
		}
	});
}
