// fwcheck against real STUN servers (coturn, stund, and our own `fwcheck serve`) through a real
// Linux NAT: every router scenario of the engine issue, with the verdict each must give, port by port.
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import type {PortJson, ReportJson} from '../../source/report/json.js';
import {noTest3Sentence} from '../../source/check/verdicts.js';
import {ADDR, HOSTS, setUpLab} from '../../lab/lab.js';
import type {Lab} from '../../lab/lab.js';

const lab = setUpLab();

before(async () => {
	const l = await lab.ready;
	if (!l) return;
	await l.startCoturn();
	await l.startStund();
	await l.startSingleCoturn();
	await l.startOwn();
});

interface Run {
	exitCode: number | undefined;
	report: ReportJson;
	stderr: string;
}

// The PBX's UDP sockets just before each check: a port that reads busy when the test holds none
// is shown with what held it before fwcheck started (another process) or not (fwcheck itself).
const socketsBefore = new WeakMap<ReportJson, string>();

const fwcheck = async (l: Lab, args: string[]): Promise<Run> => {
	const before = (await l.exec('pbx', 'ss', ['-uanp'], {reject: false})).stdout;
	// --no-sip: these are the UDP scenarios; the SIP checks (which fail when 5060 is not forwarded)
	// have their own file, test/lab/services.test.ts.
	const result = await l.runFwcheck(['--json', '--no-sip', ...args]);
	assert.equal(result.timedOut, false, `fwcheck timed out: ${args.join(' ')}`);
	assert.ok(result.json, `no JSON from fwcheck ${args.join(' ')}: ${result.jsonError ?? ''} ${result.stderr}`);
	const report = result.json as ReportJson;
	socketsBefore.set(report, before);
	return {exitCode: result.exitCode, report, stderr: result.stderr};
};

const assertCodes = (report: ReportJson, expected: (port: number) => string) => {
	const wrong = report.ports.filter(port => port.code !== expected(port.port));
	assert.deepEqual(
		wrong.map(
			port =>
				`${port.port}: ${port.code} (test1 ${port.test1.sends} sends, test2 ${port.test2.sends} sends, attempts ${port.test2.attempts})` +
				// A busy port names its holder, so a stray socket in the lab can be traced.
				(port.owner ? `\n${port.owner.excerpt}` : ''),
		),
		[],
		`verdicts differ on ${wrong.length} of ${report.ports.length} ports` +
			(wrong.some(port => port.code === 'port-in-use') ? `\nUDP sockets before the check:\n${socketsBefore.get(report)}` : ''),
	);
};

const portAt = (report: ReportJson, port: number): PortJson => {
	const result = report.ports.find(entry => entry.port === port);
	assert.ok(result, `port ${port} missing from the report`);
	return result;
};

/** Test 3 ran (the server honours RESPONSE-PORT), or the report says plainly that it could not. */
const assertTest3 = (report: ReportJson, runs: boolean) => {
	assert.equal(report.server?.responsePort, runs, 'server.responsePort');
	if (runs) {
		assert.ok(!report.notes.some(note => note.startsWith(noTest3Sentence)), report.notes.join(' '));
	} else {
		assert.ok(
			report.notes.some(note => note.startsWith(noTest3Sentence)),
			`no "cannot run Test 3" note: ${report.notes.join(' ')}`,
		);
		assert.ok(report.ports.every(port => port.unsolicited === 'skipped'));
	}
};

