// `fwcheck merge`: reports from many PBXs read back from their --json text (any file, any
// version, never a crash), sorted worst first, and printed as text, Markdown, CSV or JSON.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {execa} from 'execa';
import type {CheckReport} from '../../source/check/types.js';
import {parseInvocation} from '../../source/cli/invocation.js';
import {fleetExitCode, readFleetReport, worstFirst, type FleetRow} from '../../source/fleet/fleet-row.js';
import {formatFleet} from '../../source/fleet/fleet-table.js';
import {readReportFiles} from '../../source/fleet/report-files.js';
import {toJson} from '../../source/report/json.js';
import {makeReport, portResult, range} from '../ui/fixtures.js';
import {withAlg} from '../ui/service-fixtures.js';

const origin = (host: string) => ({fwcheckVersion: '0.1.0', host, checkedAt: '2026-12-05T02:00:00+01:00'});

const forwarded = makeReport(
	range(10_000, 10_003).map(port => portResult(port, 'ok')),
	{origin: origin('pbx-forwarded'), path: {verdict: 'edge', hops: [], evidence: []}},
);
const blocked = makeReport(
	[
		portResult(5060, 'port-in-use'),
		...range(10_000, 10_002).map(port => portResult(port, 'inbound-blocked')),
		portResult(10_003, 'ok'),
		portResult(10_004, 'port-translated'),
	],
	{
		origin: origin('pbx-masquerade'),
		status: 'fail',
		code: 'some-failed',
		path: {verdict: 'double-nat', hops: [], evidence: []},
		...withAlg,
	},
);

const row = (report: CheckReport, file = 'x.json'): FleetRow => {
	const read = readFleetReport(toJson(report), file);
	assert.ok(read.ok, read.ok ? '' : read.problem);
	return read.row;
};

test("a report's row: host, address, status, failing ranges by verdict, path, SIP ALG, checked at", () => {
	const failed = row(blocked, 'b.json');
	assert.equal(failed.host, 'pbx-masquerade');
	assert.equal(failed.publicAddress, blocked.publicAddress);
	assert.deepEqual([failed.status, failed.code, failed.path, failed.sipAlg], ['fail', 'some-failed', 'double-nat', true]);
	assert.deepEqual(
		failed.failing.map(({from, to, value}) => [from, to, value]),
		[
			[5060, 5060, 'port-in-use'],
			[10_000, 10_002, 'inbound-blocked'],
			[10_004, 10_004, 'port-translated'],
		],
	);
	assert.deepEqual([failed.failingPorts, failed.ports, failed.checkedAt], [5, 6, '2026-12-05T02:00:00+01:00']);
	assert.equal(failed.hostFirewall, null);
	const passed = row(forwarded);
	assert.deepEqual([passed.failing, passed.sipAlg, passed.path], [[], null, 'edge']);
});

test('a report from before origins were written has no host: the table names its file', () => {
	const old = row(makeReport([portResult(9000, 'ok')]), 'customers/rossi.json');
	assert.equal(old.host, null);
	assert.match(formatFleet([old], 'text').join('\n'), /customers\/rossi\.json/);
});

test('what is not a report, or of another schema, is one line of why, never a throw', () => {
	const problem = (text: string) => {
		const read = readFleetReport(text, 'f');
		assert.ok(!read.ok);
		return read.problem;
	};

	assert.equal(problem('{"schema": 1, "status"'), 'not JSON');
	assert.equal(problem('[]'), 'not an fwcheck report');
	assert.equal(problem('{"name": "fwcheck"}'), 'not an fwcheck report');
	assert.equal(problem('{"schema": 2, "ports": []}'), 'schema 2 is not one this fwcheck reads (1)');
	assert.equal(problem('{"schema": 1, "ports": [], "status": "great"}'), 'not an fwcheck report (no status)');
	fc.assert(
		fc.property(fc.json(), text => {
			readFleetReport(text, 'f');
		}),
		{numRuns: 300},
	);
	fc.assert(
		fc.property(fc.anything(), fc.anything(), (ports, sip) => {
			readFleetReport(
				JSON.stringify({schema: 1, status: 'fail', ports: [ports, {port: 1, status: 'fail'}], sip, path: ports}),
				'f',
			);
		}),
		{numRuns: 300},
	);
});

