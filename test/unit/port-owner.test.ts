import {test} from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {
	findUdpPortOwners,
	parseLsofUdp,
	parseNetstatAno,
	parseSsUdp,
	parseTasklistCsv,
	type Runner,
} from '../../source/system/port-owner.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/port-owner/${name}`, import.meta.url), 'utf8');

// Windows fixtures are stored with CRLF; test both line endings whatever git does to them on checkout.
const toLf = (text: string): string => text.replaceAll('\r\n', '\n');
const toCrlf = (text: string): string => toLf(text).replaceAll('\n', '\r\n');

type Call = {file: string; args: string[]; timeoutMs: number};

/** A Runner replaying recorded outputs; a function value may throw, like execa does. */
const fakeRunner = (answers: Record<string, string | (() => string)>): {run: Runner; calls: Call[]} => {
	const calls: Call[] = [];
	const run: Runner = async (file, args, {timeoutMs}) => {
		calls.push({file, args, timeoutMs});
		const key = [file, ...args].join(' ');
		const answer = answers[key] ?? answers[file];
		if (answer === undefined) {
			throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		}

		return {stdout: typeof answer === 'function' ? answer() : answer};
	};

	return {run, calls};
};

const notInstalled = () => {
	throw Object.assign(new Error('Command failed with ENOENT: ss'), {code: 'ENOENT', stdout: '', stderr: ''});
};

// --- parsers -------------------------------------------------------------------------------

test('parseSsUdp reads every address form and takes the first of several processes', () => {
	assert.deepEqual(parseSsUdp(fixture('ss-uanp-pbx.txt')), [
		{localAddress: '127.0.0.53%lo', port: 53, pid: 512, name: 'systemd-resolve'},
		{localAddress: '0.0.0.0', port: 5060, pid: 812, name: 'asterisk'},
		{localAddress: '127.0.0.1', port: 9005, pid: 1200, name: 'rtpengine'},
		{localAddress: '0.0.0.0%lo', port: 9006, pid: 1300, name: 'baresip'},
		{localAddress: '[::]', port: 9007, pid: 812, name: 'asterisk'},
		{localAddress: '[::ffff:1.2.3.4]', port: 9008, pid: 4242, name: 'node'},
		{localAddress: '*', port: 9009, pid: 901, name: 'freeswitch'},
		{localAddress: '192.168.1.10', port: 9010, pid: 812, name: 'asterisk'},
		{localAddress: '[fe80::1]%eth0', port: 546, pid: 650, name: 'dhclient'},
		{localAddress: '0.0.0.0', port: 9011, pid: null, name: null},
	]);
});

test('parseSsUdp on real ss -uanp output (root): connected socket included, peer port never taken as local', () => {
	const rows = parseSsUdp(fixture('ss-uanp-real-root.txt'));
	assert.deepEqual(
		rows.map(row => [row.localAddress, row.port]),
		[
			['0.0.0.0', 9005],
			['127.0.0.1', 9006],
			['127.0.0.1', 9010],
			['*', 9007],
			['[::1]', 9008],
			['[::ffff:127.0.0.1]', 9009],
		],
	);
	assert.ok(rows.every(row => row.name === 'node' && row.pid === 4388));
});

test('parseSsUdp without root: sockets listed, no process', () => {
	const rows = parseSsUdp(fixture('ss-uanp-real-nonroot.txt'));
	assert.equal(rows.length, 6);
	assert.ok(rows.every(row => row.pid === null && row.name === null));
	assert.deepEqual(
		parseSsUdp(fixture('ss-uanp-nonroot.txt')).find(row => row.port === 9012),
		{
			localAddress: '0.0.0.0',
			port: 9012,
			pid: 7001,
			name: 'node',
		},
	);
});

