import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import chalk from 'chalk';
import {cleanup, render} from 'ink-testing-library';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {CheckReport} from '../../source/check/types.js';
import type {ReportJson} from '../../source/report/json.js';
import {App} from '../../source/ui/components/App.js';
import {verdict} from '../../source/check/verdicts.js';
import {config, instantRunner, makeReport, mixedCode, portResult, range, scriptedRunner} from './fixtures.js';
import {colourCode, delay, keys, lineCount, plain, selectedLine, waitForFrame, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

const officePorts = [5060, ...range(9000, 10999)];
const mixed = () => officePorts.map(port => portResult(port, mixedCode(port)));

/** Render at a fixed size and give Ink a tick to attach to stdin. */
const start = async (
	run: SweepRunner,
	options: {ports?: number[]; columns?: number; rows?: number; reportDir?: string; color?: boolean} = {},
) => {
	const exits: Array<{report: CheckReport | null; code: number}> = [];
	const app = render(
		<App
			config={config(options.ports ?? officePorts)}
			run={run}
			columns={options.columns ?? 80}
			rows={options.rows ?? 24}
			reportDir={options.reportDir}
			color={options.color}
			onExit={(report, code) => exits.push({report, code})}
		/>,
	);
	await delay(20);
	return {app, exits};
};

/** Type a key and wait until the frame shows its effect. */
const press = async (app: ReturnType<typeof render>, key: string, until: (frame: string) => boolean) => {
	app.stdin.write(key);
	return waitForFrame(app, until);
};

test('a 2000-port sweep renders only the rows that fit, in every frame', async () => {
	const {app} = await start(scriptedRunner({perTick: 100}).run, {ports: range(9000, 10999)});
	const frame = await waitForText(app, 'SOME-FAILED');
	for (const each of app.frames) {
		assert.ok(lineCount(plain(each)) <= 23, `a frame had ${lineCount(plain(each))} lines`);
	}

	const portRows = frame.split('\n').filter(line => /^[› ] \d{4,5} /.test(line));
	assert.ok(portRows.length > 5 && portRows.length < 20, `${portRows.length} port rows`);
	assert.doesNotMatch(frame, /10500 /);

	let moved = await press(app, 'G', next => selectedLine(next)?.startsWith('› 10999') ?? false);
	assert.ok(lineCount(moved) <= 23);
	moved = await press(app, keys.home, next => selectedLine(next)?.startsWith('› 9000') ?? false);
	assert.doesNotMatch(moved, /10500 /);
	moved = await press(app, '/', next => next.includes('Jump to port:'));
	app.stdin.write('10500');
	await waitForText(app, 'Jump to port: 10500');
	moved = await press(app, keys.enter, next => selectedLine(next)?.startsWith('› 10500') ?? false);
	assert.match(moved, /10500 +✔ pass/);
});

test('at 80×24 a mixed result reads: verdict, ranges, table, keys', async () => {
	const {app} = await start(instantRunner(mixed()));
	const frame = await waitForText(app, 'SOME-FAILED');
	const lines = frame.split('\n');
	assert.ok(lines.length <= 23);
	assert.ok(
		lines.every(line => [...line].length <= 80),
		'no line wider than 80 columns',
	);
	assert.match(lines[0]!, /STUN stun\.example\.net 198\.51\.100\.10:3478 +2nd IP 198\.51\.100\.11:3479/);
	assert.match(lines[1]!, /public 203\.0\.113\.7 +this host 192\.168\.1\.20/);
	assert.match(lines[2]!, /✔ 1894 ok/);
	assert.match(lines[2]!, /● 2 busy/);
	assert.match(frame, /2001\/2001 100%/);
	assert.match(frame, /✘ SOME-FAILED: Some ports are forwarded 1:1 and others are not\./);
	assert.match(frame, /✘ 9500-9599 inbound-blocked/);
	assert.match(frame, /⇄ 9650 port-translated/);
	assert.match(frame, /● 5060 busy/);
	assert.match(frame, /Port +Test 1 reach +Test 2 1:1 +Test 3 +Mapped address +Verdict/);
	assert.match(lines.at(-1)!, /r re-run {2}s save {2}q quit {2}\? keys$/);
});

test('arrows, j/k and page keys move the cursor', async () => {
	const {app} = await start(instantRunner(mixed()));
	await waitForText(app, 'SOME-FAILED');
	await press(app, 'g', frame => selectedLine(frame)?.startsWith('› 5060') ?? false);
	await press(app, keys.down, frame => selectedLine(frame)?.startsWith('› 9000') ?? false);
	await press(app, 'j', frame => selectedLine(frame)?.startsWith('› 9001') ?? false);
	await press(app, 'k', frame => selectedLine(frame)?.startsWith('› 9000') ?? false);
	await press(app, keys.up, frame => selectedLine(frame)?.startsWith('› 5060') ?? false);
	const paged = await press(app, keys.pageDown, frame => !(selectedLine(frame)?.startsWith('› 5060') ?? true));
	assert.match(selectedLine(paged)!, /^› 90\d\d /);
	await press(app, keys.pageUp, frame => selectedLine(frame)?.startsWith('› 5060') ?? false);
	await press(app, keys.end, frame => selectedLine(frame)?.startsWith('› 10999') ?? false);
});

test('f filters failed, busy and ok ports', async () => {
	const {app} = await start(instantRunner(mixed()));
	await waitForText(app, 'SOME-FAILED');
	const failed = await press(app, 'f', frame => frame.includes('[failed'));
	const rows = failed.split('\n').filter(line => /^[› ] \d{4,5} /.test(line));
	assert.ok(rows.length > 0);
	assert.ok(
		rows.every(line => /✘ (inbound-blocked|outbound-blocked)|⇄ port-translated/.test(line)),
		rows.join('\n'),
	);
	assert.match(failed, /\[failed 1\/105\]/);
	const busy = await press(app, 'f', frame => frame.includes('[busy'));
	assert.deepEqual(
		busy
			.split('\n')
			.filter(line => /^[› ] \d{4,5} /.test(line))
			.map(line => line.slice(2, 7).trim()),
		['5060', '9700'],
	);
	assert.match(busy, /● busy asterisk/);
	await press(app, 'f', frame => frame.includes('[ok'));
	await press(app, 'f', frame => frame.includes('[all'));
});

test('Enter opens the drill-down of a failed port; Esc goes back', async () => {
	const {app} = await start(instantRunner(mixed()));
	await waitForText(app, 'SOME-FAILED');
	app.stdin.write('/');
	await waitForText(app, 'Jump to port:');
	app.stdin.write('9500');
	await waitForText(app, 'Jump to port: 9500');
	await press(app, keys.enter, frame => selectedLine(frame)?.startsWith('› 9500') ?? false);
	const detail = await press(app, keys.enter, frame => frame.includes('Port 9500 · details'));
	assert.ok(lineCount(detail) <= 23);
	assert.match(detail, /✘ inbound-blocked/);
	assert.match(detail, /Test 1 · reachability +✔ pass/);
	assert.match(detail, /reply from 198\.51\.100\.10:3478 · round trip/);
	assert.match(detail, /Test 2 · 1:1 forwarding +✘ fail/);
	assert.match(detail, /12 requests · decided after 4210ms · 2 passes/);
	assert.match(detail, /this host +192\.168\.1\.20:9500/);
	assert.match(detail, /mapped +203\.0\.113\.7:9500 +\(port kept\)/);
	assert.match(detail, /second IP +198\.51\.100\.11:3479/);
	const end = await press(app, 'G', frame => frame.includes('same port numbers'));
	// Wrapped to 80 columns: the rule names the port and this host's address.
	assert.match(
		end,
		/1\. Add a static forward on the router: UDP 9500 arriving on the WAN address →\n +192\.168\.1\.20, same port numbers/,
	);
	const next = await press(app, keys.right, frame => frame.includes('Port 9501 · details'));
	assert.match(next, /Port 9501\/udp/);
	const back = await press(app, keys.escape, frame => frame.includes('Test 1 reach'));
	assert.match(selectedLine(back)!, /^› 9501 /);
});

test('the drill-down of a busy port shows its owner, the raw output and the command to run', async () => {
	const {app} = await start(instantRunner(mixed()));
	await waitForText(app, 'SOME-FAILED');
	await press(app, 'g', frame => selectedLine(frame)?.startsWith('› 5060') ?? false);
	const detail = await press(app, keys.enter, frame => frame.includes('Port 5060 · details'));
	// What to do comes first, the evidence (command and raw output) after it.
	assert.match(detail, /Held by asterisk \(pid 812\)/);
	assert.match(detail, /held by asterisk \(pid 812\)\. If that is the PBX/);
	assert.match(detail, /\$ ss -uanp 'sport = :5060'/);
	assert.match(detail, /lines 1-21 of \d+ ↓/);
	const more = await press(app, keys.pageDown, frame => /UNCONN 0 +0 +0\.0\.0\.0:5060/.test(frame));
	assert.match(more, /What fwcheck found|Commands run/);
	assert.ok(lineCount(more) <= 23);
	await press(app, 'q', frame => frame.includes('Test 1 reach'));
});

test('c cancels mid-sweep: the engine is aborted, stops emitting, the table stays', async () => {
	const {run, calls} = scriptedRunner({perTick: 10, intervalMs: 10});
	const {app, exits} = await start(run, {ports: range(9000, 10999)});
	await waitForFrame(app, frame => /\b([2-9]\d\d)\/2000\b/.test(frame));
	app.stdin.write('c');
	const frame = await waitForText(app, 'cancelled at');
	const call = calls[0]!;
	assert.equal(call.signal.aborted, true);
	const finished = call.emitted.filter(event => event.type === 'port-finished').length;
	assert.ok(finished > 100 && finished < 2000, `${finished} finished`);
	assert.match(frame, new RegExp(`■ cancelled at ${finished}/2000`));
	assert.match(frame, new RegExp(`– ${2000 - finished} not checked`));
	assert.match(frame, /9\d{3} +✔ pass/);
	const last = await press(app, 'G', next => selectedLine(next)?.startsWith('› 10999') ?? false);
	assert.match(selectedLine(last)!, /– not checked/);
	await delay(150);
	assert.equal(call.emitted.filter(event => event.type === 'port-finished').length, finished, 'no port events after the abort');
	assert.deepEqual(call.afterAbort, []);
	app.stdin.write('q');
	await waitForFrame(app, () => exits.length > 0);
	assert.equal(exits[0]!.code, 130);
	assert.equal(exits[0]!.report?.status, 'cancelled');
});

test('Ctrl+C cancels the sweep first and quits on the second press', async () => {
	const {run, calls} = scriptedRunner({perTick: 5, intervalMs: 10});
	const {app, exits} = await start(run, {ports: range(9000, 10999)});
	await waitForFrame(app, frame => /\b\d{2,}\/2000\b/.test(frame));
	app.stdin.write(keys.ctrlC);
	await waitForText(app, 'cancelled at');
	assert.equal(calls[0]!.signal.aborted, true);
	assert.equal(exits.length, 0);
	app.stdin.write(keys.ctrlC);
	await waitForFrame(app, () => exits.length > 0);
	assert.equal(exits[0]!.code, 130);
});

test('r re-runs only the failed and busy ports and merges the results', async () => {
	const {run, calls} = scriptedRunner({codeOf: (port, call) => (call === 0 ? mixedCode(port) : 'ok')});
	const {app, exits} = await start(run);
	await waitForText(app, 'SOME-FAILED');
	app.stdin.write('r');
	const frame = await waitForText(app, 'OK: Forwarded 1:1');
	assert.equal(calls.length, 2);
	assert.deepEqual(calls[1]!.ports, [5060, ...range(9500, 9599), 9650, 9700, ...range(9800, 9803)]);
	assert.match(frame, /✔ 2001 ok/);
	assert.match(frame, /re-run 1/);
	app.stdin.write('q');
	await waitForFrame(app, () => exits.length > 0);
	assert.equal(exits[0]!.code, 0);
	assert.equal(exits[0]!.report?.ports.length, 2001);
});

test('s saves Markdown and JSON reports and shows where', async () => {
	const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-ui-'));
	try {
		const {app} = await start(instantRunner(mixed()), {reportDir: directory});
		await waitForText(app, 'SOME-FAILED');
		app.stdin.write('s');
		const frame = await waitForText(app, 'Saved');
		const files = (await readdir(directory)).sort();
		assert.equal(files.length, 2);
		assert.match(files[0]!, /^fwcheck-report-\d{8}-\d{6}\.json$/);
		assert.match(files[1]!, /^fwcheck-report-\d{8}-\d{6}\.md$/);
		assert.ok(frame.replaceAll('\n', '').includes(files[1]!), 'the frame names the Markdown file');
		const markdown = await readFile(path.join(directory, files[1]!), 'utf8');
		assert.match(markdown, /\| 9500-9599 \| 100 \| ✘ inbound-blocked \|/);
		assert.match(markdown, /\| 9800-9803 \| 4 \| ✘ outbound-blocked \|/);
		const json = JSON.parse(await readFile(path.join(directory, files[0]!), 'utf8')) as ReportJson;
		assert.equal(json.code, 'some-failed');
		assert.equal(json.ports.length, 2001);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});

test('with NO_COLOR the frame carries no colour and still reads', async () => {
	const level = chalk.level;
	// Ink's chalk sees no TTY here and would print no colour anyway: force it on to prove the app drops it.
	chalk.level = 1;
	try {
		const coloured = await start(instantRunner(mixed()), {color: true});
		await waitForText(coloured.app, 'SOME-FAILED');
		assert.match(coloured.app.lastFrame()!, colourCode);
		coloured.app.unmount();

		process.env['NO_COLOR'] = '1';
		const {app} = await start(instantRunner(mixed()));
		await waitForText(app, 'SOME-FAILED');
		const raw = app.lastFrame()!;
		assert.doesNotMatch(raw, colourCode, 'no foreground or background colour codes');
		const frame = plain(raw);
		assert.match(frame, /✔ ok/);
		assert.match(frame, /✘ SOME-FAILED/);
		assert.match(frame, /● 2 busy/);
		assert.match(frame, /^› /m);
		app.stdin.write('f');
		assert.match(await waitForText(app, '[failed'), /✘ inbound-blocked/);
	} finally {
		chalk.level = level;
		delete process.env['NO_COLOR'];
	}
});

test('the frame follows a smaller terminal', async () => {
	const exits: number[] = [];
	const run = instantRunner(mixed());
	const app = render(
		<App config={config(officePorts)} run={run} columns={80} rows={24} onExit={(_report, code) => exits.push(code)} />,
	);
	await waitForText(app, 'SOME-FAILED');
	app.rerender(
		<App config={config(officePorts)} run={run} columns={60} rows={14} onExit={(_report, code) => exits.push(code)} />,
	);
	const frame = await waitForFrame(app, next => lineCount(next) <= 13);
	assert.ok(frame.split('\n').every(line => [...line].length <= 60));
	// Narrow: the mapped address column goes, the verdict stays.
	assert.match(frame, /› 9500 +✔ pass \d+ms +✘ no reply +✘ inbound-blocked/);
	assert.doesNotMatch(frame, /Mapped address/);
});

test('? shows the keys and F the failed ranges with what to do', async () => {
	const {app} = await start(instantRunner(mixed()));
	await waitForText(app, 'SOME-FAILED');
	const help = await press(app, '?', frame => frame.includes('Keys'));
	assert.match(help, /r +re-run only the failed and busy ports/);
	await press(app, keys.escape, frame => frame.includes('Test 1 reach'));
	const summary = await press(app, 'F', frame => frame.includes('Summary'));
	assert.match(summary, /✘ 9500-9599 +100 +inbound-blocked/);
	assert.match(summary, /5060 +held by asterisk \(pid 812\)/);
});

test('an engine that throws leaves a readable error and exit code 3', async () => {
	const {app, exits} = await start(async () => {
		throw new Error('Cannot bind UDP port 9000: EACCES');
	});
	const frame = await waitForText(app, 'stopped with an error');
	assert.match(frame, /EACCES/);
	app.stdin.write('q');
	await waitForFrame(app, () => exits.length > 0);
	assert.equal(exits[0]!.code, 3);
});

test('a check that could not run shows why and what to try, and exits with 3', async () => {
	const ports = range(9000, 9099);
	const report = makeReport(
		ports.map(port => portResult(port, 'skipped')),
		{
			status: 'error',
			code: 'stun-unreachable',
			message: `${verdict('stun-unreachable').sentence} stun.example.net:3478: no answer to 7 requests.`,
			server: null,
			publicAddress: null,
			serversTried: [{host: 'stun.example.net', port: 3478, code: 'stun-unreachable', detail: 'no answer to 7 requests'}],
		},
	);
	const run: SweepRunner = async (_config, {onEvent}) => {
		onEvent({type: 'server-probing', host: 'stun.example.net', port: 3478});
		onEvent({
			type: 'server-rejected',
			host: 'stun.example.net',
			port: 3478,
			code: 'stun-unreachable',
			detail: 'no answer to 7 requests',
		});
		onEvent({type: 'done', report});
		return report;
	};

	const {app, exits} = await start(run, {ports});
	const frame = await waitForText(app, 'STUN-UNREACHABLE');
	assert.match(frame, /✘ STUN-UNREACHABLE: No configured STUN server answered/);
	assert.match(frame, /• Check that this host can reach the internet over UDP at all\./);
	assert.match(frame, /– 100 not checked/);
	assert.ok(lineCount(frame) <= 23);
	app.stdin.write('q');
	await waitForFrame(app, () => exits.length > 0);
	assert.equal(exits[0]!.code, 3);
});

test('mapping-only: the Test 3 column, Test 3 in the drill-down, and the summary with its note and checklist', async () => {
	const ports = range(9000, 9009);
	const results = ports.map(port => portResult(port, 'mapping-only'));
	const note = 'Test 3 passed on 2 ports (9010-9011) that a check from this host used 12 s earlier.';
	const {app} = await start(instantRunner(results, makeReport(results, {notes: [note]})), {ports});
	const table = await waitForText(app, 'MAPPING-ONLY');
	assert.match(table, /Port +Test 1 reach +Test 2 1:1 +Test 3 +Mapped address +Verdict/);
	assert.match(table, /9000 +✔ pass [\d.]+ms +✔ pass [\d.]+ms +✘ fail +203\.0\.113\.7:9000 +◐ mapping-only/);
	const detail = await press(app, keys.enter, frame => frame.includes('Port 9000 · details'));
	assert.match(detail, /Test 3 · unsolicited inbound +✘ fail/);
	const end = await press(app, 'G', frame => frame.includes('RESPONSE-PORT 9000'));
	assert.match(end, /it never\s+arrived/);
	await press(app, keys.escape, frame => frame.includes('Test 1 reach'));
	const summary = await press(app, 'F', frame => frame.includes('Summary'));
	assert.match(summary, /Test 3 passed on 2 ports \(9010-9011\)/);
	assert.match(summary, /◐ 9000-9009 +10 +mapping-only/);
	assert.match(summary, /1\. Add a static forward on the router: UDP 9000-9009/);
});
