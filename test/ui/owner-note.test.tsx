// The drill-down of a busy port whose owner Windows' tools named (decoded from the console's code
// page) or could not name (Wine's netstat has no PID column): either way it fits in 80 columns,
// drawn as on Windows (ASCII symbols).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {App} from '../../source/ui/components/App.js';
import {findUdpPortOwners, type Runner} from '../../source/system/port-owner.js';
import {config, instantRunner, makeReport, portResult, range} from './fixtures.js';
import {delay, keys, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

const bytes = (name: string): Uint8Array =>
	new Uint8Array(readFileSync(new URL(`../fixtures/port-owner/windows-bytes/${name}`, import.meta.url)));

const recorded =
	(answers: Record<string, Uint8Array>): Runner =>
	async file => {
		const answer = answers[file];
		if (answer === undefined) {
			throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		}

		return {stdout: answer};
	};

const drillDown = async (port: number, answers: Record<string, Uint8Array>): Promise<string> => {
	const report = (await findUdpPortOwners([port], {platform: 'win32', run: recorded(answers)})).get(port)!;
	const busy = portResult(port, 'port-in-use', {
		owner: report.owner,
		ownerLookup: {
			userCommand: report.userCommand,
			excerpt: report.excerpt,
			runs: report.runs,
			...(report.note === undefined ? {} : {note: report.note}),
		},
	});
	const results = [busy, ...range(9100, 9105).map(each => portResult(each, 'ok'))];
	const app = render(
		<App
			config={config(results.map(result => result.port))}
			run={instantRunner(results, makeReport(results))}
			columns={80}
			rows={24}
			glyphs="ascii"
		/>,
	);
	await delay(20);
	// One busy port beside ok ones: the headline is the busy port's verdict.
	await waitForText(app, 'BUSY:');
	app.stdin.write(keys.enter);
	return waitForText(app, `Port ${port} | details`);
};

const tooWide = (frame: string): string[] => frame.split('\n').filter(line => stringWidth(line) > 80);

test('English Windows: the owner decoded from code page 437 is named in the drill-down', async () => {
	const frame = await drillDown(9002, {
		chcp: bytes('chcp-en.cp437.txt'),
		netstat: bytes('netstat-ano-en.cp437.txt'),
		tasklist: bytes('tasklist-en.cp437.csv'),
	});
	assert.match(frame, /Held by Réunion-Phone\.exe \(pid 7312\)/);
	assert.deepEqual(tooWide(frame), []);
});

test('Italian Windows: the owner decoded from code page 850 is named in the drill-down', async () => {
	const frame = await drillDown(9001, {
		chcp: bytes('chcp-it.cp850.txt'),
		netstat: bytes('netstat-ano-it.cp850.txt'),
		tasklist: bytes('tasklist-it.cp850.csv'),
	});
	assert.match(frame, /Held by CentralinoCittà\.exe \(pid 5588\)/);
	assert.deepEqual(tooWide(frame), []);
});

test('Japanese Windows: the owner decoded from code page 932 is named in the drill-down', async () => {
	const frame = await drillDown(9004, {
		chcp: bytes('chcp-ja.cp932.txt'),
		netstat: bytes('netstat-ano-ja.cp932.txt'),
		tasklist: bytes('tasklist-ja.cp932.csv'),
	});
	assert.match(frame, /Held by 電話交換機サービス\.exe \(pid 8848\)/);
	assert.deepEqual(tooWide(frame), []);
});

test("Wine's netstat: the drill-down says in one line why the owner is unknown", async () => {
	const frame = await drillDown(9000, {chcp: bytes('chcp-en.cp437.txt'), netstat: bytes('netstat-ano-wine.txt')});
	assert.match(frame, /Held by a program fwcheck could not identify/);
	assert.match(
		frame.replaceAll(/\n */g, ' '),
		/The owner could not be found: netstat -ano lists this port without a PID column \(as Wine's netstat does\)\./,
	);
	assert.deepEqual(tooWide(frame), []);
});