test('parseLsofUdp reads lsof -nP +c 0 -iUDP, unescapes names, keeps the local side of a connected socket', () => {
	assert.deepEqual(parseLsofUdp(fixture('lsof-pbx.txt')), [
		{localAddress: '127.0.0.53', port: 53, pid: 512, name: 'systemd-resolve'},
		{localAddress: '*', port: 5060, pid: 812, name: 'asterisk'},
		{localAddress: '*', port: 9007, pid: 812, name: 'asterisk'},
		{localAddress: '192.168.1.10', port: 9010, pid: 812, name: 'asterisk'},
		{localAddress: '127.0.0.1', port: 9005, pid: 1200, name: 'rtpengine'},
		{localAddress: '127.0.0.1', port: 9013, pid: 3310, name: 'Web Content'},
		{localAddress: '[fe80::1]', port: 546, pid: 650, name: 'dhclient'},
	]);
	const real = parseLsofUdp(fixture('lsof-real.txt'));
	assert.deepEqual(
		real.map(row => row.port),
		[9005, 9006, 9007, 9008, 9009, 9010],
	);
	assert.ok(real.every(row => row.name === 'node'));
});

test('parseNetstatAno parses by shape, in English, German and Italian, with CRLF or LF', () => {
	for (const text of [toCrlf(fixture('netstat-ano-en.txt')), toLf(fixture('netstat-ano-en.txt'))]) {
		const rows = parseNetstatAno(text);
		assert.equal(rows.length, 14);
		assert.deepEqual(rows[0], {protocol: 'TCP', localAddress: '0.0.0.0', port: 135, pid: 1052});
		assert.deepEqual(
			rows.filter(row => row.protocol === 'UDP' && row.port >= 9500),
			[
				{protocol: 'UDP', localAddress: '0.0.0.0', port: 9500, pid: 4},
				{protocol: 'UDP', localAddress: '0.0.0.0', port: 9501, pid: 6120},
				{protocol: 'UDP', localAddress: '127.0.0.1', port: 9502, pid: 6120},
				{protocol: 'UDP', localAddress: '[::]', port: 9503, pid: 6120},
			],
		);
		assert.deepEqual(rows.at(-1), {protocol: 'UDP', localAddress: '[fe80::1c2d:3e4f:5a6b:7c8d%12]', port: 1900, pid: 3896});
	}

	const german = parseNetstatAno(toCrlf(fixture('netstat-ano-de.txt')));
	assert.equal(german.length, 7);
	// Localised, multi-word-ish and mis-decoded TCP states don't shift the PID column.
	assert.deepEqual(
		german.slice(0, 3).map(row => row.pid),
		[1040, 8812, 8812],
	);
	assert.deepEqual(
		german.filter(row => row.port === 9500).map(row => row.localAddress),
		['0.0.0.0', '[::]'],
	);

	const italian = parseNetstatAno(toCrlf(fixture('netstat-ano-it.txt')));
	assert.deepEqual(
		italian.filter(row => row.protocol === 'UDP').map(row => [row.port, row.pid]),
		[
			[10_000, 3340],
			[10_001, 3340],
			[10_002, 6644],
		],
	);
});

test('parseTasklistCsv reads quoted CSV and treats the localised "no tasks" notice as nothing', () => {
	assert.deepEqual(parseTasklistCsv(toCrlf(fixture('tasklist-system.csv'))), [{name: 'System', pid: 4}]);
	// The memory column holds a quoted comma.
	assert.deepEqual(parseTasklistCsv(fixture('tasklist-3cx.csv')), [{name: '3CXPhoneSystem.exe', pid: 6120}]);
	assert.deepEqual(parseTasklistCsv(fixture('tasklist-microsip-de.csv')), [{name: 'MicroSIP.exe', pid: 5124}]);
	assert.deepEqual(parseTasklistCsv('"Say ""hi"".exe","77","Console","1","1.000 K"'), [{name: 'Say "hi".exe', pid: 77}]);
	assert.deepEqual(parseTasklistCsv(fixture('tasklist-none-en.txt')), []);
	assert.deepEqual(parseTasklistCsv(fixture('tasklist-none-de.txt')), []);
	assert.deepEqual(parseTasklistCsv(''), []);
});