for (const server of [
	{name: 'coturn', host: HOSTS.coturn, primary: ADDR.coturn[0], second: ADDR.coturn[1], test3: true},
	// stund silently drops every request that carries RESPONSE-PORT: Tests 1-2 only.
	{name: 'stund', host: HOSTS.stund, primary: ADDR.stund[0], second: ADDR.stund[1], test3: false},
	{name: 'fwcheck serve', host: HOSTS.own, primary: ADDR.own[0], second: ADDR.own[1], test3: true},
] as const) {
	describe(`against ${server.name}`, () => {
		test('1:1 forward of the whole range: every port ok, Test 2 answered from the second IP', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'forward-all', ports: [9000, 9099]});
			const {exitCode, report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9099']);
			assert.equal(report.code, 'ok', report.message);
			assert.equal(report.status, 'pass');
			assert.equal(exitCode, 0);
			assert.equal(report.server?.host, server.host);
			assert.equal(report.server?.address, `${server.primary}:3478`);
			assert.equal(report.server?.otherAddress?.split(':')[0], server.second);
			assert.equal(report.publicAddress, ADDR.publicIp);
			assert.equal(report.ports.length, 100);
			assertCodes(report, () => 'ok');
			for (const port of report.ports) {
				assert.equal(port.mapped, `${ADDR.publicIp}:${port.port}`);
				assert.equal(port.test2.from?.split(':')[0], server.second);
			}

			assertTest3(report, server.test3);
			if (server.test3) {
				assert.ok(report.ports.every(port => port.unsolicited === 'pass' && port.test3.from?.split(':')[0] === server.second));
			}
		});

		test(`full-cone NAT without a forward: ${server.test3 ? 'Test 3 fails on every port: mapping-only' : 'Tests 1-2 only, and it says so'}`, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'full-cone'});
			const {exitCode, report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9099']);
			assertTest3(report, server.test3);
			// Tests 1 and 2 pass through the mapping each port opens: exactly what a forward would show.
			assert.ok(report.ports.every(port => port.reachability === 'pass' && port.inbound === 'pass'));
			if (server.test3) {
				assert.equal(report.code, 'mapping-only', report.message);
				assert.equal(exitCode, 1);
				assertCodes(report, () => 'mapping-only');
				assert.ok(report.ports.every(port => port.unsolicited === 'fail'));
			} else {
				assert.equal(report.code, 'ok', report.message);
			}
		});

		test('masquerade only: Test 1 passes, Test 2 never arrives: inbound-blocked', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'masquerade'});
			const {exitCode, report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9099']);
			assert.equal(report.code, 'inbound-blocked', report.message);
			assert.equal(exitCode, 1);
			assertCodes(report, () => 'inbound-blocked');
			const sample = portAt(report, 9042);
			assert.equal(sample.reachability, 'pass');
			assert.equal(sample.inbound, 'fail');
			assert.equal(sample.mapped, `${ADDR.publicIp}:9042`);
			assert.ok(report.pacing.confirmed > 0, 'failures were not confirmed by a slow recheck');
			assert.deepEqual(report.pacing.slowdowns, [], 'a closed range is not congestion');
			assertTest3(report, server.test3);
		});

		test('masquerade --random-fully: ports are translated: port-translated', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'masquerade-random'});
			const {exitCode, report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9049']);
			assert.equal(report.code, 'port-translated', report.message);
			assert.equal(exitCode, 1);
			assertCodes(report, () => 'port-translated');
			const sample = portAt(report, 9001);
			assert.notEqual(sample.mapped, `${ADDR.publicIp}:9001`);
		});

		test('forward of part of the range: some-failed, exactly the forwarded ports ok', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'forward-part', ports: [9020, 9039]});
			const {exitCode, report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9059']);
			assert.equal(report.code, 'some-failed', report.message);
			assert.equal(exitCode, 1);
			assertCodes(report, port => (port >= 9020 && port <= 9039 ? 'ok' : 'inbound-blocked'));
		});

		test('outbound UDP dropped for some ports: outbound-blocked on exactly those', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'drop-outbound-ports', ports: [9000, 9009]});
			const {report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9019']);
			assert.equal(report.code, 'some-failed', report.message);
			// The rest of the range is masqueraded, not forwarded.
			assertCodes(report, port => (port <= 9009 ? 'outbound-blocked' : 'inbound-blocked'));
			assert.equal(portAt(report, 9003).reachability, 'fail');
			assert.equal(portAt(report, 9003).inbound, 'skipped');
			// Ports that never answer are not congestion: no reason to slow down.
			assert.deepEqual(report.pacing.slowdowns, []);
		});

		test('10% random loss each way: still exact, open and closed', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'forward-part', ports: [9000, 9149], loss: 0.1});
			const {report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9199']);
			assertCodes(report, port => (port <= 9149 ? 'ok' : 'inbound-blocked'));
			const retried = report.ports.filter(port => port.test1.sends > 1 || port.test2.sends > 1).length;
			assert.ok(retried > 0, 'with 10% loss some requests must have been retransmitted');
		});

		test('a router that drops bursts above 300 packets/s: still exact, only slower', async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter({kind: 'forward-all', ports: [9000, 9399], ratelimit: 300, ratelimitBurst: 50});
			const {report} = await fwcheck(l, ['--stun', server.host, '--ports', '9000-9399']);
			assertCodes(report, () => 'ok');
			assert.ok(report.pacing.slowdowns.length > 0, 'the report must say the checker slowed down');
		});
	});
}

