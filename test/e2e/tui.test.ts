// The real binary in a real terminal (tmux at 80×24), driven by keys as a person would:
// live rows, cancel, jump, drill-down with the checklist and the busy port's owner, quit, and
// the terminal left in its normal mode afterwards.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';
import type {StunServer} from '../../source/server/index.js';
import {ALTERNATE, PRIMARY, startOnFreePorts} from '../interop/support.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const session = `fwcheck-e2e-${process.pid}`;
let server: StunServer | undefined;
let stun = '';
let holder: ResultPromise | undefined;
let tmuxMissing = '';

const stateDir = mkdtempSync(path.join(tmpdir(), 'fwcheck-state-'));
const tmux = async (...args: string[]) => execa('tmux', args, {reject: false, timeout: 10_000});
const screen = async (target = session): Promise<string> => (await tmux('capture-pane', '-t', target, '-p')).stdout;
const keys = async (...names: string[]) => tmux('send-keys', '-t', session, ...names);

/** Poll the screen until it shows what we wait for: bounded in count, never a blind sleep. */
const waitFor = async (what: RegExp, limitMs = 20_000, target = session): Promise<string> => {
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

before(async () => {
	if ((await execa('tmux', ['-V'], {reject: false})).exitCode !== 0) {
		tmuxMissing = 'tmux is not installed (apt-get install tmux)';
		return;
	}

	server = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, log: () => undefined});
	stun = `${PRIMARY}:${server.addresses[0]!.port}`;

	holder = execa('node', ['-e', "require('dgram').createSocket('udp4').bind(20505, () => console.log('ready'))"], {
		reject: false,
		timeout: 120_000,
	});
	await new Promise<void>(resolve => {
		holder!.stdout?.once('data', () => {
			resolve();
		});
	});
});

after(async () => {
	rmSync(stateDir, {recursive: true, force: true});
	await tmux('kill-session', '-t', session);
	holder?.kill();
	await holder;
	await server?.close();
});

test('the TUI in tmux: live rows, cancel, jump, drill-down, quit, terminal restored', async t => {
	if (tmuxMissing) {
		if (process.env.CI === 'true') {
			assert.fail(tmuxMissing);
		}

		t.skip(tmuxMissing);
		return;
	}

	assert.ok(server, 'no test server');
	// A low --rate keeps the sweep running long enough to watch and cancel it, even when a loaded
	// machine makes each look at the screen slow (it used to finish first at 150 packets/s).
	// Its memory of recent checks (for Test 3's stale-mapping note) goes to a directory of its own.
	const command = `FWCHECK_STATE_DIR=${stateDir} node ${cli} --stun ${stun} --ports 20500-20999 --rate 40; code=$?; stty -a | grep -o -- '-*icanon'; echo EXIT=$code; sleep 60`;
	const started = await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
	assert.equal(started.exitCode, 0, started.stderr);

	const live = await waitFor(/✔ \d+ ok[\s\S]*Checking 500 UDP ports/);
	assert.match(live, /Port\s+Test 1 reach\s+Test 2 1:1\s+Test 3\s+Mapped address\s+Verdict/);
	assert.ok(live.split('\n').length <= 24);
	await waitFor(/● 1 busy/);

	await keys('c');
	const cancelled = await waitFor(/cancelled at \d+\/500/);
	const [, done] = /cancelled at (\d+)\/500/.exec(cancelled)!;
	assert.ok(Number(done) > 0 && Number(done) < 500, cancelled);
	// The engine really stopped: the server hears nothing more.
	const answered = server.stats().answered;
	await waitFor(/cancelled at/);
	await waitFor(/cancelled at/);
	assert.equal(server.stats().answered, answered, 'requests kept arriving after cancel');

	await keys('/');
	await keys('2', '0', '5', '0', '5', 'Enter');
	await keys('Enter');
	const detail = await waitFor(/Port 20505 · details/);
	assert.match(detail, /● busy/);
	assert.match(detail, new RegExp(`Held by node \\(pid ${holder!.pid}\\)`));
	assert.match(detail, /ss -uanp 'sport = :20505'/);
	assert.match(detail, /If it is not the PBX, stop or reconfigure/);

	await keys('Escape');
	await waitFor(/Port\s+Test 1 reach/);
	await keys('q');
	const end = await waitFor(/EXIT=\d+/);
	assert.match(end, /EXIT=130/);
	// Raw mode is off again: the line discipline is back to canonical mode.
	assert.match(end, /(^|\n)icanon/);
});

