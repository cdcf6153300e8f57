// The TUI in Italian and Japanese at 80×24: the simulated demo with faults (real engine, made-up
// router), its table during and after the sweep, the drill-down of every verdict it gives, the
// F, n, v and ? panes and the save notice. Every line fits 80 cells (Japanese takes two a
// character), none of the TUI's own English sentences is left, and the language's words appear.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {type Language, english, setLanguage} from '../../source/catalog/index.js';
import {sweep} from '../../source/check/sweep.js';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {CheckReport, SweepEvent} from '../../source/check/types.js';
import type {PathReport, RouterView} from '../../source/router/types.js';
import {planFaults, startSimulatedDemo} from '../../source/sim/demo-network.js';
import {VirtualClock} from '../../source/sim/virtual-clock.js';
import {App} from '../../source/ui/components/App.js';
import {type Line, plainText} from '../../source/ui/text/line.js';
import {clip} from '../../source/ui/text/wrap.js';
import {config, localIp, range, scriptedRunner} from './fixtures.js';
import {delay, keys, lineCount, waitForFrame} from './helpers.js';
import {serviceEvents, withAlg} from './service-fixtures.js';

afterEach(() => {
	cleanup();
});

/** Every string of a catalog section (functions called with placeholder arguments). */
const strings = (value: unknown): string[] => {
	if (typeof value === 'string') return [value];
	if (typeof value === 'function') {
		const placeholders = Array.from({length: value.length}, (_, index) => `⟨${index}⟩`);
		return strings((value as (...args: unknown[]) => unknown)(...placeholders));
	}

	if (Array.isArray(value)) return value.flatMap(item => strings(item));
	if (value !== null && typeof value === 'object') return Object.values(value).flatMap(item => strings(item));
	return [];
};

/**
 * The TUI section's English, cut at each placeholder: the pieces of three words or more, which
 * would betray a sentence left untranslated wherever they show up in a frame.
 */
const englishSentences = [
	...new Set(
		strings(english.tui)
			.flatMap(text => text.split(/⟨\d+⟩/))
			.map(piece => piece.trim())
			.filter(piece => piece.split(/\s+/).filter(word => /[a-z]{2}/i.test(word)).length >= 3),
	),
];

const assertInLanguage = (frame: string, where: string): void => {
	assert.ok(lineCount(frame) <= 23, `${where}: ${lineCount(frame)} lines`);
	for (const row of frame.split('\n')) {
		assert.ok(stringWidth(row) <= 80, `${where}: ${stringWidth(row)} cells: ${row}`);
	}

	const left = englishSentences.filter(sentence => frame.includes(sentence));
	assert.deepEqual(left, [], `${where}: English left in\n${frame}`);
};

const router: RouterView = {
	gateway: '192.168.1.1',
	wanAddress: '192.168.0.2',
	wanSource: 'nat-pmp',
	answered: ['nat-pmp', 'upnp'],
	mappings: range(9000, 9005).map(port => ({
		protocol: 'UDP',
		externalPort: port,
		internalHost: localIp,
		internalPort: port,
		description: `map ${port}`,
	})),
	notes: [],
};
const pathReport: PathReport = {
	verdict: 'double-nat',
	hops: ['192.168.1.1', '192.168.0.1', '198.51.100.10'],
	evidence: ['hop 2 192.168.0.1 is a private (LAN) address'],
	outerNat: '192.168.0.1',
};

/**
 * The real sweep on the simulated faulty router, in virtual time; the router view and the SIP/TCP
 * results arrive as the engine's events would, just before it is done.
 */
const demoRunner =
	(clock: VirtualClock): SweepRunner =>
	async (checkConfig, options) => {
		const demo = await startSimulatedDemo(checkConfig.ports, {faults: true, clock});
		try {
			return await sweep(
				{...checkConfig, servers: demo.servers},
				{
					...options,
					environment: demo.environment,
					onEvent(event: SweepEvent) {
						if (event.type === 'done') {
							options.onEvent({type: 'network', router, path: pathReport});
							for (const serviceEvent of serviceEvents(withAlg)) options.onEvent(serviceEvent);
						}

						options.onEvent(event);
					},
				},
			);
		} finally {
			await demo.close();
		}
	};

const ports = range(9000, 9039);