test('worst first: failures, then errors, cancelled, passes; more failing ports first; exit 1 unless all passed', () => {
	const failedFew = row(makeReport([portResult(9000, 'inbound-blocked')], {origin: origin('c'), status: 'fail'}));
	const failedMany = row(blocked);
	const errored = row(makeReport([], {origin: origin('a'), status: 'error', code: 'stun-unreachable'}));
	const passed = row(forwarded);
	const sorted = worstFirst([passed, errored, failedFew, failedMany]);
	assert.deepEqual(
		sorted.map(each => each.host),
		['pbx-masquerade', 'c', 'a', 'pbx-forwarded'],
	);
	assert.equal(fleetExitCode(sorted), 1);
	assert.equal(fleetExitCode([passed]), 0);
	assert.equal(fleetExitCode([errored, passed]), 1);
});

test('the text table lines up its columns and leaves out the host firewall when no report has one', () => {
	const lines = formatFleet(worstFirst([row(forwarded), row(blocked)]), 'text');
	assert.match(lines[0]!, /^HOST +PUBLIC ADDRESS +STATUS +FAILING +PATH +SIP ALG +CHECKED AT$/);
	assert.equal(lines.length, 3);
	assert.match(
		lines[1]!,
		/^pbx-masquerade .*fail \(some-failed\) +5060 port-in-use; 10000-10002 inbound-blocked; 10004 port-translated +double-nat +yes /,
	);
	assert.equal(lines[1]!.indexOf('fail ('), lines[2]!.indexOf('pass ('));
});

test('a report with a host firewall adds its column; a table cell lists four ranges, CSV all of them', () => {
	const many = makeReport(
		range(0, 5).map(index => portResult(10_000 + index * 2, 'inbound-blocked')),
		{origin: origin('pbx-fw'), status: 'fail'},
	);
	const document = JSON.parse(toJson(many)) as Record<string, unknown>;
	document.hostFirewall = {
		checked: true,
		tool: 'ufw',
		note: '',
		ranges: [
			{protocol: 'udp', ports: '10000-10009', decision: 'allowed', rule: null, sources: []},
			{protocol: 'udp', ports: '10010', decision: 'blocked', rule: 'iptables: -P INPUT DROP', sources: []},
		],
	};
	const read = readFleetReport(JSON.stringify(document), 'fw.json');
	assert.ok(read.ok);
	assert.equal(read.row.hostFirewall, 'ufw blocks udp 10010');
	const text = formatFleet([read.row], 'text');
	assert.match(text[0]!, /HOST FIREWALL/);
	assert.match(text[1]!, /10006 inbound-blocked; \+ 2 more/);
	const csv = formatFleet([read.row], 'csv');
	assert.equal(csv[0], 'host,public address,status,failing,path,SIP ALG,host firewall,checked at');
	assert.match(csv[1]!, /10008 inbound-blocked; 10010 inbound-blocked,,,ufw blocks udp 10010,/);
});

test('the host firewall column: not read, allowing, or unknown for a range', () => {
	const base = JSON.parse(toJson(makeReport([portResult(9000, 'ok')], {origin: origin('pbx')}))) as Record<string, unknown>;
	const cell = (hostFirewall: unknown): string | null => {
		const read = readFleetReport(JSON.stringify({...base, hostFirewall}), 'x.json');
		assert.ok(read.ok);
		return read.row.hostFirewall;
	};
	assert.equal(cell({checked: false, tool: null, note: 'needs root', ranges: []}), 'not read');
	assert.equal(
		cell({checked: true, tool: 'nftables', ranges: [{protocol: 'udp', ports: '9000', decision: 'allowed'}]}),
		'nftables allows the checked ports',
	);
	assert.equal(
		cell({checked: true, tool: 'nftables', ranges: [{protocol: 'udp', ports: '9800', decision: 'unknown'}]}),
		'nftables unknown for udp 9800',
	);
	assert.equal(cell('garbage'), null);
});

test('Markdown escapes pipes, CSV quotes and defuses formulas, and no control character is printed', () => {
	const hostile = row(makeReport([], {origin: {...origin('=cmd|"x",\u001B[2J')}}));
	const [head, rule, line] = formatFleet([hostile], 'markdown');
	assert.equal(head, '| host | public address | status | failing | path | SIP ALG | checked at |');
	assert.equal(rule, '| --- | --- | --- | --- | --- | --- | --- |');
	assert.ok(line!.startsWith('| =cmd\\|"x",\uFFFD[2J |'), line);
	const csv = formatFleet([hostile], 'csv')[1]!;
	assert.ok(csv.startsWith('"\'=cmd|""x"",\uFFFD[2J",'), csv);
	assert.ok(!formatFleet([hostile], 'text').join('').includes('\u001B'));
});

