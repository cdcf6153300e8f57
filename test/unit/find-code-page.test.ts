// The console's code page when chcp does not say: the registry's OEM code page, from reg query.
// Recorded outputs (test/fixtures/port-owner/windows-bytes/README.md says where each is from);
// whatever the commands do, the answer is a code page, or none and a one-line note, never a
// crash and never a name decoded in the wrong code page.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import fc from 'fast-check';
import {findConsoleCodePage, parseRegOemCodePage, regQueryArgs} from '../../source/system/find-code-page.js';
import {findUdpPortOwners, type Runner} from '../../source/system/port-owner.js';

const bytes = (name: string): Uint8Array =>
	new Uint8Array(readFileSync(new URL(`../fixtures/port-owner/windows-bytes/${name}`, import.meta.url)));

const text = (name: string): string => new TextDecoder().decode(bytes(name));

type Answer = Uint8Array | (() => never);

const missing = (file: string): never => {
	throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
};

const timedOut = (): never => {
	throw Object.assign(new Error('timed out'), {timedOut: true});
};

const failed = (stderr: Uint8Array) => (): never => {
	throw Object.assign(new Error('failed'), {exitCode: 1, stdout: new Uint8Array(), stderr});
};

/** Answers each program with recorded bytes or a failure; a program with no answer is not installed. */
const runner = (answers: Record<string, Answer>): {run: Runner; calls: string[][]} => {
	const calls: string[][] = [];
	const run: Runner = async (file, args) => {
		calls.push([file, ...args]);
		const answer = answers[file];
		if (answer === undefined) {
			return missing(file);
		}

		return {stdout: typeof answer === 'function' ? answer() : answer};
	};

	return {run, calls};
};

const garbage = new Uint8Array([0xff, 0xfe, 0x00, 0x9f, 0x0d, 0x0a, 0x41, 0x3a, 0x20, 0x0d, 0x0a]);

test("reg query's OEMCP line is read; anything else is no answer", () => {
	assert.equal(parseRegOemCodePage(text('reg-oemcp-wine.txt')), 437);
	assert.equal(parseRegOemCodePage(text('reg-oemcp-it.txt')), 850);
	assert.equal(parseRegOemCodePage(text('reg-oemcp-ja.txt')), 932);
	assert.equal(parseRegOemCodePage(text('reg-no-value-wine.txt')), undefined);
	assert.equal(parseRegOemCodePage('    ACP    REG_SZ    1252'), undefined);
	assert.equal(parseRegOemCodePage('    OEMCP    REG_SZ    '), undefined);
	assert.equal(parseRegOemCodePage(''), undefined);
	fc.assert(
		fc.property(fc.string({maxLength: 300}), input => {
			const found = parseRegOemCodePage(input);
			assert.ok(found === undefined || (Number.isInteger(found) && found >= 100 && found <= 99_999));
		}),
	);
});

test('chcp answers: the registry is not asked', async () => {
	const {run, calls} = runner({chcp: bytes('chcp-ja.cp932.txt'), reg: bytes('reg-oemcp-it.txt')});
	const answer = await findConsoleCodePage(run, 3000);
	assert.equal(answer.codePage, 932);
	assert.deepEqual(calls, [['chcp']]);
});

test('chcp missing, failing, timing out, printing garbage or code page 0: the registry says', async () => {
	const chcpAnswers: Array<[string, Answer | undefined]> = [
		['missing', undefined],
		['exit 1', failed(new TextEncoder().encode('Parameter format not correct\r\n'))],
		['timeout', timedOut],
		['garbage', garbage],
		// Wine's chcp, its output a file.
		['code page 0', bytes('chcp-wine-to-file.txt')],
		// A number no decoder here knows is no answer either.
		['unknown code page', new TextEncoder().encode('Active code page: 12345\r\n')],
	];
	for (const [what, chcp] of chcpAnswers) {
		const {run, calls} = runner({...(chcp ? {chcp} : {}), reg: bytes('reg-oemcp-it.txt')});
		const answer = await findConsoleCodePage(run, 3000);
		assert.equal(answer.codePage, 850, what);
		assert.deepEqual(calls, [['chcp'], ['reg', ...regQueryArgs]], what);
	}
});

test('neither answers: no code page, and never a throw', async () => {
	const regAnswers: Answer[] = [timedOut, failed(bytes('reg-no-value-wine.txt')), garbage, () => missing('reg')];
	for (const reg of regAnswers) {
		const {run} = runner({chcp: garbage, reg});
		const answer = await findConsoleCodePage(run, 3000);
		assert.equal(answer.codePage, undefined);
		assert.equal(answer.runs.length, 2);
	}

	// A runner that throws anything at all (a string, null) still gives an answer.
	const odd: Runner = async () => {
		// eslint-disable-next-line @typescript-eslint/only-throw-error
		throw null;
	};

	assert.deepEqual((await findConsoleCodePage(odd, 3000)).codePage, undefined);
});

test('Italian Windows without chcp: the registry names the code page, and the owner reads right', async () => {
	const {run} = runner({
		reg: bytes('reg-oemcp-it.txt'),
		netstat: bytes('netstat-ano-it.cp850.txt'),
		tasklist: bytes('tasklist-it.cp850.csv'),
	});
	const report = (await findUdpPortOwners([9001], {platform: 'win32', run})).get(9001)!;
	assert.deepEqual(report.owner, {pid: 5588, name: 'CentralinoCittà.exe'});
	assert.equal(report.note, undefined);
});

test('Wine: chcp says 0, the registry says 437', async () => {
	const {run} = runner({
		chcp: bytes('chcp-wine-to-file.txt'),
		reg: bytes('reg-oemcp-wine.txt'),
		netstat: bytes('netstat-ano-en.cp437.txt'),
		tasklist: bytes('tasklist-en.cp437.csv'),
	});
	const report = (await findUdpPortOwners([9002], {platform: 'win32', run})).get(9002)!;
	assert.deepEqual(report.owner, {pid: 7312, name: 'Réunion-Phone.exe'});
});

test('no code page at all: a name outside ASCII is not guessed, and one line says why', async () => {
	for (const reg of [timedOut, garbage, () => missing('reg')] as Answer[]) {
		const {run} = runner({
			chcp: garbage,
			reg,
			netstat: bytes('netstat-ano-ja.cp932.txt'),
			tasklist: bytes('tasklist-ja.cp932.csv'),
		});
		const report = (await findUdpPortOwners([9004], {platform: 'win32', run})).get(9004)!;
		// The PID is ASCII and stays right; the name read as UTF-8 would be garbled.
		assert.deepEqual(report.owner, {pid: 8848, name: ''});
		assert.equal(report.note, "The owner's name could not be read: chcp and reg query gave no code page to decode it with.");
		assert.doesNotMatch(report.note ?? '', /\n/);
	}

	// An ASCII name needs no code page: it is kept.
	const {run} = runner({
		netstat: bytes('netstat-ano-en.cp437.txt'),
		tasklist: new TextEncoder().encode('"3CXPhoneSystem.exe","4120","Services","0","84,512 K"\r\n'),
	});
	const report = (await findUdpPortOwners([9000], {platform: 'win32', run})).get(9000)!;
	assert.deepEqual(report.owner, {pid: 4120, name: '3CXPhoneSystem.exe'});
	assert.equal(report.note, undefined);
});
