// Busy-port owners on a Windows of any language: netstat and tasklist print in the console's code
// page (chcp says which), and the runner hands over their bytes as printed. The fixtures are
// those bytes (see test/fixtures/port-owner/windows-bytes/README.md).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import fc from 'fast-check';
import {decodeConsoleOutput, parseChcp} from '../../source/system/console-code-page.js';
import {findUdpPortOwners, type Runner} from '../../source/system/port-owner.js';
import {runCommand} from '../../source/system/run-command.js';

const bytes = (name: string): Uint8Array =>
	new Uint8Array(readFileSync(new URL(`../fixtures/port-owner/windows-bytes/${name}`, import.meta.url)));

const tasklistKey = (pid: number) => `tasklist /fi pid eq ${pid} /fo csv /nh`;

/** Answers each command with recorded bytes; a command with no answer is not installed. */
const byteRunner = (answers: Record<string, Uint8Array | (() => never)>): {run: Runner; calls: string[]} => {
	const calls: string[] = [];
	const run: Runner = async (file, args) => {
		const key = [file, ...args].join(' ');
		calls.push(key);
		const answer = answers[key] ?? answers[file];
		if (answer === undefined) {
			throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		}

		return {stdout: typeof answer === 'function' ? answer() : answer};
	};

	return {run, calls};
};

test('chcp: the number is read whatever the language', () => {
	assert.equal(parseChcp(decodeConsoleOutput(bytes('chcp-en.cp437.txt'), undefined)), 437);
	assert.equal(parseChcp(decodeConsoleOutput(bytes('chcp-it.cp850.txt'), undefined)), 850);
	assert.equal(parseChcp(decodeConsoleOutput(bytes('chcp-ja.cp932.txt'), undefined)), 932);
	assert.equal(parseChcp('Active code page: 65001.'), 65_001);
	assert.equal(parseChcp(''), undefined);
	assert.equal(parseChcp('chcp is not recognized'), undefined);
});

test('every code page a PBX console uses decodes its own letters', () => {
	const samples: Array<[number, number[], string]> = [
		[437, [0x82], 'é'],
		[850, [0x85], 'à'],
		[852, [0xa5], 'ą'],
		[1252, [0x80], '€'],
		[932, [0x93, 0x64], '電'],
		[936, [0xd6, 0xd0], '中'],
		[949, [0xc7, 0xd1], '한'],
		[950, [0xa4, 0xa4], '中'],
		[65_001, [0xe9, 0x9b, 0xbb], '電'],
	];
	for (const [codePage, input, expected] of samples) {
		assert.equal(decodeConsoleOutput(new Uint8Array(input), codePage), expected, `code page ${codePage}`);
	}

	// An unknown code page reads as UTF-8: ASCII stays right.
	assert.equal(decodeConsoleOutput(new TextEncoder().encode('UDP 0.0.0.0:9000 *:* 4'), 12_345), 'UDP 0.0.0.0:9000 *:* 4');
});

test('decoding never throws, whatever the bytes and code page', () => {
	fc.assert(
		fc.property(fc.uint8Array({maxLength: 200}), fc.option(fc.integer({min: 0, max: 70_000})), (input, codePage) => {
			assert.equal(typeof decodeConsoleOutput(input, codePage ?? undefined), 'string');
		}),
	);
});

test('English Windows (437): a name with é, IPv4 and IPv6 rows', async () => {
	const {run, calls} = byteRunner({
		chcp: bytes('chcp-en.cp437.txt'),
		netstat: bytes('netstat-ano-en.cp437.txt'),
		[tasklistKey(7312)]: bytes('tasklist-en.cp437.csv'),
		[tasklistKey(4120)]: new TextEncoder().encode('"3CXPhoneSystem.exe","4120","Services","0","84,512 K"\r\n'),
	});
	const reports = await findUdpPortOwners([9000, 9002, 1900], {platform: 'win32', run});
	assert.equal(calls[0], 'chcp');
	assert.deepEqual(reports.get(9002)!.owner, {pid: 7312, name: 'Réunion-Phone.exe'});
	assert.deepEqual(reports.get(9000)!.owner, {pid: 4120, name: '3CXPhoneSystem.exe'});
	assert.deepEqual(reports.get(9000)!.excerpt.split('\n').slice(1, 3), [
		'  UDP    0.0.0.0:9000           *:*                                    4120',
		'  UDP    [::]:9000              *:*                                    4120',
	]);
	// A scoped link-local IPv6 row is a row like any other.
	assert.equal(reports.get(1900)!.owner?.pid, 3356);
});