test('parsers never throw and only return valid ports', () => {
	fc.assert(
		fc.property(fc.string({unit: 'binary', maxLength: 300}), text => {
			for (const rows of [parseSsUdp(text), parseLsofUdp(text), parseNetstatAno(text)]) {
				assert.ok(rows.every(row => Number.isInteger(row.port) && row.port >= 0 && row.port <= 65_535));
			}

			parseTasklistCsv(text);
		}),
	);
});

test('parseSsUdp round-trips generated lines', () => {
	const address = fc.oneof(
		fc.ipV4(),
		fc.ipV6().map(ip => `[${ip}]`),
		fc.constantFrom('*', '0.0.0.0%lo', '[::]%eth0'),
	);
	const name = fc.stringMatching(/^[\w.\- ]{1,15}$/);
	fc.assert(
		fc.property(address, fc.integer({min: 0, max: 65_535}), fc.option(fc.tuple(name, fc.nat())), (local, port, user) => {
			const process = user ? `users:(("${user[0]}",pid=${user[1]},fd=3))` : '';
			const line = `UNCONN 0      0   ${local}:${port}   0.0.0.0:*   ${process}`;
			assert.deepEqual(parseSsUdp(line), [{localAddress: local, port, pid: user ? user[1] : null, name: user ? user[0] : null}]);
		}),
	);
});

// --- findUdpPortOwners on recorded outputs ------------------------------------------------

test('Linux: one ss run covers all ports; excerpt keeps the header; unknown owner suggests sudo', async () => {
	const {run, calls} = fakeRunner({ss: fixture('ss-uanp-pbx.txt')});
	const reports = await findUdpPortOwners([9005, 9010, 9011, 9020, 9005], {platform: 'linux', run, timeoutMs: 1234});
	assert.deepEqual(calls, [{file: 'ss', args: ['-uanp'], timeoutMs: 1234}]);
	assert.deepEqual([...reports.keys()], [9005, 9010, 9011, 9020]);

	const rtp = reports.get(9005)!;
	assert.deepEqual(rtp.owner, {pid: 1200, name: 'rtpengine'});
	assert.deepEqual(rtp.runs, [{command: ['ss', '-uanp'], output: fixture('ss-uanp-pbx.txt').trimEnd()}]);
	assert.equal(
		rtp.excerpt,
		'State  Recv-Q Send-Q                  Local Address:Port     Peer Address:Port Process\n' +
			'UNCONN 0      0                           127.0.0.1:9005          0.0.0.0:*     users:(("rtpengine",pid=1200,fd=41),("rtpengine",pid=1201,fd=41))',
	);
	assert.equal(rtp.userCommand, "ss -uanp 'sport = :9005'");

	// Connected (ESTAB) socket: found by its local port.
	assert.deepEqual(reports.get(9010)!.owner, {pid: 812, name: 'asterisk'});
	// Listed, but its process is hidden from us.
	assert.equal(reports.get(9011)!.owner, null);
	assert.match(reports.get(9011)!.excerpt, /0\.0\.0\.0:9011/);
	assert.equal(reports.get(9011)!.userCommand, "sudo ss -uanp 'sport = :9011'");
	// 9020 is only a peer port: nobody here holds it.
	assert.equal(reports.get(9020)!.owner, null);
	assert.equal(reports.get(9020)!.excerpt.split('\n').length, 1);
	assert.equal(reports.get(9020)!.userCommand, "ss -uanp 'sport = :9020'");
});