test('TERM=dumb on a terminal: plain lines, no full-screen table', async t => {
	if (tmuxMissing) {
		if (process.env.CI === 'true') {
			assert.fail(tmuxMissing);
		}

		t.skip(tmuxMissing);
		return;
	}

	const dumb = `${session}-dumb`;
	t.after(async () => {
		await tmux('kill-session', '-t', dumb);
	});
	const command = `TERM=dumb FWCHECK_STATE_DIR=${stateDir} node ${cli} --stun ${stun} --ports 20600-20609; echo EXIT=$?; sleep 60`;
	const started = await tmux('new-session', '-d', '-s', dumb, '-x', '80', '-y', '24', command);
	assert.equal(started.exitCode, 0, started.stderr);
	// The TUI would wait for a key with its table up; the plain reporter prints and ends.
	const last = await waitFor(/EXIT=\d+/, 20_000, dumb);
	assert.match(last, /EXIT=0/, last);
	assert.match(last, /Checking 10 UDP ports \(20600-20609\)/);
	assert.match(last, /Ports 20600-20609: 10 ok/);
	assert.doesNotMatch(last, /Test 1 reach/);
});

test('SIGTERM and SIGHUP end the TUI as quitting does: exit 130, terminal restored', async t => {
	if (tmuxMissing) {
		if (process.env.CI === 'true') {
			assert.fail(tmuxMissing);
		}

		t.skip(tmuxMissing);
		return;
	}

	for (const [index, signal] of (['SIGTERM', 'SIGHUP'] as const).entries()) {
		const target = `${session}-${signal}`;
		t.after(async () => {
			await tmux('kill-session', '-t', target);
		});
		const from = 20_700 + index * 300;
		const command = `FWCHECK_STATE_DIR=${stateDir} node ${cli} --stun ${stun} --ports ${from}-${from + 299} --rate 40; code=$?; stty -a | grep -o -- '-*icanon'; echo EXIT=$code; sleep 60`;
		const started = await tmux('new-session', '-d', '-s', target, '-x', '80', '-y', '24', command);
		assert.equal(started.exitCode, 0, started.stderr);
		await waitFor(/✔ \d+ ok/, 20_000, target);
		// The pane's shell runs the command; its one child is the check.
		const shell = (await tmux('display-message', '-p', '-t', target, '#{pane_pid}')).stdout.trim();
		const child = await execa('pgrep', ['-P', shell], {reject: false});
		const pid = Number(child.stdout.trim());
		assert.ok(Number.isInteger(pid) && pid > 0, `no check under shell ${shell}: ${child.stdout}`);
		process.kill(pid, signal);
		const end = await waitFor(/EXIT=\d+/, 20_000, target);
		assert.match(end, /EXIT=130/, `${signal}: ${end}`);
		assert.match(end, /(^|\n)icanon/, `${signal}: raw mode left on`);
	}
});

test('q while a cancel at --rate 20 is closing the sockets: ends at once, terminal restored', async t => {
	if (tmuxMissing) {
		if (process.env.CI === 'true') {
			assert.fail(tmuxMissing);
		}

		t.skip(tmuxMissing);
		return;
	}

	// At --rate 20 a cancel used to wait for the pacer to release every queued turn (121 s), and a
	// q meanwhile left raw mode with the check still running, so keys echoed over the table.
	const target = `${session}-qcancel`;
	t.after(async () => {
		await tmux('kill-session', '-t', target);
	});
	const command = `FWCHECK_STATE_DIR=${stateDir} node ${cli} --stun ${stun} --ports 21400-21699 --rate 20 --no-router --no-sip; code=$?; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)'; echo EXIT=$code; sleep 60`;
	const started = await tmux('new-session', '-d', '-s', target, '-x', '80', '-y', '24', command);
	assert.equal(started.exitCode, 0, started.stderr);
	// Under way: Test 3 has sent and heard back on a port, with most of the sweep still queued.
	await waitFor(/Test 3 [1-9]\d*\/300/, 20_000, target);

	await tmux('send-keys', '-t', target, 'c');
	await tmux('send-keys', '-t', target, 'q');
	// Far below the old 121 s, and bounded by the wait rather than timed.
	const end = await waitFor(/EXIT=\d+/, 15_000, target);
	assert.match(end, /EXIT=130/, end);
	// Canonical mode and echo are both back on.
	assert.match(end, /(^|\n)icanon\n/, `raw mode left on: ${end}`);
	assert.match(end, /(^|\n)echo\n/, `echo left off: ${end}`);
});
