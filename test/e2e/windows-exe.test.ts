// dist/bin/fwcheck-win-x64.exe, the official node.exe with fwcheck injected, run under Wine as an
// admin would run it on a Windows PBX. Wine is not Windows: its stdio must be files (a pipe kills
// Node with EBADF), its netstat has no PID column, and its sockets come from a wineserver per
// prefix. Skipped without wine64 or the executable; required under CI=true.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {existsSync} from 'node:fs';
import {mkdtemp, open, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {after, before, test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {spawn} from 'node:child_process';
import {execa} from 'execa';
import type {ReportJson} from '../../source/report/json.js';
import type {StunServer} from '../../source/server/index.js';
import {Method, decodeMessage, encodeMessage, newTransactionId} from '../../source/stun/index.js';
import {PRIMARY, ALTERNATE, startOnFreePorts} from '../interop/support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const exe = join(root, 'dist/bin/fwcheck-win-x64.exe');
const wine = '/usr/lib/wine/wine64';
const wineserver = ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver'].find(file => existsSync(file)) ?? 'wineserver';
const session = `fwcheck-wine-${process.pid}`;

let work = '';
let missing = '';
let server: StunServer | undefined;

const environment = () => ({WINEPREFIX: join(work, 'prefix'), WINEDEBUG: '-all'});

/** Runs the executable under Wine, stdio through files; resolves with what it wrote and its exit code. */
const runExe = async (
	args: string[],
	timeoutMs = 60_000,
	signal?: AbortSignal,
): Promise<{exitCode: number | undefined; stdout: string; stderr: string}> => {
	const name = `run-${Math.random().toString(36).slice(2)}`;
	const [input, output, errors] = ['in', 'out', 'err'].map(end => join(work, `${name}.${end}`));
	await writeFile(input!, '');
	// Open file descriptors, handed over as they are: execa's {file} option would still pipe.
	const files = await Promise.all([open(input!, 'r'), open(output!, 'w'), open(errors!, 'w')]);
	try {
		// node's spawn, not execa: execa's types take no file descriptor but the standard three.
		const child = spawn(wine, [exe, ...args], {
			cwd: work,
			env: {...process.env, ...environment()},
			stdio: [files[0].fd, files[1].fd, files[2].fd],
			timeout: timeoutMs,
			...(signal ? {signal} : {}),
		});
		const exitCode = await new Promise<number | undefined>(resolve => {
			child.once('error', () => undefined);
			child.once('close', code => {
				resolve(code ?? undefined);
			});
		});
		return {exitCode, stdout: await readFile(output!, 'utf8'), stderr: await readFile(errors!, 'utf8')};
	} finally {
		await Promise.all(files.map(async file => file.close()));
	}
};

const skipUnlessReady = (t: TestContext): boolean => {
	if (missing === '') {
		return false;
	}

	if (process.env.CI === 'true') {
		assert.fail(missing);
	}

	t.skip(missing);
	return true;
};

before(async () => {
	if (!existsSync(wine)) {
		missing = 'wine64 is not installed (apt-get install wine64)';
		return;
	}

	if (!existsSync(exe)) {
		// Built as the readme says, when no earlier test (distribution) has built it.
		const built = await execa('npm', ['run', 'build:bin'], {cwd: root, reject: false, timeout: 300_000, stdin: 'ignore'});
		if (built.exitCode !== 0) {
			missing = `npm run build:bin failed: ${built.stderr.split('\n').find(line => line.trim() !== '') ?? ''}`;
			return;
		}
	}

	work = await mkdtemp(join(tmpdir(), 'fwcheck-wine-'));
	// Node 20 refuses Windows 7, Wine's default for a new prefix.
	const setUp = await execa(wine, ['reg', 'add', String.raw`HKCU\Software\Wine`, '/v', 'Version', '/d', 'win10', '/f'], {
		env: environment(),
		reject: false,
		timeout: 120_000,
		stdin: 'ignore',
	});
	assert.equal(setUp.exitCode, 0, setUp.stderr);
	server = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, log: () => undefined});
});

after(async () => {
	await execa('tmux', ['kill-session', '-t', session], {reject: false});
	await server?.close();
	if (work !== '') {
		// -w waits until the server has gone, so the prefix can be removed. Not on PATH: Debian
		// installs it beside wine64.
		await execa(wineserver, ['-k'], {env: environment(), reject: false, timeout: 20_000});
		await execa(wineserver, ['-w'], {env: environment(), reject: false, timeout: 20_000});
		await rm(work, {recursive: true, force: true, maxRetries: 5});
	}
});

test('--version', async t => {
	if (skipUnlessReady(t)) return;
	const result = await runExe(['--version']);
	assert.equal(result.exitCode, 0, result.stderr);
	const {version} = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {version: string};
	assert.equal(result.stdout.trim(), version);
});

test('--demo --json: every port ok', async t => {
	if (skipUnlessReady(t)) return;
	const result = await runExe(['--demo', '--json', '--ports', '9000-9009']);
	assert.equal(result.exitCode, 0, result.stderr);
	const report = JSON.parse(result.stdout) as ReportJson;
	assert.deepEqual(
		report.ports.map(port => [port.port, port.code]),
		Array.from({length: 10}, (_, index) => [9000 + index, 'ok']),
	);
});