test('Linux: falls back to lsof when ss is missing', async () => {
	const {run, calls} = fakeRunner({ss: notInstalled, lsof: fixture('lsof-pbx.txt')});
	const report = (await findUdpPortOwners([9013], {platform: 'linux', run})).get(9013)!;
	assert.deepEqual(
		calls.map(call => [call.file, ...call.args]),
		[
			['ss', '-uanp'],
			['lsof', '-nP', '+c', '0', '-iUDP'],
		],
	);
	assert.deepEqual(report.owner, {pid: 3310, name: 'Web Content'});
	assert.equal(report.runs[0]!.error, 'ss is not installed (not found on PATH)');
	assert.equal(report.runs[1]!.error, undefined);
	assert.match(report.excerpt, /^COMMAND +PID[^\n]*\nWeb\\x20Content +3310 .*UDP 127\.0\.0\.1:9013$/);
	assert.equal(report.userCommand, 'lsof -nP +c 0 -iUDP:9013');
});

test('lsof output is used even when lsof exits non-zero (it does on mere warnings)', async () => {
	const run: Runner = async file => {
		if (file === 'ss') {
			throw Object.assign(new Error('Command timed out'), {timedOut: true, stdout: ''});
		}

		throw Object.assign(new Error('Command failed with exit code 1: lsof'), {
			exitCode: 1,
			stdout: fixture('lsof-pbx.txt'),
			stderr:
				"lsof: WARNING: can't stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs\n      Output information may be incomplete.\n",
		});
	};

	const report = (await findUdpPortOwners([5060], {platform: 'linux', run, timeoutMs: 50})).get(5060)!;
	assert.deepEqual(
		report.runs.map(each => each.error),
		[
			'ss timed out after 50 ms',
			"lsof exited with code 1: lsof: WARNING: can't stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs",
		],
	);
	assert.deepEqual(report.owner, {pid: 812, name: 'asterisk'});
});

test('macOS goes straight to lsof', async () => {
	const {run, calls} = fakeRunner({lsof: fixture('lsof-pbx.txt')});
	const report = (await findUdpPortOwners([5060], {platform: 'darwin', run})).get(5060)!;
	assert.deepEqual(
		calls.map(call => call.file),
		['lsof'],
	);
	assert.deepEqual(report.owner, {pid: 812, name: 'asterisk'});
});

test('nothing throws: every failure becomes an error string and owner null', async () => {
	for (const thrown of [new Error('boom\nsecond line'), 'a bare string', null, undefined, {stdout: 42}]) {
		const run: Runner = async () => {
			// eslint-disable-next-line @typescript-eslint/only-throw-error -- a runner may throw anything; that is what this tests
			throw thrown;
		};

		for (const platform of ['linux', 'win32', 'darwin'] as const) {
			const report = (await findUdpPortOwners([9005], {platform, run})).get(9005)!;
			assert.equal(report.owner, null);
			assert.ok(report.runs.length > 0);
			for (const each of report.runs) {
				assert.equal(typeof each.error, 'string');
				assert.ok(each.error!.length > 0 && !each.error!.includes('\n'), each.error);
				assert.equal(each.output, '');
			}
		}
	}

	const broken: Runner = async () => ({stdout: undefined as unknown as string});
	assert.equal((await findUdpPortOwners([1], {platform: 'linux', run: broken})).get(1)!.owner, null);
});

test('no ports: no command is run', async () => {
	const {run, calls} = fakeRunner({});
	assert.equal((await findUdpPortOwners([], {platform: 'linux', run})).size, 0);
	assert.equal(calls.length, 0);
});

test('the real runner reports a missing command in one line', async () => {
	const savedPath = process.env['PATH'];
	process.env['PATH'] = '/nonexistent';
	try {
		const report = (await findUdpPortOwners([9], {platform: 'linux'})).get(9)!;
		assert.deepEqual(
			report.runs.map(each => each.error),
			['ss is not installed (not found on PATH)', 'lsof is not installed (not found on PATH)'],
		);
		assert.equal(report.userCommand, "ss -uanp 'sport = :9'");
	} finally {
		process.env['PATH'] = savedPath;
	}
});

