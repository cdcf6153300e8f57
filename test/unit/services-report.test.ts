// The SIP ALG, SIP port and TCP results in the reports: JSON fields as documented, plain and
// Markdown lines with each rewritten line sent vs received, the skip sentence, the checklists;
// and a report without these fields printed as before.
import {printable} from '../../source/words/format.js';
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {CheckReport} from '../../source/check/types.js';
import {allVerdicts, verdict} from '../../source/check/verdicts.js';
import {toJson} from '../../source/report/json.js';
import {toMarkdown} from '../../source/report/markdown.js';
import {createPlainReporter, formatSummary} from '../../source/report/plain.js';
import {serviceProblems} from '../../source/report/services-text.js';
import {verdictTableLines} from '../../scripts/verdict-table.js';
import {makeReport, portResult} from '../ui/fixtures.js';
import {algCheck, clean, rewrittenUdp, serviceEvents, sipServiceHeld, unavailable, withAlg} from '../ui/service-fixtures.js';
import {config} from '../ui/fixtures.js';

const ports = [portResult(9000, 'ok'), portResult(9001, 'ok')];
const failing = (overrides: Partial<CheckReport> = {}): CheckReport =>
	makeReport(ports, {...withAlg, status: 'fail', code: 'sip-alg', message: verdict('sip-alg').sentence, ...overrides});

interface JsonDocument {
	schema: number;
	sip: {udp: Record<string, unknown>; tcp: Record<string, unknown>};
	sipService: {udp: {statusLine: string}};
	tcp: Array<{port: number; status: string; process: unknown}>;
}

const serviceCodes = [
	'sip-alg',
	'sip-invite-dropped',
	'sip-no-answer',
	'sip-service-ok',
	'sip-service-silent',
	'sip-private-contact',
	'sip-reached-fwcheck',
	'sip-elsewhere',
	'tcp-ok',
	'tcp-elsewhere',
	'tcp-refused',
	'tcp-no-answer',
	'tcp-busy-reached',
	'services-unavailable',
] as const;

test('every service verdict has a sentence, a checklist and a row in the readme table', () => {
	const table = verdictTableLines().join('\n');
	for (const code of serviceCodes) {
		const entry = verdict(code);
		assert.equal(entry.code, code);
		assert.ok(entry.sentence.length > 20, code);
		assert.ok(entry.remediation({}).length > 0, code);
		assert.match(table, new RegExp(`\\| \`${code}\` \\|`));
	}

	assert.equal(new Set(allVerdicts().map(entry => entry.label)).size, allVerdicts().length, 'labels tell verdicts apart');
});

test('the sip-alg checklist says why and names where to turn it off', () => {
	const steps = verdict('sip-alg').remediation({}).join('\n');
	assert.match(steps, /already writes its public address/);
	for (const place of [
		'SIP Passthrough',
		'no ip nat service sip',
		'no inspect sip',
		'set sip-helper disable',
		'set security alg sip disable',
		'nf_conntrack_sip',
		'siproxd',
		'sys sip_alg 0',
		'Netgear',
	]) {
		assert.ok(steps.includes(place), place);
	}

	assert.match(verdict('sip-private-contact').remediation({publicIp: '203.0.113.7'}).join('\n'), /external.*203\.0\.113\.7/);
	assert.match(
		verdict('tcp-refused').remediation({ports: '5061', pbxAddress: '192.168.1.20'})[0]!,
		/TCP 5061 .*→ 192\.168\.1\.20/,
	);
	assert.match(verdict('tcp-elsewhere').remediation({}).join('\n'), /router may use the port itself/);
});

test('JSON: services, sip.udp/tcp with status, alg, rewritten first; sipService; tcp rows as documented', () => {
	const json = JSON.parse(toJson(failing())) as JsonDocument;
	const keys = Object.keys(json);
	assert.deepEqual(keys.slice(keys.indexOf('services'), keys.indexOf('services') + 5), [
		'services',
		'sip',
		'sipService',
		'tcp',
		'ports',
	]);
	assert.equal(json.schema, 1);
	assert.deepEqual(Object.keys(json.sip.udp).slice(0, 3), ['status', 'alg', 'rewritten']);
	assert.equal(json.sip.udp.alg, true);
	assert.equal(json.sip.tcp.alg, false);
	assert.deepEqual(json.sip.udp.rewritten, rewrittenUdp);
	assert.deepEqual(Object.keys(json.tcp[0]!).slice(0, 5), ['port', 'status', 'code', 'message', 'process']);
	assert.deepEqual(
		json.tcp.map((row: {port: number; status: string}) => [row.port, row.status]),
		[
			[5001, 'pass'],
			[5060, 'busy'],
			[5061, 'fail'],
			[5090, 'fail'],
		],
	);
	assert.deepEqual(json.tcp[1]!.process, {pid: 812, name: 'asterisk'});
	assert.equal(json.sipService.udp.statusLine, 'SIP/2.0 401 Unauthorized');

	const without = JSON.parse(toJson(makeReport(ports))) as Record<string, unknown>;
	for (const key of ['services', 'sip', 'sipService', 'tcp']) {
		assert.ok(!(key in without), `${key} absent when the engine did not run the checks`);
	}
});