describe('servers that cannot run the check', () => {
	test('a one-address coturn: stun-no-second-address, exit 3', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'forward-all', ports: [9000, 9009]});
		const {exitCode, report} = await fwcheck(l, ['--stun', HOSTS.single, '--ports', '9000-9009']);
		assert.equal(report.code, 'stun-no-second-address', report.message);
		assert.equal(report.status, 'error');
		assert.equal(exitCode, 3);
		assert.ok(report.ports.every(port => port.status === 'skipped'));
	});

	test('fwcheck serve without --alternate: it says so, and fwcheck will not use it', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'forward-all', ports: [9000, 9009]});
		// The lab's two-address server on the same IP already holds the SIP echo's port 5060.
		const single = await l.startOwn(ADDR.own[0], null, {port: 3490, serveArgs: ['--no-sip-echo']});
		try {
			assert.match(await single.log(), /single-address mode/);
			const {exitCode, report} = await fwcheck(l, ['--stun', `${HOSTS.own}:3490`, '--ports', '9000-9009']);
			assert.equal(report.code, 'stun-no-second-address', report.message);
			assert.equal(exitCode, 3);
		} finally {
			await single.stop();
		}
	});

	test('a server whose "second" address has the same IP: stun-no-second-address', async t => {
		const l = lab(t);
		if (!l) return;
		// coturn's second -L address reports OTHER-ADDRESS with its own IP.
		const {report} = await fwcheck(l, ['--stun', HOSTS.coturnAlt, '--ports', '9000-9004']);
		assert.equal(report.code, 'stun-no-second-address', report.message);
		assert.match(report.serversTried[0]?.detail ?? '', /same IP/);
	});

	test('an unresolvable name: stun-unresolvable, exit 3', async t => {
		const l = lab(t);
		if (!l) return;
		const {exitCode, report} = await fwcheck(l, ['--stun', HOSTS.missing, '--ports', '9000-9004']);
		assert.equal(report.code, 'stun-unresolvable', report.message);
		assert.equal(exitCode, 3);
	});

	test('all outbound UDP dropped: stun-unreachable, exit 3', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'drop-outbound'});
		const {exitCode, report} = await fwcheck(l, ['--stun', HOSTS.coturn, '--ports', '9000-9004']);
		assert.equal(report.code, 'stun-unreachable', report.message);
		assert.equal(exitCode, 3);
	});

	test('falls over to the next server and names the one used', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'forward-all', ports: [9000, 9009]});
		const {report} = await fwcheck(l, [
			'--stun',
			HOSTS.missing,
			'--stun',
			HOSTS.single,
			'--stun',
			HOSTS.stund,
			'--ports',
			'9000-9009',
		]);
		assert.equal(report.code, 'ok', report.message);
		assert.equal(report.server?.host, HOSTS.stund);
		assert.deepEqual(
			report.serversTried.map(tried => [tried.host, tried.code]),
			[
				[HOSTS.missing, 'stun-unresolvable'],
				[HOSTS.single, 'stun-no-second-address'],
			],
		);
	});
});

