import assert from 'node:assert/strict';
import {test} from 'node:test';
import {verdict} from '../../source/check/verdicts.js';
import {toMarkdown} from '../../source/report/markdown.js';
import {makeReport, mixedCode, portResult, range} from './fixtures.js';

const officePorts = [5060, ...range(9000, 10999)];

test('a mixed result: verdict first, ranges, checklists per kind, pacing, details', () => {
	const report = makeReport(
		officePorts.map(port => portResult(port, mixedCode(port))),
		{
			pacing: {
				finalRate: 400,
				slowdowns: [{atMs: 1200, rate: 400, reason: 'replies stopped after a burst'}],
				confirmed: 32,
				flipped: 0,
			},
		},
	);
	const markdown = toMarkdown(report, {generatedAt: new Date(2026, 10, 22, 9, 5, 7)});
	const lines = markdown.split('\n');
	assert.equal(lines[0], '# fwcheck: UDP port forwarding report');
	assert.equal(lines[2], '**✘ some-failed: Some ports are forwarded 1:1 and others are not.**');
	assert.match(markdown, /^- \*\*Ports:\*\* 2001 UDP \(5060, 9000-10999\): 1894 ok, 105 failed, 2 busy$/m);
	assert.match(
		markdown,
		/^- \*\*STUN server:\*\* stun\.example\.net \(198\.51\.100\.10:3478, second address 198\.51\.100\.11:3479; Tests 1-3\)$/m,
	);
	assert.match(markdown, /^- \*\*Public address:\*\* 203\.0\.113\.7$/m);
	assert.match(markdown, /^- \*\*This host:\*\* 192\.168\.1\.20$/m);
	assert.match(markdown, /^- \*\*Generated:\*\* 2026-11-22 09:05:07/m);
	assert.doesNotMatch(markdown, /\n\n\n/);
	assert.match(markdown, /\| 9500-9599 \| 100 \| ✘ inbound-blocked \| Outbound works/);
	assert.match(markdown, /\| 9650 \| 1 \| ⇄ port-translated \|/);
	assert.match(
		markdown,
		/### ✘ inbound-blocked: 9500-9599\n\n1\. Add a static forward on the router: UDP 9500-9599 arriving on the WAN address → 192\.168\.1\.20/,
	);
	assert.match(
		markdown,
		/### ● busy: 5060, 9700\n\n- Port 5060: held by asterisk \(pid 812\)\. To see it yourself:\n\n {2}```\n {2}ss -uanp 'sport = :5060'\n {2}```/,
	);
	assert.match(markdown, /1\. The port is held by asterisk \(pid 812\)\. If that is the PBX/);
	assert.match(markdown, /### ✘ some-failed\n\n1\. Compare the forwarding rules/);
	assert.match(markdown, /## Pacing\n\nThe check slowed down to 400 packets\/s/);
	assert.match(markdown, /- At 1\.2 s: slowed to 400 packets\/s \(replies stopped after a burst\)\./);
	// 105 failed ports: one details row per range.
	assert.match(markdown, /105 ports failed: one row per range/);
	assert.match(
		markdown,
		/\| 9500-9599 \(e\.g\. 9500\) \| ✘ inbound-blocked \| pass, \d+(\.\d+)? ms \| no reply \(12 sends, 4210 ms, 2 passes\) \| skipped \| 203\.0\.113\.7:9500 \|/,
	);
});

test('2000 failed ports stay a short ticket', () => {
	const report = makeReport(range(9000, 10999).map(port => portResult(port, 'inbound-blocked')));
	const markdown = toMarkdown(report);
	assert.equal(report.code, 'inbound-blocked');
	assert.ok(markdown.split('\n').length < 80, `${markdown.split('\n').length} lines`);
	assert.match(markdown, /\| 9000-10999 \| 2000 \| ✘ inbound-blocked \|/);
	assert.match(markdown, /\| 9000-10999 \(e\.g\. 9000\) \|/);
	assert.doesNotMatch(markdown, /\| 9001 \|/);
});

test('a router that scrambles every other port is cut to 100 ranges', () => {
	const report = makeReport(range(9000, 10999).map(port => portResult(port, port % 2 ? 'ok' : 'outbound-blocked')));
	const markdown = toMarkdown(report);
	assert.match(markdown, /… and 900 more ranges: see the JSON report\./);
	assert.ok(markdown.split('\n').length < 320);
});

test('few failures get one details row per port; table cells are escaped', () => {
	const odd = portResult(9001, 'inbound-blocked', {notes: ['MAPPED | XOR differ']});
	const report = makeReport([portResult(9000, 'ok'), odd]);
	const markdown = toMarkdown(report);
	assert.match(markdown, /## Details of failed ports\n\n\| Ports \| Verdict \|/);
	assert.match(markdown, /\| 9001 \| ✘ inbound-blocked \| .* \| MAPPED \\\| XOR differ \|/);
});

test('a cancelled check and a check that could not run say so', () => {
	const cancelled = makeReport([portResult(9000, 'ok'), portResult(9001, 'skipped')], {
		status: 'cancelled',
		code: 'cancelled',
		message: verdict('cancelled').sentence,
	});
	assert.match(toMarkdown(cancelled), /cancelled after 1 of 2 ports/);
	assert.match(toMarkdown(cancelled), /- Run it again to check the remaining ports\./);

	const unreachable = makeReport([portResult(9000, 'skipped')], {
		status: 'error',
		code: 'stun-unreachable',
		message: verdict('stun-unreachable').sentence,
		server: null,
		publicAddress: null,
		serversTried: [{host: 'stun.example.net', port: 3478, code: 'stun-unreachable', detail: 'no answer to 7 requests in 9.5 s'}],
	});
	const markdown = toMarkdown(unreachable);
	assert.match(markdown, /\*\*✘ stun-unreachable: No configured STUN server answered/);
	assert.match(markdown, /### ✘ stun-unreachable\n\n1\. Check that this host can reach the internet over UDP at all\./);
	assert.match(markdown, /\| stun\.example\.net:3478 \| ✘ stun-unreachable \| no answer to 7 requests in 9\.5 s \|/);
	assert.match(markdown, /^- \*\*Public address:\*\* not found$/m);
});

test('all ok: no failure sections', () => {
	const markdown = toMarkdown(makeReport(range(9000, 9009).map(port => portResult(port, 'ok'))));
	assert.match(markdown, /\*\*✔ ok: Forwarded 1:1/);
	assert.doesNotMatch(markdown, /## Failed and busy ports|## What to do|## Details/);
});