test('the JSON output lists the rows with their failing ranges and the skipped files', () => {
	const document = JSON.parse(formatFleet([row(blocked)], 'json', [{file: 'n.json', problem: 'not JSON'}]).join('\n')) as {
		reports: Array<{host: string; failing: unknown[]}>;
		skipped: unknown[];
	};
	assert.equal(document.reports[0]!.host, 'pbx-masquerade');
	assert.deepEqual(document.reports[0]!.failing[0], {from: 5060, to: 5060, code: 'port-in-use'});
	assert.deepEqual(document.skipped, [{file: 'n.json', problem: 'not JSON'}]);
});

test('merge on the command line: files and one format; bad usage is one line', () => {
	assert.deepEqual(parseInvocation(['merge', 'a.json', 'b.json', '--csv']), {
		command: 'merge',
		files: ['a.json', 'b.json'],
		format: 'csv',
	});
	assert.deepEqual(parseInvocation(['merge', 'a.json']), {command: 'merge', files: ['a.json'], format: 'text'});
	assert.throws(() => parseInvocation(['merge']), /merge needs report files/);
	assert.throws(() => parseInvocation(['merge', 'a', '--csv', '--json']), /choose one of --json, --csv/);
	assert.throws(() => parseInvocation(['merge', 'a', '--stun', '127.0.0.1']), /unknown option --stun for merge/);
});

test('fwcheck merge skips what it cannot read with one line each and exits 1 when a report failed', async () => {
	const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-merge-'));
	try {
		const files = ['forwarded.json', 'masquerade.json', 'notes.txt', 'future.json'].map(name => path.join(directory, name));
		await writeFile(files[0]!, toJson(forwarded));
		await writeFile(files[1]!, toJson(blocked));
		await writeFile(files[2]!, 'hello');
		await writeFile(files[3]!, '{"schema": 2, "ports": []}');
		const cli = path.resolve('source/cli.ts');
		const result = await execa('node', ['--import', 'tsx', cli, 'merge', ...files, path.join(directory, 'gone.json')], {
			reject: false,
		});
		assert.equal(result.exitCode, 1, result.stderr);
		assert.deepEqual(result.stderr.split('\n'), [
			`fwcheck: skipped ${files[2]}: not JSON`,
			`fwcheck: skipped ${files[3]}: schema 2 is not one this fwcheck reads (1)`,
			`fwcheck: skipped ${path.join(directory, 'gone.json')}: no such file`,
		]);
		const lines = result.stdout.split('\n');
		assert.deepEqual(
			lines.map(line => line.split(' ')[0]),
			['HOST', 'pbx-masquerade', 'pbx-forwarded'],
		);
		const none = await execa('node', ['--import', 'tsx', cli, 'merge', files[2]!], {reject: false});
		assert.equal(none.exitCode, 3);
		assert.match(none.stderr, /no report to merge$/);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});

test("report files: rows in the order given, a report bigger than a reader's buffer whole, errors named", async () => {
	const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-merge-'));
	try {
		// 2000 ports are about 2 MB: several times a reader's first buffer, so it must grow.
		const big = makeReport(
			range(10_000, 11_999).map(port => portResult(port, port === 11_999 ? 'inbound-blocked' : 'ok')),
			{origin: origin('pbx-big'), status: 'fail', code: 'some-failed'},
		);
		const names = Array.from({length: 40}, (_, index) => path.join(directory, `pbx-${index}.json`));
		for (const [index, file] of names.entries()) {
			await writeFile(file, toJson(index === 7 ? big : forwarded));
		}

		const files = [...names.slice(0, 20), directory, path.join(directory, 'gone.json'), ...names.slice(20)];
		const {rows, skipped} = await readReportFiles(files);
		assert.deepEqual(
			rows.map(row => row.file),
			names,
		);
		assert.deepEqual(rows[7], row(big, names[7]));
		assert.equal(rows[7].ports, 2000);
		assert.deepEqual(rows[7].failing, [{from: 11_999, to: 11_999, value: 'inbound-blocked'}]);
		assert.deepEqual(skipped, [
			{file: directory, problem: 'cannot read it (EISDIR)', reason: {kind: 'cannot-read', code: 'EISDIR'}},
			{file: path.join(directory, 'gone.json'), problem: 'no such file', reason: {kind: 'no-such-file'}},
		]);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});