/** Per language: words of its own that must show on each screen. */
const expected: Record<'it' | 'ja', Record<string, string[]>> = {
	it: {
		running: ['Controllo', 'in coda', 'Porta', 'Esito', 'c annulla'],
		prompt: ['Vai alla porta:', 'Esc annulla'],
		cancelled: ['■ annullato a', 'le altre porte non sono state controllate', 'ripeti fallite'],
		table: ['Porta', 'Esito', 'durata', 'IP pubblico', 'dettagli', 'esci'],
		detail: ['Porta', 'Indirizzi', 'indietro'],
		fault: ['Cosa fare'],
		F: ['Riepilogo', 'controllate', 'Cosa fare'],
		n: ['Router e percorso', 'Mappature (6)', 'indirizzo WAN'],
		v: ['porta SIP', 'inviato', 'ricevuto', 'Cosa fare'],
		'?': ['Tasti', 'sposta di una porta', 'questo aiuto'],
		save: ['Salvati'],
	},
	ja: {
		running: ['チェック中', '待機中', 'ポート', '判定', '中止'],
		prompt: ['ポートへ移動:', 'Esc 取消'],
		cancelled: ['/200 でキャンセル', '残りのポートは未チェックです', '失敗を再実行'],
		table: ['ポート', '判定', '所要', 'パブリックIP', '詳細', '終了'],
		detail: ['ポート', 'アドレス', '戻る'],
		fault: ['対処方法'],
		F: ['概要', 'チェックしました', '対処方法'],
		n: ['ルーターと経路', 'マッピング（6件）', 'WANアドレス'],
		v: ['SIPポート', '送信', '受信', '対処方法'],
		'?': ['キー操作', '1ポート移動', 'このヘルプ'],
		save: ['保存しました'],
	},
};

const assertWords = (frame: string, language: 'it' | 'ja', screen: string): void => {
	for (const word of expected[language][screen]!) {
		assert.ok(frame.includes(word), `${language} ${screen}: "${word}" in\n${frame}`);
	}
};

/** Press a key that moves the pane; the frame after it, or the same one once the pane is at its end. */
const press = async (app: ReturnType<typeof render>, key: string): Promise<string> => {
	const before = app.lastFrame() ?? '';
	app.stdin.write(key);
	for (let tries = 0; tries < 50 && (app.lastFrame() ?? '') === before; tries++) {
		await delay(5);
	}

	return app.lastFrame() ?? '';
};

/** Open the drill-down of one port through the jump prompt, as a person would. */
const openDetail = async (app: ReturnType<typeof render>, port: number): Promise<string> => {
	app.stdin.write('/');
	await delay(5);
	app.stdin.write(String(port));
	await delay(5);
	app.stdin.write(keys.enter);
	await delay(5);
	app.stdin.write(keys.enter);
	return waitForFrame(app, frame => frame.split('\n')[0]!.includes(String(port)) && !frame.includes('▏'));
};