describe('on the PBX host', () => {
	test('a port held by another process is port-in-use with its pid; the others are still checked', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'forward-all', ports: [9000, 9019]});
		const holder = await l.holdPort(9005);
		try {
			const {report} = await fwcheck(l, ['--stun', HOSTS.coturn, '--ports', '9000-9019']);
			// The only port not ok is busy: the headline says so, not that some ports are not forwarded.
			assert.equal(report.code, 'port-in-use', report.message);
			assertCodes(report, port => (port === 9005 ? 'port-in-use' : 'ok'));
			const busy = portAt(report, 9005);
			assert.equal(busy.status, 'busy');
			assert.equal(busy.process?.pid, holder.pid);
			assert.match(busy.process?.name ?? '', /node/);
			assert.ok(busy.owner?.excerpt.includes(':9005'), busy.owner?.excerpt);
		} finally {
			await holder.stop();
		}
	});

	test('--public-ip other than the one seen: address-mismatch', async t => {
		const l = lab(t);
		if (!l) return;
		await l.setRouter({kind: 'forward-all', ports: [9000, 9004]});
		const {report} = await fwcheck(l, ['--stun', HOSTS.coturn, '--ports', '9000-9004', '--public-ip', '203.0.113.99']);
		assertCodes(report, () => 'address-mismatch');
		const right = await fwcheck(l, ['--stun', HOSTS.coturn, '--ports', '9000-9004', '--public-ip', ADDR.publicIp]);
		assertCodes(right.report, () => 'ok');
	});

	test('forged replies and garbage sprayed from a third host: no false pass, no crash', async t => {
		const l = lab(t);
		if (!l) return;
		// Forwarded ports receive the spray: the checker must drop it and still be exact.
		await l.setRouter({kind: 'forward-part', ports: [9000, 9049]});
		const spray = l.spray({ports: [9000, 9099], rounds: 1000, durationMs: 20_000, maxPackets: 150_000, rate: 8000});
		try {
			const {report} = await fwcheck(l, ['--stun', HOSTS.coturn, '--ports', '9000-9099']);
			assertCodes(report, port => (port <= 9049 ? 'ok' : 'inbound-blocked'));
			const dropped = report.stats.dropped.garbage + report.stats.dropped.unknownTransaction + report.stats.dropped.wrongSource;
			assert.ok(dropped > 0, 'the spray should have reached the forwarded ports and been dropped');
		} finally {
			await spray.stop();
		}
	});
});

describe('stale mappings on a full-cone router', () => {
	test('a check right after another stays exact; once conntrack forgets, Test 3 passes through the old mappings, and the report says so', async t => {
		const l = lab(t);
		if (!l) return;
		// A short mapping lifetime, so the test can watch it end.
		await l.setRouter({kind: 'full-cone', mappingTimeoutS: 10});
		const args = ['--stun', HOSTS.own, '--ports', '9000-9049'];
		const first = await fwcheck(l, args);
		assertCodes(first.report, () => 'mapping-only');
		assert.deepEqual(first.report.notes, []);

		// Measured: still exact. The first check's unanswered Test 3 left an unreplied conntrack
		// entry for the same 5-tuple (second IP, primary port → public IP, port), and Linux keeps
		// dropping that flow until the entry expires (nf_conntrack_udp_timeout, 30 s).
		const second = await fwcheck(l, args);
		assertCodes(second.report, () => 'mapping-only');

		// Once conntrack has forgotten (flushed here instead of waiting 30 s) but the router still
		// maps the ports, Test 3 gets in through the old mappings: fwcheck cannot tell, and says so.
		await l.flushConntrack();
		const third = await fwcheck(l, args);
		assertCodes(third.report, () => 'ok');
		assert.ok(third.report.ports.every(port => port.notes.some(note => note.includes('may read ok without a forward'))));
		assert.match(
			third.report.notes.join(' '),
			/Test 3 passed on 50 ports \(9000-9049\) that a check from this host used \d+ s earlier/,
		);

		// Wait (bounded) until the router has forgotten every port: exact again, and no warning.
		let left = '';
		for (let polls = 0; polls < 60; polls++) {
			const set = await l.exec('rtr', 'nft', ['list', 'set', 'ip', 'fwcheck_full_cone', 'sent']);
			left = /elements = \{([^}]*)\}/.exec(set.stdout)?.[1] ?? '';
			if (left.trim() === '') break;
			await new Promise(resolve => {
				setTimeout(resolve, 500);
			});
		}

		assert.equal(left.trim(), '', 'the router still holds mappings after 30 s');
		await l.flushConntrack();
		const fourth = await fwcheck(l, args);
		assertCodes(fourth.report, () => 'mapping-only');
		assert.deepEqual(fourth.report.notes, []);
	});
});
