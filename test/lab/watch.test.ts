// Watch mode against a real Linux router: the check fails behind a masquerade, the forward is
// added on the router while fwcheck watches, and the next round shows the ports ok since then,
// with one bell. The TUI in tmux at 80×24 (w pressed), and the plain lines (--watch 1).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {HOSTS, NS, setUpLab} from '../../lab/lab.js';

const lab = setUpLab();
const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(repo, 'dist', 'cli.js');
// A small range keeps each check short; the SIP checks, the router view and the host firewall
// have their own lab tests.
const checkArgs = ['--stun', HOSTS.coturn, '--ports', '9000-9019', '--no-sip', '--no-router', '--no-host-firewall'];
const forward = {kind: 'forward-all', ports: [9000, 9019]} as const;
const session = `fwcheck-watch-${process.pid}`;

const bellsIn = (text: string): number => text.split('\u0007').length - 1;

before(async () => {
	const l = await lab.ready;
	if (!l) return;
	await l.startCoturn();
});

const tmux = async (...args: string[]) => execa('tmux', args, {reject: false, timeout: 10_000});
const screen = async (): Promise<string> => (await tmux('capture-pane', '-t', session, '-p')).stdout;

after(async () => {
	await tmux('kill-session', '-t', session);
});

/** Poll the screen until it shows what we wait for: bounded in count, never a blind sleep. */
const waitFor = async (what: RegExp, limitMs: number): Promise<string> => {
	let last = '';
	for (const started = Date.now(); Date.now() - started < limitMs;) {
		last = await screen();
		if (what.test(last)) {
			return last;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}

	assert.fail(`screen never showed ${what}:\n${last}`);
};

test('TUI in tmux: w, then the forward on the router: the next round shows 9000-9019 ok since its time, one bell', async t => {
	const l = lab(t);
	if (!l) return;
	if ((await execa('tmux', ['-V'], {reject: false})).exitCode !== 0) {
		if (process.env.CI === 'true') assert.fail('tmux is not installed');
		t.skip('tmux is not installed (apt-get install tmux)');
		return;
	}

	const started = Date.now();
	await l.setRouter({kind: 'masquerade'});
	const output = path.join(l.runDir, 'tui-watch.out');
	const stateDir = path.join(l.runDir, 'state-tui');
	const command = [
		`ip netns exec ${NS.pbx} env FWCHECK_STATE_DIR=${stateDir} NO_COLOR=1`,
		`${process.execPath} ${cli} ${checkArgs.join(' ')}; echo EXIT=$?; sleep 60`,
	].join(' ');
	assert.equal((await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command)).exitCode, 0);
	// Every byte the TUI writes, to count the bells in it.
	assert.equal((await tmux('pipe-pane', '-o', '-t', session, `cat >> ${output}`)).exitCode, 0);

	// "took" once the check (its slow rechecks included) has ended: w before that only says so.
	const failed = await waitFor(/took [\d.]+ s[\s\S]*✘ INBOUND-BLOCKED/, 90_000);
	assert.equal(bellsIn(readFileSync(output, 'latin1')), 0, 'no bell before watching');
	await tmux('send-keys', '-t', session, 'w');
	// Round 1 runs at once, without the forward: it ends still failing.
	const round1 = await waitFor(/Watch round 1, last round \d\d:\d\d:\d\d · next round soon/, 90_000);
	assert.doesNotMatch(round1, /ok since/);
	await l.setRouter(forward);
	const passed = await waitFor(/every watched port passes now/, 90_000);
	const watchLine = /Watch round (\d+), last round (\d\d:\d\d:\d\d): every watched port passes now/.exec(passed);
	assert.ok(watchLine, passed);
	assert.ok(Number(watchLine[1]) <= 3, `passed in round ${watchLine[1]}, two rounds after the forward at most`);
	assert.match(passed, new RegExp(`✔ 9000-9019 ok since ${watchLine[2]}`));
	assert.ok(passed.split('\n').length <= 24);
	assert.ok(failed.split('\n').length <= 24);

	await tmux('send-keys', '-t', session, 'q');
	const end = await waitFor(/EXIT=\d+/, 10_000);
	assert.match(end, /EXIT=0/, 'every port passes at the end');
	assert.equal(bellsIn(readFileSync(output, 'latin1')), 1, 'the bell rang once');
	t.diagnostic(`TUI watch test: ${Date.now() - started} ms`);
});

test('plain --watch 1: the forward added while watching gives one "ok since" line, one bell, exit 0', async t => {
	const l = lab(t);
	if (!l) return;
	const started = Date.now();
	await l.setRouter({kind: 'masquerade'});
	const fwcheck = l.spawn('pbx', 'fwcheck-watch', process.execPath, [cli, ...checkArgs, '--watch', '1'], {
		cwd: repo,
		env: {NO_COLOR: '1', FWCHECK_STATE_DIR: path.join(l.runDir, 'state-plain')},
		timeoutMs: 180_000,
	});
	try {
		await fwcheck.waitForLine(line => line.startsWith('Watching 20 ports that failed or were busy (9000-9019)'), 90_000);
		// The first round starts a second after that line: the new rules must be in by then (a
		// round that saw them come in half way would pass in two steps, with two bells).
		const changing = Date.now();
		await l.setRouter(forward);
		t.diagnostic(`forward added ${Date.now() - changing} ms after the "Watching" line`);
		const exit = await fwcheck.exited;
		const stdout = fwcheck.lines.join('\n');
		assert.equal(exit.exitCode, 0, `${stdout}\n${exit.stderr}`);
		const passing = fwcheck.lines.filter(line => / ok since /.test(line));
		assert.equal(passing.length, 1, stdout);
		const round = /^Round (\d) at (\d\d:\d\d:\d\d): 9000-9019 ok since \2; every watched port passes$/.exec(
			passing[0]!.replace('\u0007', ''),
		);
		assert.ok(round, passing[0]);
		assert.ok(Number(round[1]) <= 2, `passed in round ${round[1]}`);
		assert.equal(bellsIn(stdout), 1, 'one bell in stdout');
		assert.ok(
			fwcheck.lines.some(line => /Watch done: every watched port passes now \(\d rounds?\)\./.test(line)),
			stdout,
		);
		assert.ok(
			fwcheck.lines.some(line => line.startsWith('✔ ok:')),
			`the final summary passes:\n${stdout}`,
		);
	} finally {
		await fwcheck.stop();
	}

	t.diagnostic(`plain watch test: ${Date.now() - started} ms`);
});