test('plain: the ALG line, each rewritten line sent vs received, the SIP port, TCP rows, checklists', () => {
	const text = formatSummary(failing()).join('\n');
	assert.match(text, /^SIP ALG: UDP ✘ rewritten \(3 lines\), TCP ✔ untouched$/m);
	assert.match(
		text,
		/^ {2}UDP Contact\n {4}sent: {5}Contact: <sip:fwcheck@192\.168\.1\.20:5060>\n {4}received: Contact: <sip:fwcheck@203\.0\.113\.7:5060>$/m,
	);
	assert.match(text, /^SIP port 5060, held here by asterisk \(pid 812\):\n {2}UDP ✔ answers 401 "SIP\/2\.0 401 Unauthorized"/m);
	assert.match(text, /^ {2}5060 +● busy-reached +busy here, answered from outside \(held by asterisk \(pid 812\)\)$/m);
	assert.match(text, /^ {2}5061 +✘ tcp-refused +refused$/m);
	assert.match(text, /^What to do \(sip-alg, UDP\):\n {2}- Turn off the SIP ALG/m);
	assert.match(text, /^What to do \(tcp-refused, 5061\):/m);
	// The clean path: the same lines say so, and nothing to do.
	const calm = formatSummary(makeReport(ports, clean)).join('\n');
	assert.match(calm, /SIP ALG: UDP ✔ untouched, TCP ✔ untouched/);
	assert.match(calm, /TCP ports: 2\/2 ok/);
	assert.doesNotMatch(calm, /What to do/);
});

