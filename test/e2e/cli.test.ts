// The built CLI as a user runs it, without a terminal: flags, errors, plain and JSON output,
// and Ctrl+C. The far end is fwcheck's own STUN server on loopback (no root needed).
import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, closeSync, mkdtempSync, openSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';
import type {StunServer} from '../../source/server/index.js';
import {ALTERNATE, PRIMARY, startOnFreePorts} from '../interop/support.js';
import type {ReportJson} from '../../source/report/json.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let server: StunServer;
let stun: string;

before(async () => {
	server = await startOnFreePorts({primary: PRIMARY, alternate: ALTERNATE, log: () => undefined});
	stun = `${PRIMARY}:${server.addresses[0]!.port}`;
});

after(async () => {
	await server?.close();
	rmSync(process.env.FWCHECK_STATE_DIR!, {recursive: true, force: true});
});

// Each test run gets its own check history: an earlier run's ports must not read as recently used.
process.env.FWCHECK_STATE_DIR = mkdtempSync(path.join(tmpdir(), 'fwcheck-state-'));

const run = async (args: string[]) => execa('node', [cli, ...args], {reject: false, timeout: 60_000, stdin: 'ignore'});

test('usage errors: one line on stderr, exit 2, no stack trace', async () => {
	for (const args of [
		['--ports', '9000-x'],
		['--ports', '70000'],
		['--bogus'],
		['--stun', 'host:notaport'],
		['--rate', 'abc'],
		['--bind', 'nowhere'],
		['serve'],
		['serve', '--ports', '9000'],
		['frobnicate'],
		['--demo', '--ports', 'x'],
		['--demo', '--stun', '127.0.0.1'],
		['-x'],
		['--primary', '198.51.100.7'],
		['serve', '--primary', '127.0.0.1', '-p9000'],
		['--ports'],
		['--faults'],
		['--faults', '--stun', '127.0.0.1'],
		['--bind', '192.0.2.77', '--stun', '127.0.0.1'],
		['--demo', '--bind', '192.0.2.77'],
		['serve', '--primary', '127.0.0.1', '--alternate', '127.0.0.1'],
		['serve', '--primary', '192.0.2.77', '--alternate', '192.0.2.78'],
		['serve', '--primary', '127.0.0.1', '--connect-back'],
		['serve', '--primary', '127.0.0.1', '--control-port', '4000'],
		['serve', '--primary', '127.0.0.1', '--sip-port', 'x'],
		['serve', '--primary', '127.0.0.1', '--no-sip-echo', '--sip-port', '5070'],
		['serve', '--primary', '127.0.0.1', '--alternate', '127.0.0.2', '--port', '41000', '--sip-port', '41000'],
		['serve', '--primary', '127.0.0.1', '--port', '65535'],
		// Every case that could run a check names a loopback server, so that a build without the
		// check being tested cannot reach a public one (port 9: nothing listens there).
		['--stun', '127.0.0.1:9', '--ports', '9000', '--ports', '9001'],
		['--stun', '127.0.0.1:9', '--no-ports'],
		['--stun', '127.0.0.1:9', '--no-tcp'],
		['--stun', '127.0.0.1:9', '--no-bind'],
		['--stun', '127.0.0.1:9', '--no-public-ip'],
		['--stun', '127.0.0.1:9', '--rate'],
		['--stun', '127.0.0.1:9', '--window', '1.5'],
		['--stun', '127.0.0.1:9', '--bind', '::1'],
		['--stun', '127.0.0.1:9', '--watch', 'abc'],
		['--stun', '127.0.0.1:9', '--watch', '0'],
		['--stun', '127.0.0.1:9', '--no-watch'],
		['--no-stun'],
	]) {
		const result = await run(args);
		assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.equal(result.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${result.stderr}`);
		assert.match(result.stderr, /^fwcheck: /);
		assert.doesNotMatch(result.stderr, /\n\s+at /);
	}
});

test('a usage error names the flag and the value', async () => {
	for (const [args, said] of [
		[['serve', '--primary', '127.0.0.1', '--port', '65535'], /alternate port would be 65536.*--alt-port/],
		[['--stun', '127.0.0.1:9', '--ports', '9000', '--ports', '9001'], /--ports is given more than once \(9000, then 9001\)/],
		[['--stun', '127.0.0.1:9', '--no-bind'], /--no-bind: --bind takes a value/],
		[['--stun', '127.0.0.1:9', '--window', '1.5'], /--window takes a whole number of 1 or more, not 1\.5/],
		[['--stun', '127.0.0.1:9', '--bind', '::1'], /--bind ::1 is IPv6 but the server 127\.0\.0\.1 is IPv4/],
		[['--stun', '127.0.0.1:9', '--watch', '1.5'], /--watch takes whole seconds from 1 to 3600, not "1\.5"/],
	] as const) {
		const {stderr} = await run([...args]);
		assert.match(stderr, said, args.join(' '));
	}
});

test('--stun without a value: exit 2, in a namespace with no network in case it ever falls back', async t => {
	// Run where nothing but a down loopback exists: a build that fell back to the public
	// servers would fail to resolve them there, not reach them.
	if (process.getuid?.() !== 0 || (await execa('unshare', ['-n', 'true'], {reject: false})).exitCode !== 0) {
		t.skip('needs root and unshare -n');
		return;
	}

	for (const args of [['--stun'], ['-s'], ['--stun='], ['--stun', '--no-router'], ['--stun', '127.0.0.1', '-s']]) {
		const result = await execa('unshare', ['-n', 'node', cli, '--json', '--ports', '9000', ...args], {
			reject: false,
			timeout: 60_000,
			stdin: 'ignore',
		});
		assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
		assert.match(result.stderr, /^fwcheck: --stun needs a value \(see fwcheck --help\)\n?$/);
		assert.equal(result.stdout, '');
	}
});

test('--help after a command or other flags shows the help', async () => {
	for (const args of [
		['serve', '--help'],
		['serve', '--primary', '127.0.0.1', '--help'],
		['--ports', '9000', '--help'],
	]) {
		const {stdout, exitCode} = await run(args);
		assert.equal(exitCode, 0, args.join(' '));
		assert.match(stdout, /Usage\n\s+\$ fwcheck \[options\]/, args.join(' '));
		assert.match(stdout, /Serve options/);
	}
});

/** The built CLI with its stdout given as is (execa would stand between it and the reader); its exit code and stderr. */
const runTo = async (stdout: number | 'pipe', args: string[], onStart: (child: ChildProcess) => void = () => undefined) => {
	const child = spawn('node', [cli, ...args], {stdio: ['ignore', stdout, 'pipe'], timeout: 60_000});
	onStart(child);
	let stderr = '';
	child.stderr!.setEncoding('utf8').on('data', (text: string) => {
		stderr += text;
	});
	const [code] = (await once(child, 'close')) as [number | null];
	return {code, stderr};
};

test('a report that cannot be written: one line, exit 3, no stack trace', async t => {
	const full = openSync('/dev/full', 'w');
	t.after(() => {
		closeSync(full);
	});
	const onFullDisk = await runTo(full, ['--stun', stun, '--ports', '20600-20609', '--json']);
	assert.equal(onFullDisk.code, 3, onFullDisk.stderr);
	assert.equal(onFullDisk.stderr, 'fwcheck: could not write the report: ENOSPC: no space left on device, write\n');

	// The reader goes away before the report, as `fwcheck --json | head -c 10` does once head has read.
	const readerGone = await runTo('pipe', ['--stun', stun, '--ports', '20610-20619', '--json'], child => {
		child.stdout!.destroy();
	});
	assert.equal(readerGone.code, 3, readerGone.stderr);
	assert.equal(readerGone.stderr, 'fwcheck: could not write the report: the reader closed the output (EPIPE)\n');
});

test('SIGTERM and SIGHUP cancel like Ctrl+C: partial report, exit 130', async () => {
	for (const [index, signal] of (['SIGTERM', 'SIGHUP'] as const).entries()) {
		const before = server.stats().answered;
		const from = 22_000 + index * 1000;
		const child = execa('node', [cli, '--stun', stun, '--ports', `${from}-${from + 299}`, '--rate', '100', '--json'], {
			reject: false,
			timeout: 60_000,
			stdin: 'ignore',
		});
		for (let waited = 0; server.stats().answered - before < 60 && waited < 200; waited++) {
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}

		child.kill(signal);
		const result = await child;
		assert.equal(result.exitCode, 130, `${signal}: ${result.stderr}`);
		const report = JSON.parse(result.stdout) as ReportJson;
		assert.equal(report.status, 'cancelled', signal);
		assert.ok(report.ports.some(port => port.status === 'pass') && report.ports.some(port => port.status === 'skipped'), signal);
	}
});

test('every spelling meow accepts works: -p9000, --ports=9000, -p 9000, --no-tui', async () => {
	for (const spelling of [['-p20300'], ['--ports=20300'], ['-p', '20300'], ['--ports', '20300', '--no-tui']]) {
		const {stdout, exitCode} = await run(['--stun', stun, '--json', ...spelling]);
		assert.equal(exitCode, 0, spelling.join(' '));
		const report = JSON.parse(stdout) as ReportJson;
		assert.deepEqual(
			report.ports.map(result => result.port),
			[20_300],
			spelling.join(' '),
		);
	}
});

test('--help names every flag with an example', async () => {
	const {stdout, exitCode} = await run(['--help']);
	assert.equal(exitCode, 0);
	for (const flag of [
		'--ports',
		'--stun',
		'--bind',
		'--public-ip',
		'--rate',
		'--window',
		'--json',
		'--no-tui',
		'--demo',
		'--primary',
		'--alternate',
		'--port',
		'--alt-port',
		'--prometheus',
		'--watch [seconds]',
		'--no-bell',
		'--metrics',
		'fwcheck merge',
		'--markdown',
		'--csv',
	]) {
		assert.ok(stdout.includes(flag), `help lacks ${flag}`);
	}

	assert.match(stdout, /e\.g\. --ports 5060,9000-10999/);
});

test('without a terminal: plain progress lines and a summary, never the TUI', async () => {
	const {stdout, exitCode} = await run(['--stun', stun, '--ports', '20100-20149']);
	assert.equal(exitCode, 0, stdout);
	assert.match(stdout, /Using 127\.0\.0\.1: 127\.0\.0\.1:\d+, second address 127\.0\.0\.2:\d+/);
	assert.match(stdout, /50\/50 checked/);
	assert.match(stdout, /✔ ok: /);
	// A log pasted into a ticket says which ports were checked, at the start and in the summary.
	assert.match(stdout, /Checking 50 UDP ports \(20100-20149\) \.\.\./);
	assert.match(stdout, /Ports 20100-20149: 50 ok, 0 failed, 0 busy/);
	assert.ok(!stdout.includes('\u001B['), 'no terminal escape codes in plain output');
});

test('--json: one document with the documented fields', async () => {
	const {stdout, exitCode} = await run(['--stun', stun, '--ports', '20200-20209', '--json']);
	assert.equal(exitCode, 0);
	const report = JSON.parse(stdout) as ReportJson;
	const keys = Object.keys(report);
	// Whose report it is comes right after the schema: the command line stamps every report it prints.
	assert.deepEqual(keys.slice(0, 11), [
		'schema',
		'fwcheckVersion',
		'host',
		'checkedAt',
		'status',
		'code',
		'message',
		'notes',
		'server',
		'publicAddress',
		'durationMs',
	]);
	assert.match(report.checkedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/);
	// Then the checks only `fwcheck serve` offers, in this order, those the engine ran; then the ports.
	const between = keys.slice(11, keys.indexOf('ports'));
	assert.deepEqual(
		between,
		['services', 'sip', 'sipService', 'tcp'].filter(key => between.includes(key)),
	);
	assert.equal(report.schema, 1);
	assert.equal(report.server?.otherAddress?.startsWith('127.0.0.2:'), true);
	assert.equal(report.server?.responsePort, true, 'fwcheck serve honours RESPONSE-PORT');
	assert.deepEqual(report.notes, []);
	assert.deepEqual(Object.keys(report.ports[0]!).slice(0, 11), [
		'port',
		'protocol',
		'status',
		'reachability',
		'inbound',
		'unsolicited',
		'mapped',
		'code',
		'message',
		'process',
		'notes',
	]);
	assert.equal(report.ports.length, 10);
	assert.ok(report.ports.every(port => port.unsolicited === 'pass' && port.test3.from?.startsWith('127.0.0.2:')));
});

test('Ctrl+C cancels cleanly: partial report, skipped ports, exit 130', async () => {
	const before = server.stats().answered;
	const child = execa('node', [cli, '--stun', stun, '--ports', '21000-21999', '--rate', '100', '--json'], {
		reject: false,
		timeout: 60_000,
		stdin: 'ignore',
	});
	// Interrupt once the sweep is under way: after the server has answered some of its requests
	// (three a port: Test 3, Test 1, Test 2).
	for (let waited = 0; server.stats().answered - before < 60 && waited < 200; waited++) {
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	child.kill('SIGINT');
	const result = await child;
	assert.equal(result.exitCode, 130, result.stderr);
	const report = JSON.parse(result.stdout) as ReportJson;
	assert.equal(report.status, 'cancelled');
	assert.equal(report.code, 'cancelled');
	const checked = report.ports.filter(port => port.status === 'pass').length;
	const skipped = report.ports.filter(port => port.status === 'skipped').length;
	assert.ok(checked > 0 && skipped > 0, `checked ${checked}, skipped ${skipped}`);
	assert.equal(checked + skipped, 1000);
});

test('a busy port is named with its process and the others are still checked', async () => {
	const holder = execa('node', ['-e', "require('dgram').createSocket('udp4').bind(20305, () => console.log('ready'))"], {
		reject: false,
		timeout: 30_000,
	});
	await new Promise<void>(resolve => {
		holder.stdout?.once('data', () => {
			resolve();
		});
	});
	try {
		const {stdout, exitCode} = await run(['--stun', stun, '--ports', '20300-20309', '--json']);
		assert.equal(exitCode, 1);
		const report = JSON.parse(stdout) as ReportJson;
		// Nine ok and one busy: the headline says the port is busy, not that some are not forwarded.
		assert.equal(report.code, 'port-in-use');
		const busy = report.ports.find(port => port.port === 20_305);
		assert.equal(busy?.status, 'busy');
		assert.equal(busy?.code, 'port-in-use');
		assert.equal(busy?.process?.pid, holder.pid);
		assert.equal(report.ports.filter(port => port.code === 'ok').length, 9);
	} finally {
		holder.kill();
		await holder;
	}
});

test('as a user without root: ports below 1024 are reported as needing root, the others are checked', async t => {
	if (process.getuid?.() !== 0) {
		t.skip('running the CLI as user nobody needs root (setpriv)');
		return;
	}

	// Its own history, which nobody may write.
	const state = mkdtempSync(path.join(tmpdir(), 'fwcheck-nobody-'));
	chmodSync(state, 0o777);
	try {
		const {stdout, stderr, exitCode} = await execa(
			'setpriv',
			[
				'--reuid=65534',
				'--regid=65534',
				'--clear-groups',
				'node',
				cli,
				'--stun',
				stun,
				'--no-router',
				'--ports',
				'1020-1027',
				'--json',
			],
			{reject: false, timeout: 60_000, stdin: 'ignore', env: {FWCHECK_STATE_DIR: state}},
		);
		assert.equal(stderr, '', 'no error, no stack trace');
		assert.equal(exitCode, 1, 'not every port is ok: 1, as documented');
		const report = JSON.parse(stdout) as ReportJson;
		assert.equal(report.status, 'fail');
		assert.equal(report.code, 'port-not-permitted');
		const refused = report.ports.filter(port => port.code === 'port-not-permitted').map(port => port.port);
		assert.deepEqual(refused, [1020, 1021, 1022, 1023]);
		assert.ok(report.ports.filter(port => port.port < 1024).every(port => port.status === 'skipped'));
		assert.deepEqual(
			report.ports.filter(port => port.code === 'ok').map(port => port.port),
			[1024, 1025, 1026, 1027],
		);
	} finally {
		rmSync(state, {recursive: true, force: true});
	}
});

test('--demo runs the whole check against the built-in server and says it is a demo', async () => {
	const {stdout, exitCode} = await run(['--demo', '--ports', '20400-20419']);
	assert.equal(exitCode, 0, stdout);
	assert.match(stdout, /^Demo: /);
	assert.match(stdout, /not whether this network forwards ports/);
	assert.match(stdout, /Ports 20400-20419: 20 ok/);

	const json = await run(['--demo', '--json', '--ports', '20420-20424']);
	assert.equal(json.exitCode, 0, json.stderr);
	const report = JSON.parse(json.stdout) as ReportJson;
	assert.match(report.demo ?? '', /^Demo: /, 'the JSON says it is a demo too');
	assert.equal(Object.keys(report)[1], 'demo');
});

test('--demo --faults: a simulated faulty router, labelled in every output, exit 1', async () => {
	const json = await run(['--demo', '--faults', '--json', '--ports', '9000-9039']);
	assert.equal(json.exitCode, 1, json.stderr);
	const report = JSON.parse(json.stdout) as ReportJson;
	assert.match(report.simulation ?? '', /^SIMULATION/);
	assert.equal(Object.keys(report)[1], 'simulation', 'the label comes before the verdict');
	assert.ok(new Set(report.ports.map(result => result.code)).size >= 4, JSON.stringify(report.ports.map(result => result.code)));

	const plain = await run(['--demo', '--faults', '--ports', '9000-9019']);
	assert.equal(plain.exitCode, 1);
	assert.match(plain.stdout, /^SIMULATION/);
	assert.match(plain.stdout, /The simulated router:\n {2}9000-9008 forwarded 1:1/);
	assert.match(plain.stdout, /\nSIMULATION[^\n]*\n✘ some-failed/, 'the summary is labelled too');
});

/**
 * A node process holding UDP `port` on all addresses, as a PBX would; resolves once it is bound
 * (wrapped: awaiting the process itself would wait for it to end).
 */
const holdPort = async (port: number): Promise<{holder: ResultPromise}> => {
	const holder = execa('node', ['-e', `require('dgram').createSocket('udp4').bind(${port}, () => console.log('ready'))`], {
		reject: false,
		timeout: 60_000,
	});
	await new Promise<void>(resolve => {
		holder.stdout?.once('data', () => {
			resolve();
		});
	});
	return {holder};
};

/** Resolves with the output once `pattern` shows in it; rejects when the process ends first. */
const waitForOutput = async (stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> =>
	new Promise((resolve, reject) => {
		let text = '';
		const onData = (chunk: Buffer) => {
			text += chunk.toString();
			if (pattern.test(text)) {
				stream.off('data', onData);
				resolve(text);
			}
		};

		stream.on('data', onData);
		stream.once('end', () => {
			reject(new Error(`ended before ${String(pattern)}:\n${text}`));
		});
	});

test('--watch 1: a busy port the PBX lets go passes in the next round: "ok since", one bell, exit 0', async () => {
	const {holder} = await holdPort(20_405);
	const child = execa('node', [cli, '--stun', stun, '--ports', '20400-20409', '--watch', '1'], {
		reject: false,
		timeout: 60_000,
		stdin: 'ignore',
	});
	try {
		await waitForOutput(child.stdout, /^Round 1 at .*; 1 port still failing \(20405\)$/m);
	} finally {
		holder.kill();
		await holder;
	}

	const result = await child;
	assert.equal(result.exitCode, 0, result.stdout);
	assert.match(result.stdout, /^Watching 1 port that failed or were busy \(20405\): a round every 1 s/m);
	assert.match(result.stdout, /^Round \d at (\d\d:\d\d:\d\d): 20405 ok since \1; every watched port passes$/m);
	assert.equal(result.stdout.split('\u0007').length - 1, 1, 'one bell');
	assert.match(result.stdout, /Watch done: every watched port passes now \(\d rounds?\)\.\n[\s\S]*✔ ok: /);
});

test('--watch --json stopped by SIGTERM: the last complete result as the only document, round lines on stderr, exit 1', async () => {
	const {holder} = await holdPort(20_415);
	try {
		const child = execa('node', [cli, '--stun', stun, '--ports', '20410-20419', '--watch', '1', '--json'], {
			reject: false,
			timeout: 60_000,
			stdin: 'ignore',
		});
		await waitForOutput(child.stderr, /^Round 1 at /m);
		child.kill('SIGTERM');
		const result = await child;
		assert.equal(result.exitCode, 1, result.stderr);
		const report = JSON.parse(result.stdout) as ReportJson;
		assert.equal(report.status, 'fail');
		assert.equal(report.code, 'port-in-use');
		assert.equal(report.ports.length, 10);
		assert.equal(report.ports.filter(port => port.status === 'pass').length, 9);
		assert.match(result.stderr, /^Watch stopped: the last result stands \(\d+ rounds?\)\.$/m);
		assert.ok(!result.stdout.includes('\u0007'));
	} finally {
		holder.kill();
		await holder;
	}
});
