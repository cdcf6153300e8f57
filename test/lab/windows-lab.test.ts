// The Windows executable under Wine, in the lab's PBX namespace, gives the same verdict on every
// port as the Linux build run there against the same router: forwarded, masqueraded, full cone.
// Skipped (with the reason) without root, the lab's tools, Wine or the executable; required
// under CI=true.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {after, before, describe, test, type TestContext} from 'node:test';
import {execa} from 'execa';
import type {ReportJson} from '../../source/report/json.js';
import {ADDR, NS, setUpLab, type Lab, type RouterScenario} from '../../lab/lab.js';
import {WINDOWS_EXE, createWinePrefix, runWindowsFwcheck, wineMissing, type WinePrefix} from '../../lab/wine.js';

let prefix: WinePrefix | undefined;
let prefixMs = 0;
let missing: string | undefined;

// Registered before setUpLab(), so it runs before the lab's teardown (which kills whatever is left
// in its namespaces): the prefix's wineserver is asked to stop while its namespace still exists.
after(async () => {
	await prefix?.remove();
});

const lab = setUpLab();
const ports = '9000-9019';
// coturn: two addresses and RESPONSE-PORT, so all three tests run. An address, not a name: the
// Windows build resolves names through Wine, which is not what this compares.
const args = ['--stun', ADDR.coturn[0], '--ports', ports, '--json', '--no-sip', '--no-router'];

before(async () => {
	const l = await lab.ready;
	if (!l) return;
	missing = wineMissing();
	if (missing) return;
	if (!existsSync(WINDOWS_EXE)) {
		// Built as the readme says, when no earlier test has built it.
		const built = await execa('npm', ['run', 'build:bin'], {reject: false, timeout: 300_000, stdin: 'ignore'});
		if (built.exitCode !== 0) {
			missing = `npm run build:bin failed: ${built.stderr.split('\n').find(line => line.trim() !== '') ?? ''}`;
			return;
		}
	}

	await l.startCoturn();
	const started = Date.now();
	prefix = await createWinePrefix(NS.pbx);
	prefixMs = Date.now() - started;
});

const ready = (t: TestContext): Lab | undefined => {
	const l = lab(t);
	if (!l) return undefined;
	if (missing) {
		if (process.env['CI'] === 'true') assert.fail(missing);
		t.skip(missing);
		return undefined;
	}

	return l;
};

/** Each port's verdict code, in port order. */
const codes = (report: ReportJson): Array<[number, string | null]> => report.ports.map(port => [port.port, port.code]);

const linuxRun = async (l: Lab): Promise<{report: ReportJson; durationMs: number}> => {
	const result = await l.runFwcheck(args);
	assert.equal(result.timedOut, false, 'the Linux build timed out');
	assert.ok(result.json, `no JSON from the Linux build: ${result.jsonError ?? ''} ${result.stderr}`);
	return {report: result.json as ReportJson, durationMs: result.durationMs};
};

const windowsRun = async (): Promise<{report: ReportJson; durationMs: number}> => {
	assert.ok(prefix);
	const result = await runWindowsFwcheck(prefix, args);
	try {
		return {report: JSON.parse(result.stdout) as ReportJson, durationMs: result.durationMs};
	} catch {
		assert.fail(`no JSON from the Windows build (exit ${result.exitCode ?? 'none'}): ${result.stderr.slice(0, 500)}`);
	}
};

describe('the Windows executable under Wine, in the PBX namespace', () => {
	const scenarios: Array<{name: string; router: RouterScenario; expected: string}> = [
		{name: 'forwarded 1:1', router: {kind: 'forward-all', ports: [9000, 9019]}, expected: 'ok'},
		{name: 'masquerade only', router: {kind: 'masquerade'}, expected: 'inbound-blocked'},
		{name: 'full cone, no forward', router: {kind: 'full-cone'}, expected: 'mapping-only'},
	];
	for (const {name, router, expected} of scenarios) {
		test(`${name}: the same verdict per port as the Linux build (${expected})`, async t => {
			const l = ready(t);
			if (!l) return;
			// The router afresh before each run: no mapping (conntrack, the full cone's set) of one
			// build's run may help the other's.
			await l.setRouter(router);
			const {report: linux, durationMs: linuxMs} = await linuxRun(l);
			await l.setRouter(router);
			const {report: windows, durationMs: windowsMs} = await windowsRun();
			t.diagnostic(`Wine prefix set up in ${prefixMs} ms; Windows build under Wine ${windowsMs} ms; Linux build ${linuxMs} ms`);

			assert.equal(linux.ports.length, 20);
			// Both right, not merely alike: a shared fault would otherwise pass.
			assert.deepEqual(
				codes(linux).filter(([, code]) => code !== expected),
				[],
				`the Linux build: ${linux.message}`,
			);
			assert.deepEqual(codes(windows), codes(linux));
			assert.equal(windows.code, linux.code);
			assert.equal(windows.publicAddress, ADDR.publicIp);
		});
	}
});