for (const language of ['it', 'ja'] as const satisfies Language[]) {
	test(`${language}: the table while the sweep runs fits 80×24 and speaks ${language}`, async () => {
		setLanguage(language);
		try {
			const {run} = scriptedRunner({perTick: 1, intervalMs: 40});
			const app = render(<App config={config(range(9000, 9199))} run={run} columns={80} rows={24} color={false} />);
			await delay(20);
			const checking = language === 'ja' ? 'ポートをチェック中' : 'Controllo 200 porte UDP';
			const frame = await waitForFrame(
				app,
				text => text.includes(checking) && text.includes(language === 'ja' ? '待機中' : 'in coda'),
			);
			assertInLanguage(frame, 'running');
			assertWords(frame, language, 'running');

			app.stdin.write('/');
			const prompt = await waitForFrame(app, text => text.includes('▏'));
			assertInLanguage(prompt, 'jump prompt');
			assertWords(prompt, language, 'prompt');
			app.stdin.write(keys.escape);
			await waitForFrame(app, text => !text.includes('▏'));

			app.stdin.write('c');
			const cancelled = await waitForFrame(app, text => text.includes(expected[language].cancelled![0]!));
			assertInLanguage(cancelled, 'cancelled');
			assertWords(cancelled, language, 'cancelled');
		} finally {
			setLanguage('en');
		}
	});

	test(`${language}: the demo with faults, every verdict's drill-down, F, n, v, ? and save fit 80×24`, async () => {
		setLanguage(language);
		const reportDir = await mkdtemp(path.join(tmpdir(), 'fwcheck-lang-'));
		try {
			let finished: CheckReport | undefined;
			const base = demoRunner(new VirtualClock());
			const run: SweepRunner = async (checkConfig, options) => {
				finished = await base(checkConfig, options);
				return finished;
			};

			const app = render(
				<App config={config(ports)} run={run} columns={80} rows={24} color={false} reportDir={reportDir} tag="DEMO" />,
			);
			await delay(20);
			const took = language === 'ja' ? '所要' : 'durata';
			const table = await waitForFrame(app, frame => frame.includes(took), 30_000);
			assertInLanguage(table, 'table');
			assertWords(table, language, 'table');

			// One port of each verdict the demo gives (the plan puts six kinds of fault on 40 ports).
			const codes = new Map<string, number>();
			for (const result of finished!.ports) {
				if (result.code && !codes.has(result.code)) codes.set(result.code, result.port);
			}

			assert.ok(codes.size >= 5, `verdicts: ${[...codes.keys()].join(', ')}`);
			assert.ok(codes.has(String('port-in-use')), 'the busy port is among them');
			const plan = planFaults(ports);
			assert.equal(codes.get('port-in-use'), plan.busy[0]);
			for (const [code, port] of codes) {
				const detail = await openDetail(app, port);
				assertInLanguage(detail, `detail of ${code}`);
				let all = detail;
				// Scroll to the end of the pane: the checklist and, for the busy port, its evidence.
				// Until the pane stops moving: its last page is on screen.
				for (let page = 0, last = ''; page < 10; page++) {
					const next = await press(app, keys.pageDown);
					if (next === last) break;
					assertInLanguage(next, `detail of ${code}, page ${page + 2}`);
					all += `\n${next}`;
					last = next;
				}

				assertWords(all, language, code === 'port-in-use' ? 'fault' : code === 'ok' ? 'detail' : 'fault');

				app.stdin.write(keys.escape);
				await waitForFrame(app, frame => frame.includes(took));
			}

			for (const [key, screen] of [
				['F', 'F'],
				['n', 'n'],
				['v', 'v'],
				['?', '?'],
			] as const) {
				app.stdin.write(key);
				const title = expected[language][screen]![0]!;
				const pane = await waitForFrame(app, frame => frame.startsWith('DEMO · ') && frame.split('\n')[0]!.includes(title));
				assertInLanguage(pane, screen);
				let all = pane;
				// Until the pane stops moving: its last page is on screen.
				for (let page = 0, last = ''; page < 10; page++) {
					const next = await press(app, keys.pageDown);
					if (next === last) break;
					assertInLanguage(next, `${screen}, page ${page + 2}`);
					all += `\n${next}`;
					last = next;
				}

				assertWords(all, language, screen);
				app.stdin.write(keys.escape);
				await waitForFrame(app, frame => frame.includes(took));
			}

			app.stdin.write('s');
			const saved = await waitForFrame(app, frame => frame.includes(expected[language].save![0]!));
			assertInLanguage(saved, 'save');
		} finally {
			setLanguage('en');
			await rm(reportDir, {recursive: true, force: true});
		}
	});
}

const watchWords = {
	it: {
		passes: 'ora tutte le porte passano',
		round: '◉ Monitoraggio, giro 2',
		since: /9000-9009 ok dalle \d\d:\d\d:\d\d/,
	},
	ja: {passes: '監視中のポートがすべてOKになりました', round: '◉ 監視 第2ラウンド', since: /9000-9009 は \d\d:\d\d:\d\d からOK/},
} as const;

for (const language of ['it', 'ja'] as const) {
	test(`${language}: watch mode's lines fit 80×24 and speak ${language}`, async () => {
		setLanguage(language);
		try {
			const closed = new Set(range(9000, 9009));
			const {run} = scriptedRunner({codeOf: (port, call) => (closed.has(port) && call < 2 ? 'inbound-blocked' : 'ok')});
			const app = render(
				<App config={config(range(9000, 9039))} run={run} columns={80} rows={24} color={false} watchPauseMs={5} bell={false} />,
			);
			await delay(20);
			await waitForFrame(app, frame => frame.includes('SOME-FAILED'));
			app.stdin.write('w');
			const frame = await waitForFrame(app, text => text.includes(watchWords[language].passes));
			assertInLanguage(frame, 'watch');
			assert.ok(frame.includes(watchWords[language].round), frame);
			assert.match(frame, watchWords[language].since);
		} finally {
			setLanguage('en');
		}
	});
}

test('clip cuts a line at the edge, never through a wide character, with the ellipsis Ink would draw', () => {
	const wide: Line = [{text: 'ポート '}, {text: 'ファイアウォール', tone: 'bad'}];
	const whole = plainText(wide);
	for (let size = 1; size <= 30; size++) {
		const cut = clip(wide, size);
		const text = plainText(cut);
		assert.ok(stringWidth(text) <= size, `${size}: ${text}`);
		if (stringWidth(whole) <= size) {
			assert.deepEqual(cut, wide);
		} else {
			assert.ok(text.endsWith('…') && whole.startsWith(text.slice(0, -1)), `${size}: ${text}`);
		}
	}

	// Each segment keeps its style up to the cut.
	assert.equal(clip(wide, 12)[1]?.tone, 'bad');
	// ASCII reads as Ink's truncate-end would have it.
	assert.equal(plainText(clip([{text: 'abc'}, {text: 'def'}], 4)), 'abc…');
});