// --- Windows, on recorded outputs -----------------------------------------------------------

const tasklistKey = (pid: number) => `tasklist /fi pid eq ${pid} /fo csv /nh`;

test('Windows (English): netstat once, tasklist once per distinct PID, UDP only', async () => {
	const {run, calls} = fakeRunner({
		'netstat -ano': toCrlf(fixture('netstat-ano-en.txt')),
		[tasklistKey(4)]: toCrlf(fixture('tasklist-system.csv')),
		[tasklistKey(6120)]: toCrlf(fixture('tasklist-3cx.csv')),
	});
	const reports = await findUdpPortOwners([9500, 9501, 9502, 9503, 9600], {platform: 'win32', run});
	assert.deepEqual(
		calls.map(call => [call.file, ...call.args]),
		[
			// No chcp here, so the registry is asked for the code page.
			['chcp'],
			['reg', 'query', String.raw`HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage`, '/v', 'OEMCP'],
			['netstat', '-ano'],
			['tasklist', '/fi', 'pid eq 4', '/fo', 'csv', '/nh'],
			['tasklist', '/fi', 'pid eq 6120', '/fo', 'csv', '/nh'],
		],
	);

	// TCP 9500 belongs to PID 7788: irrelevant to a UDP bind.
	const system = reports.get(9500)!;
	assert.deepEqual(system.owner, {pid: 4, name: 'System'});
	assert.equal(
		system.excerpt,
		'  Proto  Local Address          Foreign Address        State           PID\n' +
			'  UDP    0.0.0.0:9500           *:*                                    4\n' +
			'"System","4","Services","0","152 K"',
	);
	assert.equal(system.userCommand, 'netstat -ano | findstr /I /C:":9500"\ntasklist /fi "pid eq 4"');
	assert.equal(system.runs.length, 2);
	assert.ok(!system.runs[0]!.output.includes('\r'), 'CRLF normalised');

	for (const port of [9501, 9502, 9503]) {
		assert.deepEqual(reports.get(port)!.owner, {pid: 6120, name: '3CXPhoneSystem.exe'});
	}

	// Shared runs, not copies.
	assert.equal(reports.get(9501)!.runs[1], reports.get(9503)!.runs[1]);

	const free = reports.get(9600)!;
	assert.equal(free.owner, null);
	assert.equal(free.runs.length, 1);
	assert.equal(free.excerpt, '  Proto  Local Address          Foreign Address        State           PID');
	assert.equal(free.userCommand, 'netstat -ano | findstr /I /C:":9600"');
});

test('Windows (German): localised header and states; IPv4 and IPv6 lines both in the excerpt', async () => {
	const {run, calls} = fakeRunner({
		netstat: toCrlf(fixture('netstat-ano-de.txt')),
		[tasklistKey(5124)]: toCrlf(fixture('tasklist-microsip-de.csv')),
	});
	const report = (await findUdpPortOwners([9500, 5060], {platform: 'win32', run})).get(9500)!;
	// chcp, reg (chcp is missing here), netstat, one tasklist.
	assert.equal(calls.length, 4);
	assert.deepEqual(report.owner, {pid: 5124, name: 'MicroSIP.exe'});
	assert.deepEqual(report.excerpt.split('\n'), [
		'  Proto  Lokale Adresse         Remoteadresse          Status           PID',
		'  UDP    0.0.0.0:9500           *:*                                    5124',
		'  UDP    [::]:9500              *:*                                    5124',
		'"MicroSIP.exe","5124","Console","1","23.456 K"',
	]);
});

