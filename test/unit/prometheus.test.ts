// --prometheus: the check for node_exporter's textfile collector, in the text format promtool
// accepts, written so that a reader never sees half a file.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {execa} from 'execa';
import {parseInvocation} from '../../source/cli/invocation.js';
import {toPrometheus} from '../../source/report/prometheus.js';
import {writeFileAtomically} from '../../source/system/atomic-file.js';
import {makeReport, portResult} from '../ui/fixtures.js';
import {withAlg} from '../ui/service-fixtures.js';

const finished = new Date('2026-12-05T02:00:07Z');

const failing = makeReport(
	[portResult(9000, 'ok'), portResult(9001, 'inbound-blocked'), portResult(9002, 'inbound-blocked'), portResult(9003, 'skipped')],
	{status: 'fail', code: 'some-failed', durationMs: 2417, path: {verdict: 'double-nat', hops: [], evidence: []}, ...withAlg},
);

const sample = (text: string, series: string): number | undefined => {
	const line = text.split('\n').find(each => each.startsWith(`${series} `));
	return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** promtool from Debian's prometheus package: required under CI=true, else skipped with the reason. */
const promtool = async (): Promise<string | undefined> => {
	const found = await execa('promtool', ['--version'], {reject: false});
	if (found.exitCode === 0) {
		return 'promtool';
	}

	assert.ok(process.env.CI !== 'true', 'promtool is missing (Debian package prometheus; .ci/run installs it)');
	return undefined;
};

test('every port verdict is a series, counted; status, duration, last run, path and SIP ALG', () => {
	const text = toPrometheus(failing, finished);
	assert.equal(sample(text, 'fwcheck_ports{verdict="ok"}'), 1);
	assert.equal(sample(text, 'fwcheck_ports{verdict="inbound-blocked"}'), 2);
	assert.equal(sample(text, 'fwcheck_ports{verdict="skipped"}'), 1);
	assert.equal(sample(text, 'fwcheck_ports{verdict="port-in-use"}'), 0);
	assert.equal(sample(text, 'fwcheck_check_success'), 0);
	assert.equal(sample(text, 'fwcheck_check_status{status="fail"}'), 1);
	assert.equal(sample(text, 'fwcheck_check_status{status="pass"}'), 0);
	assert.equal(sample(text, 'fwcheck_check_duration_seconds'), 2.417);
	assert.equal(sample(text, 'fwcheck_last_run_timestamp_seconds'), Date.parse('2026-12-05T02:00:07Z') / 1000);
	assert.equal(sample(text, 'fwcheck_path_verdict{verdict="double-nat"}'), 1);
	assert.equal(sample(text, 'fwcheck_path_verdict{verdict="edge"}'), 0);
	assert.equal(sample(text, 'fwcheck_sip_alg{transport="udp"}'), 1);
	assert.ok(text.endsWith('\n'));
});

test('a path or SIP ALG not looked at is absent, not a made-up 0', () => {
	const text = toPrometheus(makeReport([portResult(9000, 'ok')]), finished);
	assert.equal(sample(text, 'fwcheck_check_success'), 1);
	assert.ok(!text.includes('fwcheck_path_verdict'));
	assert.ok(!text.includes('fwcheck_sip_alg'));
});

test('promtool check metrics accepts the text', async t => {
	const tool = await promtool();
	if (!tool) {
		t.skip('promtool not installed (Debian package prometheus)');
		return;
	}

	for (const report of [failing, makeReport([])]) {
		const result: {exitCode?: number; stdout: string; stderr: string} = await execa(tool, ['check', 'metrics'], {
			input: toPrometheus(report, finished),
			reject: false,
		});
		assert.equal(result.exitCode, 0, result.stdout + result.stderr);
		assert.equal(result.stdout + result.stderr, '');
	}
});

test('the file is replaced whole, and a failed write leaves no temporary file behind', async () => {
	const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-prom-'));
	try {
		const file = path.join(directory, 'fwcheck.prom');
		await writeFile(file, 'old\n');
		await writeFileAtomically(file, 'new\n');
		assert.equal(await readFile(file, 'utf8'), 'new\n');
		assert.deepEqual(await readdir(directory), ['fwcheck.prom']);
		await assert.rejects(writeFileAtomically(path.join(directory, 'missing', 'x.prom'), 'x'), /ENOENT/);
		await assert.rejects(writeFileAtomically(directory, 'x'), /EISDIR|directory/);
		assert.deepEqual(await readdir(directory), ['fwcheck.prom']);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});

test('--prometheus takes a file name', () => {
	const invocation = parseInvocation(['--stun', '127.0.0.1', '--prometheus', '/tmp/x.prom']);
	assert.ok(invocation.command === 'check');
	assert.equal(invocation.output.prometheus, '/tmp/x.prom');
	assert.throws(() => parseInvocation(['--stun', '127.0.0.1', '--prometheus', '']), /--prometheus needs a value/);
	assert.throws(() => parseInvocation(['serve', '--prometheus', 'x']), /unknown option --prometheus for serve/);
});

test('fwcheck --json --prometheus writes both, on the simulated demo; an unwritable file is exit 3', async () => {
	const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-prom-'));
	try {
		const file = path.join(directory, 'fwcheck.prom');
		const cli = path.resolve('source/cli.ts');
		const args = ['--import', 'tsx', cli, '--demo', '--faults', '--ports', '9000-9003', '--json'];
		const result = await execa('node', [...args, '--prometheus', file], {reject: false, timeout: 60_000});
		assert.equal(result.exitCode, 1, result.stderr);
		const report = JSON.parse(result.stdout) as {ports: Array<{code: string}>};
		const text = await readFile(file, 'utf8');
		for (const code of new Set(report.ports.map(port => port.code))) {
			const count = report.ports.filter(port => port.code === code).length;
			assert.equal(sample(text, `fwcheck_ports{verdict="${code}"}`), count, code);
		}

		const unwritable = await execa('node', [...args, '--prometheus', path.join(directory, 'missing', 'x.prom')], {
			reject: false,
			timeout: 60_000,
		});
		assert.equal(unwritable.exitCode, 3);
		assert.match(unwritable.stderr, /^fwcheck: could not write .*missing\/x\.prom: ENOENT/);
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
});

test('the example alert rules load, and fire on failing ports and on two days without a check', async t => {
	const tool = await promtool();
	if (!tool) {
		t.skip('promtool not installed (Debian package prometheus)');
		return;
	}

	const checked = await execa(tool, ['check', 'rules', 'examples/prometheus/fwcheck-alerts.yml'], {reject: false});
	assert.equal(checked.exitCode, 0, checked.stdout + checked.stderr);
	const tested = await execa(tool, ['test', 'rules', 'examples/prometheus/fwcheck-alerts.test.yml'], {reject: false});
	assert.equal(tested.exitCode, 0, tested.stdout + tested.stderr);
});

test("the example systemd unit's command line is one fwcheck accepts: --stun given, --json kept, metrics written", async () => {
	const unit = await readFile('examples/systemd/fwcheck.service', 'utf8');
	const command = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(unit)?.[1]?.replaceAll('\\\n', ' ');
	assert.ok(command);
	const [program, ...words] = command.split(/\s+/).filter(Boolean);
	assert.equal(program, '/usr/local/bin/fwcheck');
	const invocation = parseInvocation(words);
	assert.ok(invocation.command === 'check');
	assert.deepEqual(
		invocation.config.servers.map(server => server.host),
		['198.51.100.7'],
	);
	assert.equal(invocation.output.json, true);
	assert.match(invocation.output.prometheus ?? '', /textfile_collector\/fwcheck\.prom$/);
	assert.match(unit, /^StandardOutput=truncate:\/var\/lib\/fwcheck\/report\.json$/m);
	const timer = await readFile('examples/systemd/fwcheck.timer', 'utf8');
	assert.match(timer, /^OnCalendar=\*-\*-\* 03:00:00$/m);
});