test('plain and Markdown: a server without the services gives one skip sentence and no checklist', () => {
	const text = formatSummary(makeReport(ports, unavailable)).join('\n');
	assert.match(text, /^SIP and TCP checks skipped: needs a server run with `fwcheck serve`$/m);
	assert.doesNotMatch(text, /SIP ALG:|What to do/);
	const markdown = toMarkdown(makeReport(ports, unavailable));
	assert.match(markdown, /- \*\*SIP and TCP checks:\*\* skipped: needs a server run with `fwcheck serve`/);
	assert.match(markdown, /## SIP ALG, SIP port and TCP\n\nSkipped: needs a server run/);
	assert.doesNotMatch(markdown, /### SIP ALG|What to do/);
	// No fields at all: the report reads as before this feature.
	const before = toMarkdown(makeReport(ports));
	assert.doesNotMatch(before, /SIP/);
	assert.doesNotMatch(formatSummary(makeReport(ports)).join('\n'), /SIP|TCP/);
});

test('Markdown: summary items, the sent/received table, the SIP port, TCP table, one checklist per problem', () => {
	const markdown = toMarkdown(failing());
	assert.match(markdown, /- \*\*SIP ALG:\*\* UDP ✘ rewritten \(3 lines\), TCP ✔ untouched/);
	assert.match(markdown, /- \*\*TCP 5001, 5060-5061, 5090:\*\* ✘ 1\/4 ok, 1 busy/);
	assert.match(markdown, /\| Line \| Sent \| Received by the server \|/);
	assert.match(markdown, /\| `c=` \| `c=IN IP4 192\.168\.1\.20` \| `c=IN IP4 203\.0\.113\.7` \|/);
	assert.match(markdown, /- INVITE: 1 send, answered `SIP\/2\.0 488 Not Acceptable Here`/);
	assert.match(markdown, /\| 5090 \| ✘ tcp-elsewhere \|/);
	// The sip-alg checklist comes once, in its section, not again as the check-level verdict.
	assert.equal(markdown.match(/Turn off the SIP ALG on the router/g)?.length, 1);
	assert.match(markdown, /### What to do: ✘ sip-alg \(UDP\)/);
});

test('text from the wire cannot break a table or reach the terminal as control characters', () => {
	const hostile = algCheck('udp', [{header: 'Via', sent: 'Via: a|b', received: 'Via: `x`\u001B]0;owned\u0007\r\nInjected: 1'}]);
	const markdown = toMarkdown(failing({sip: {udp: hostile, tcp: algCheck('tcp', [])}}));
	const row = markdown.split('\n').find(line => line.startsWith('| `Via`'))!;
	assert.ok(row, markdown);
	assert.match(row, /`Via: a\\\|b`/);
	assert.match(row, /`` Via: `x`.*Injected: 1 ``/);
	assert.ok(!markdown.includes('\u001B') && !markdown.includes('\u0007'));
	const plainText = formatSummary(failing({sip: {udp: hostile, tcp: algCheck('tcp', [])}})).join('\n');
	assert.ok(!plainText.includes('\u001B') && !plainText.includes('\u0007') && !plainText.includes('\r'));
	assert.equal(printable('a\u001B[31mb\u009Bc'), 'a�[31mb�c');
});

test('problems: each verdict once with where it was seen, what breaks calls before what informs', () => {
	const both = {...withAlg, sip: {udp: algCheck('udp', rewrittenUdp), tcp: algCheck('tcp', rewrittenUdp)}};
	assert.deepEqual(
		serviceProblems(both).map(problem => [problem.code, problem.where]),
		[
			['sip-alg', 'UDP and TCP'],
			['tcp-elsewhere', '5090'],
			['tcp-refused', '5061'],
			['tcp-busy-reached', '5060'],
		],
	);
	assert.deepEqual(serviceProblems(both).at(-1)!.process, {pid: 812, name: 'asterisk'});
	assert.deepEqual(serviceProblems(clean), []);
	assert.deepEqual(serviceProblems(unavailable), []);
});

test('plain progress: a line when the checks start, one with the results or the skip sentence', () => {
	const lines: string[] = [];
	const report = createPlainReporter(config([9000]), line => lines.push(line));
	for (const event of [...serviceEvents(withAlg), ...serviceEvents(unavailable)]) {
		report(event);
	}

	assert.deepEqual(lines, [
		"Checking SIP ALG (UDP, TCP), the SIP port 5060, TCP 5001, 5060-5061, 5090 with the server's own services ...",
		'  SIP ALG: UDP ✘ rewritten (3 lines), TCP ✔ untouched; SIP port 5060, held here by asterisk (pid 812): ✔ answers 401; TCP 5001, 5060-5061, 5090: ✘ 1/4 ok, 1 busy',
		"Checking SIP ALG (UDP, TCP), the SIP port 5060, TCP 5001, 5060-5061, 5090 with the server's own services ...",
		'  skipped: needs a server run with `fwcheck serve`',
	]);
});

test('a SIP port answered by another device: its own word, verdict and checklist', () => {
	const elsewhere = {
		...sipServiceHeld,
		held: false,
		process: null,
		udp: {...sipServiceHeld.udp, status: 'fail' as const, code: 'sip-elsewhere' as const, reachedThisHost: false},
	};
	const text = formatSummary(makeReport(ports, {...clean, sipService: elsewhere})).join('\n');
	assert.match(text, /^ {2}UDP ✘ answers 401, not this host "SIP\/2\.0 401 Unauthorized"$/m);
	assert.match(text, /^What to do \(sip-elsewhere, UDP\):\n {2}- Point the forward of UDP and TCP 5060 at 192\.168\.1\.20/m);
});

test('the skip reason reads as a clause after "skipped:"; offered services with nothing run print nothing', () => {
	const engineWords = {
		...unavailable,
		services: {offered: false, detail: 'These checks need a server run with `fwcheck serve`.'},
	};
	assert.match(
		formatSummary(makeReport(ports, engineWords)).join('\n'),
		/^SIP and TCP checks skipped: these checks need a server run with `fwcheck serve`$/m,
	);
	const lines: string[] = [];
	const progress = createPlainReporter(config([9000]), line => lines.push(line));
	progress({type: 'services-finished', services: withAlg.services!});
	assert.deepEqual(lines, [], 'no results, no line');
	const nothingRun = makeReport(ports, {services: withAlg.services});
	assert.doesNotMatch(toMarkdown(nothingRun), /SIP/);
	assert.doesNotMatch(formatSummary(nothingRun).join('\n'), /SIP|TCP/);
});
