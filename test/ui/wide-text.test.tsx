import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, makeReport, portResult, range} from './fixtures.js';
import {delay, keys, waitForFrame, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

/** A PBX on a Japanese Windows: its name and what netstat and tasklist print are two cells a character. */
const name = '電話交換機サービス（本社ビル三階サーバー室）バックアップ用テレフォニーエンジン.exe';
const pid = 4242;
const netstat = [
	'',
	'アクティブな接続',
	'',
	'  プロトコル  ローカル アドレス      外部アドレス         状態            PID',
	'  UDP         0.0.0.0:5060           *:*                                    4242',
	'  UDP         192.168.1.20:5060      *:*                                    4242',
].join('\n');
const tasklist = `"${name}","${pid}","Services","0","123,456 K"`;
const busy = portResult(5060, 'port-in-use', {
	owner: {pid, name},
	notes: [
		'bind 0.0.0.0:5060: 通常、各ソケット アドレスに対してプロトコル、ネットワーク アドレス、またはポートのどれか 1 つのみを使用できます。',
	],
	ownerLookup: {
		userCommand: `netstat -ano | findstr /I /C:":5060"\ntasklist /fi "pid eq ${pid}"`,
		excerpt: [netstat.split('\n')[3], netstat.split('\n')[4], tasklist].join('\n'),
		runs: [
			{command: ['netstat', '-ano', '-p', 'UDP'], output: netstat},
			{command: ['tasklist', '/fi', `pid eq ${pid}`, '/fo', 'csv', '/nh'], output: tasklist},
		],
	},
});

const columns = 80;
const tooWide = (frame: string): string[] => frame.split('\n').filter(line => stringWidth(line) > columns);
/** Lines as a person reads them, with the indent and the line breaks taken out. */
const joined = (frame: string): string => frame.replaceAll(/\n */g, '');

test('a busy port with a Japanese owner stays inside 80 columns, in the table, the drill-down and the summary', async () => {
	const results = [busy, ...range(9000, 9009).map(port => portResult(port, 'ok'))];
	const app = render(
		<App
			config={config(results.map(result => result.port))}
			run={instantRunner(results, makeReport(results))}
			columns={columns}
			rows={24}
		/>,
	);
	await delay(20);
	// The only port not ok is busy: the headline says so.
	const table = await waitForText(app, '● BUSY: Another program holds this port');
	assert.deepEqual(tooWide(table), []);
	// The row is cut to its column with an ellipsis, the name's start still readable.
	assert.match(table, /5060 .*● busy 電話交換機.*…/);

	app.stdin.write(keys.enter);
	let frame = await waitForText(app, 'Port 5060 · details');
	const seen: string[] = [frame];
	// Scroll the whole pane, a page at a time, keeping every screenful.
	while (/lines \d+-\d+ of \d+ ↓/.test(frame)) {
		const before = frame;
		app.stdin.write(keys.pageDown);
		frame = await waitForFrame(app, next => next !== before);
		seen.push(frame);
	}

	for (const each of seen) {
		assert.deepEqual(tooWide(each), [], 'no line wider than the terminal');
		assert.doesNotMatch(each, /\uFFFD/, 'no character cut in half');
	}

	const text = joined(seen.join('\n'));
	// Wrapped, not lost: the whole name after "Held by", the whole tasklist line in the output.
	assert.ok(text.includes(`Held by ${name} (pid ${pid})`), 'the owner is named in full');
	assert.ok(text.includes(tasklist), 'the raw tasklist line is all there');
	assert.ok(text.includes('アクティブな接続'));
	assert.ok(text.includes('0.0.0.0:5060           *:*'), "netstat's columns keep their spaces");

	app.stdin.write('F');
	frame = await waitForText(app, 'Summary · failed ranges');
	const summary = [frame];
	while (/lines \d+-\d+ of \d+ ↓/.test(frame)) {
		const before = frame;
		app.stdin.write(keys.pageDown);
		frame = await waitForFrame(app, next => next !== before);
		summary.push(frame);
	}

	for (const each of summary) {
		assert.deepEqual(tooWide(each), []);
	}

	assert.ok(joined(summary.join('\n')).includes(`held by ${name} (pid ${pid})`));
});