test('Italian Windows (850): localised header kept, à decoded, "no tasks" line is no process', async () => {
	const {run} = byteRunner({
		chcp: bytes('chcp-it.cp850.txt'),
		netstat: bytes('netstat-ano-it.cp850.txt'),
		tasklist: bytes('tasklist-it.cp850.csv'),
	});
	const report = (await findUdpPortOwners([9001], {platform: 'win32', run})).get(9001)!;
	assert.deepEqual(report.owner, {pid: 5588, name: 'CentralinoCittà.exe'});
	assert.match(report.excerpt, /^ {2}Proto {2}Indirizzo locale/);
	assert.equal(report.note, undefined);

	const gone = byteRunner({
		chcp: bytes('chcp-it.cp850.txt'),
		netstat: bytes('netstat-ano-it.cp850.txt'),
		tasklist: bytes('tasklist-none-it.cp850.txt'),
	});
	const goneReport = (await findUdpPortOwners([9001], {platform: 'win32', run: gone.run})).get(9001)!;
	assert.deepEqual(goneReport.owner, {pid: 5588, name: ''});
	assert.match(goneReport.excerpt, /nessuna attività in esecuzione/);
	assert.match(goneReport.note ?? '', /^The owner's name could not be found: tasklist printed no line for this PID\.$/);
});

test('Japanese Windows (932): Japanese header and process name, IPv6 row', async () => {
	const {run} = byteRunner({
		chcp: bytes('chcp-ja.cp932.txt'),
		netstat: bytes('netstat-ano-ja.cp932.txt'),
		tasklist: bytes('tasklist-ja.cp932.csv'),
	});
	const reports = await findUdpPortOwners([9004, 9000], {platform: 'win32', run});
	assert.deepEqual(reports.get(9004)!.owner, {pid: 8848, name: '電話交換機サービス.exe'});
	assert.match(reports.get(9004)!.excerpt, /^ {2}プロトコル {2}ローカル アドレス/);
	assert.match(reports.get(9000)!.excerpt, /\[::\]:9000/);

	// The same bytes read as UTF-8 (no chcp) garble the name: the decoding is what names it.
	const noChcp = byteRunner({netstat: bytes('netstat-ano-ja.cp932.txt'), tasklist: bytes('tasklist-ja.cp932.csv')});
	const garbled = (await findUdpPortOwners([9004], {platform: 'win32', run: noChcp.run})).get(9004)!;
	assert.equal(garbled.owner?.pid, 8848);
	assert.notEqual(garbled.owner?.name, '電話交換機サービス.exe');
});

test('Wine netstat (no PID column): no owner, and one line saying why', async () => {
	const {run} = byteRunner({chcp: bytes('chcp-en.cp437.txt'), netstat: bytes('netstat-ano-wine.txt')});
	const reports = await findUdpPortOwners([9000, 9500], {platform: 'win32', run});
	assert.equal(reports.get(9000)!.owner, null);
	assert.equal(
		reports.get(9000)!.note,
		"The owner could not be found: netstat -ano lists this port without a PID column (as Wine's netstat does).",
	);
	// A port netstat does not list at all gets no such claim.
	assert.equal(reports.get(9500)!.note, undefined);
});

test('netstat missing, timing out or printing garbage: one line, never a wrong owner', async () => {
	const missing = byteRunner({});
	const missingReport = (await findUdpPortOwners([9000], {platform: 'win32', run: missing.run})).get(9000)!;
	assert.equal(missingReport.owner, null);
	assert.equal(missingReport.note, 'The owner could not be found: netstat is not installed (not found on PATH).');

	const slow = byteRunner({
		netstat() {
			throw Object.assign(new Error('timed out'), {timedOut: true});
		},
	});
	const slowReport = (await findUdpPortOwners([9000], {platform: 'win32', run: slow.run})).get(9000)!;
	assert.equal(slowReport.note, 'The owner could not be found: netstat timed out after 3000 ms.');

	const garbage = byteRunner({netstat: new Uint8Array([0xff, 0xfe, 0x00, 0x39, 0x30, 0x30, 0x30, 0x0d, 0x0a])});
	const garbageReport = (await findUdpPortOwners([9000], {platform: 'win32', run: garbage.run})).get(9000)!;
	assert.equal(garbageReport.owner, null);
	assert.equal(garbageReport.note, 'The owner could not be found: netstat -ano printed no socket line fwcheck could read.');

	const empty = byteRunner({netstat: new Uint8Array()});
	const emptyReport = (await findUdpPortOwners([9000], {platform: 'win32', run: empty.run})).get(9000)!;
	assert.equal(emptyReport.owner, null);
	assert.equal(emptyReport.note, 'The owner could not be found: netstat -ano printed no socket line fwcheck could read.');
});

test('tasklist missing, timing out or printing garbage: the PID stays, no name is made up, one line says why', async () => {
	const cases: Array<[string, Uint8Array | (() => never) | undefined, string]> = [
		['missing', undefined, "The owner's name could not be found: tasklist is not installed (not found on PATH)."],
		[
			'timeout',
			() => {
				throw Object.assign(new Error('timed out'), {timedOut: true});
			},
			"The owner's name could not be found: tasklist timed out after 3000 ms.",
		],
		[
			'garbage',
			new Uint8Array([0x22, 0xff, 0x22, 0x2c, 0x22, 0x37, 0x33, 0x31, 0x32, 0x0d, 0x0a, 0x00, 0x81]),
			"The owner's name could not be found: tasklist printed no line for this PID.",
		],
	];
	for (const [what, tasklist, note] of cases) {
		const {run} = byteRunner({
			chcp: bytes('chcp-en.cp437.txt'),
			netstat: bytes('netstat-ano-en.cp437.txt'),
			...(tasklist === undefined ? {} : {tasklist}),
		});
		const report = (await findUdpPortOwners([9002], {platform: 'win32', run})).get(9002)!;
		assert.deepEqual(report.owner, {pid: 7312, name: ''}, what);
		assert.equal(report.note, note, what);
	}
});

test('a failed run decodes its stderr in the code page too', async () => {
	const run: Runner = async () => {
		throw Object.assign(new Error('failed'), {
			exitCode: 1,
			stdout: new Uint8Array(),
			stderr: bytes('tasklist-none-ja.cp932.txt'),
		});
	};

	const result = await runCommand(run, 'tasklist', [], 1000, input => decodeConsoleOutput(input, 932));
	assert.equal(result.error, 'tasklist exited with code 1: 情報: 指定された条件に一致するタスクは実行されていません。');
});