test('--demo --faults exits 1', async t => {
	if (skipUnlessReady(t)) return;
	const result = await runExe(['--demo', '--faults', '--json', '--ports', '9000-9019']);
	assert.equal(result.exitCode, 1, result.stderr);
	assert.equal((JSON.parse(result.stdout) as ReportJson).status, 'fail');
});

test('a check against a loopback server: a port another process holds reads port-in-use, and why its owner is unknown', async t => {
	if (skipUnlessReady(t)) return;
	assert.ok(server);
	const holder = dgram.createSocket('udp4');
	await new Promise<void>(resolve => {
		holder.bind({address: '0.0.0.0', port: 0}, resolve);
	});
	const held = holder.address().port;
	try {
		const stun = `${PRIMARY}:${server.addresses[0]!.port}`;
		const result = await runExe(['--stun', stun, '--ports', `${held}`, '--json', '--no-router']);
		const report = JSON.parse(result.stdout) as ReportJson;
		const port = report.ports[0]!;
		assert.equal(port.code, 'port-in-use', result.stderr);
		assert.equal(result.exitCode, 1);
		// Wine's netstat prints no PID: no owner is made up, and the lookup says why.
		assert.equal(port.process ?? null, null);
		assert.match(port.owner?.note ?? '', /^The owner could not be found: /);
	} finally {
		holder.close();
	}
});

test('serve answers a Binding request', async t => {
	if (skipUnlessReady(t)) return;
	// A free port pair on loopback, found by binding and letting go.
	const probe = dgram.createSocket('udp4');
	await new Promise<void>(resolve => {
		probe.bind({address: '127.0.0.1', port: 0}, resolve);
	});
	const port = probe.address().port;
	probe.close();
	const stop = new AbortController();
	const serving = runExe(['serve', '--primary', '127.0.0.1', '--port', `${port}`, '--no-sip-echo'], 60_000, stop.signal);
	const client = dgram.createSocket('udp4');
	try {
		const transactionId = newTransactionId();
		const request = encodeMessage({method: Method.binding, messageClass: 'request', transactionId});
		const answer = await new Promise<Buffer>((resolve, reject) => {
			let tries = 0;
			const send = () => {
				tries++;
				if (tries > 40) {
					clearInterval(timer);
					reject(new Error('no answer after 40 requests'));
					return;
				}

				client.send(request, port, '127.0.0.1');
			};

			const timer = setInterval(send, 500);
			client.on('message', message => {
				clearInterval(timer);
				resolve(message);
			});
			send();
		});
		const decoded = decodeMessage(answer);
		assert.ok(decoded.ok, 'the answer decodes');
	} finally {
		client.close();
		stop.abort();
		await serving;
	}
});

test('the TUI in tmux at 80×24: table, Enter opens a drill-down, q closes it and quits', async t => {
	if (skipUnlessReady(t)) return;
	if ((await execa('tmux', ['-V'], {reject: false})).exitCode !== 0) {
		assert.fail('tmux is not installed');
	}

	const tmux = async (...args: string[]) => execa('tmux', args, {reject: false, timeout: 10_000});
	const waitFor = async (what: RegExp, limitMs = 30_000): Promise<string> => {
		let last = '';
		for (const started = Date.now(); Date.now() - started < limitMs;) {
			last = (await tmux('capture-pane', '-t', session, '-p')).stdout;
			if (what.test(last)) {
				return last;
			}

			await new Promise(resolve => {
				setTimeout(resolve, 200);
			});
		}

		assert.fail(`screen never showed ${what}:\n${last}`);
	};

	const {WINEPREFIX, WINEDEBUG} = environment();
	const command = `cd ${work} && WINEPREFIX=${WINEPREFIX} WINEDEBUG=${WINEDEBUG} ${wine} ${exe} --demo --ports 9000-9009; echo EXIT=$?; sleep 60`;
	const started = await tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
	assert.equal(started.exitCode, 0, started.stderr);
	// Wine 8's console counts the bytes of colour and bold sequences as cells, so a coloured row
	// wraps before the edge and pushes the header off the screen: the rows and the status line
	// are read. On Windows the symbols are ASCII (a Windows console may draw ✔ ● › ⏎ two wide).
	const table = await waitFor(/9009 .*pass[\s\S]*\[all \d+\/10\]/);
	assert.doesNotMatch(table, /[✔●›⏎]/);
	await tmux('send-keys', '-t', session, 'Enter');
	// Its title may be pushed off by the same wrapping: the first test section marks it.
	await waitFor(/Test 1 \| reachability[\s\S]*Test 2 \| 1:1 forwarding/);
	await tmux('send-keys', '-t', session, 'q');
	await waitFor(/\[all \d+\/10\]/);
	await tmux('send-keys', '-t', session, 'q');
	const end = await waitFor(/EXIT=\d+/);
	assert.match(end, /EXIT=0/);
});