test('Windows (Italian): PID known but the process is gone → owner with empty name', async () => {
	const {run} = fakeRunner({
		netstat: toCrlf(fixture('netstat-ano-it.txt')),
		tasklist: 'INFORMAZIONI: nessuna attività in esecuzione corrispondente ai criteri specificati.\r\n',
	});
	const report = (await findUdpPortOwners([10_000], {platform: 'win32', run})).get(10_000)!;
	assert.deepEqual(report.owner, {pid: 3340, name: ''});
	assert.match(report.excerpt, /^ {2}Proto {2}Indirizzo locale.*\n {2}UDP +0\.0\.0\.0:10000 .*3340\nINFORMAZIONI:/);
});

test('Windows: tasklist failure keeps the PID and records the error', async () => {
	const {run} = fakeRunner({
		netstat: fixture('netstat-ano-en.txt'),
		tasklist() {
			throw Object.assign(new Error('Command timed out after 3000 milliseconds'), {timedOut: true});
		},
	});
	const report = (await findUdpPortOwners([9500], {platform: 'win32', run})).get(9500)!;
	assert.deepEqual(report.owner, {pid: 4, name: ''});
	assert.equal(report.runs[1]!.error, 'tasklist timed out after 3000 ms');
});

test('Windows: at most 32 tasklist runs, at most 4 at a time', async () => {
	const ports = Array.from({length: 40}, (_, index) => 20_000 + index);
	const netstat = [
		'',
		'Active Connections',
		'',
		'  Proto  Local Address          Foreign Address        State           PID',
		...ports.map(port => `  UDP    0.0.0.0:${port}          *:*                                    ${port + 1}`),
	].join('\r\n');
	let running = 0;
	let peak = 0;
	const tasklistPids: number[] = [];
	const run: Runner = async (file, args) => {
		if (file === 'netstat') {
			return {stdout: netstat};
		}

		const pid = Number(/\d+/.exec(args[1]!)![0]);
		tasklistPids.push(pid);
		running++;
		peak = Math.max(peak, running);
		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
		running--;
		return {stdout: `"svc${pid}.exe","${pid}","Services","0","1,024 K"`};
	};

	const reports = await findUdpPortOwners(ports, {platform: 'win32', run});
	assert.equal(tasklistPids.length, 32);
	assert.ok(peak <= 4 && peak > 1, `peak concurrency ${peak}`);
	assert.deepEqual(reports.get(20_000)!.owner, {pid: 20_001, name: 'svc20001.exe'});
	assert.deepEqual(
		reports.get(20_031)!.runs.map(each => each.command[0]),
		['netstat', 'tasklist'],
	);
	// Past the cap: PID from netstat, no name, no tasklist run.
	assert.deepEqual(reports.get(20_039)!.owner, {pid: 20_040, name: ''});
	assert.equal(reports.get(20_039)!.runs.length, 1);
});

// --- the real thing ------------------------------------------------------------------------

test(
	'real ss on this machine names our own socket',
	{skip: process.platform === 'linux' ? false : 'needs Linux ss'},
	async () => {
		const socket = dgram.createSocket('udp4');
		await new Promise<void>(resolve => {
			socket.bind(0, '127.0.0.1', resolve);
		});
		const {port} = socket.address();
		try {
			const report = (await findUdpPortOwners([port])).get(port)!;
			assert.deepEqual(
				report.runs.map(each => each.command),
				[['ss', '-uanp']],
			);
			assert.equal(report.runs[0]!.error, undefined);
			assert.match(report.excerpt, new RegExp(`127\\.0\\.0\\.1:${port}\\b`));
			// ss shows our own processes even without root, but some hardened kernels hide them then:
			// without root, the owner is ours or nobody, never another process.
			if (process.getuid?.() === 0 || report.owner !== null) {
				assert.deepEqual(report.owner, {pid: process.pid, name: 'node'});
			}

			// Listed but not named: the command to see it yourself needs sudo.
			assert.equal(report.userCommand, `${report.owner === null ? 'sudo ' : ''}ss -uanp 'sport = :${port}'`);
		} finally {
			socket.close();
		}
	},
);
