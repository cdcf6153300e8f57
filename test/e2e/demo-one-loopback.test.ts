// The demo on a machine that answers only on 127.0.0.1 (macOS without an alias): it must run on
// the simulated network, labelled, never fail with a bind error. Made real with a network
// namespace whose loopback has 127.0.0.1/32 alone (root needed: skipped without it, but
// required under CI=true).
import assert from 'node:assert/strict';
import process from 'node:process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import type {ReportJson} from '../../source/report/json.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

test('--demo with no second loopback address runs on the simulated network', async t => {
	if (process.getuid?.() !== 0) {
		if (process.env.CI === 'true') {
			assert.fail('this test needs root under CI=true (unshare --net)');
		}

		t.skip('needs root for unshare --net');
		return;
	}

	// In the new namespace, loopback gets 127.0.0.1/32 only: 127.0.0.2 is then not this host's.
	const script = [
		'ip link set lo up',
		'ip addr del 127.0.0.1/8 dev lo',
		'ip addr add 127.0.0.1/32 dev lo',
		'exec "$0" "$@"',
	].join(' && ');
	const result = await execa(
		'unshare',
		['--net', 'sh', '-c', script, process.execPath, cli, '--demo', '--json', '--ports', '9000-9004'],
		{
			reject: false,
			timeout: 60_000,
			stdin: 'ignore',
		},
	);
	assert.equal(result.exitCode, 0, result.stderr);
	const report = JSON.parse(result.stdout) as ReportJson;
	assert.match(report.simulation ?? '', /answers only on 127\.0\.0\.1/);
	assert.equal(report.status, 'pass');
	assert.equal(report.ports.length, 5);
});
