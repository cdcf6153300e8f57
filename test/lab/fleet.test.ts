// examples/ansible/fwcheck.yml for real: ansible-playbook, in a controller namespace, reaches three
// PBXs over SSH (an sshd in each PBX's namespace), each behind its own router (a 1:1 forward, a
// masquerade, a full cone), copies the standalone executable, runs the check as root against the
// site's `fwcheck serve`, fetches the reports and merges them.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {FLEET_STUN, type FleetSite, createFleetLab, fleetLabSupport} from '../../lab/fleet-lab.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const executable = path.join(root, 'dist/bin/fwcheck-linux-x64');
const playbook = path.join(root, 'examples/ansible/fwcheck.yml');
const ports = '9000-9019';

const sites: FleetSite[] = [
	{name: 'pbx-forwarded', router: {kind: 'forward-all', ports: [9000, 9019]}},
	{name: 'pbx-masquerade', router: {kind: 'masquerade'}},
	{name: 'pbx-full-cone', router: {kind: 'full-cone'}},
];

/** The example's inventory, with the lab's hosts: each PBX its own directory, since they share one disk. */
const inventory = (lab: {sites: ReadonlyArray<{name: string; sshAddress: string}>}, work: string): string =>
	JSON.stringify({
		all: {
			vars: {
				fwcheck_stun: FLEET_STUN,
				fwcheck_ports: ports,
				// The UDP check only: the router view and the SIP checks have their own lab tests.
				fwcheck_args: ['--no-router', '--no-sip'],
				fwcheck_bin_dir: path.dirname(executable),
				fwcheck_reports: path.join(work, 'reports'),
				fwcheck_controller: executable,
				ansible_user: 'root',
				// Root already: no sudo on the lab's hosts.
				ansible_become: false,
				ansible_python_interpreter: '/usr/bin/python3',
			},
			children: {
				pbx_linux: {
					hosts: Object.fromEntries(
						lab.sites.map(site => [site.name, {ansible_host: site.sshAddress, fwcheck_dir: path.join(work, 'hosts', site.name)}]),
					),
				},
			},
		},
	});

const skipOrFail = (t: {skip: (message: string) => void; diagnostic: (message: string) => void}, reason: string): void => {
	if (process.env.CI === 'true') throw new Error(`fleet lab required in CI but unavailable: ${reason}`);
	t.diagnostic(`fleet lab unavailable: ${reason}`);
	t.skip(`fleet lab unavailable: ${reason}`);
};

test('ansible-playbook checks three PBXs over SSH, fetches their reports and merges them: one failed', async t => {
	const support = fleetLabSupport();
	if (!support.ok) {
		skipOrFail(t, support.reason);
		return;
	}

	if (!existsSync(executable)) {
		const built = await execa('npm', ['run', 'build:bin'], {cwd: root, reject: false, timeout: 300_000, stdin: 'ignore'});
		if (built.exitCode !== 0 || !existsSync(executable)) {
			skipOrFail(t, `no ${executable}: npm run build:bin failed`);
			return;
		}
	}

	const work = await mkdtemp(path.join(tmpdir(), 'fwcheck-fleet-'));
	const lab = await createFleetLab(sites);
	try {
		for (const site of lab.sites) await mkdir(path.join(work, 'hosts', site.name), {recursive: true});
		const inventoryFile = path.join(work, 'inventory.json');
		await writeFile(inventoryFile, inventory(lab, work));
		const home = path.join(work, 'home');
		await mkdir(home);
		// Everything Ansible and ssh write goes to the temp dir: no ~/.ansible, no known_hosts.
		const env = {
			HOME: home,
			ANSIBLE_HOST_KEY_CHECKING: 'False',
			ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-local'),
			ANSIBLE_REMOTE_TEMP: path.join(work, 'ansible-remote'),
			ANSIBLE_PRIVATE_KEY_FILE: lab.privateKey,
			ANSIBLE_SSH_ARGS: '-o UserKnownHostsFile=/dev/null -o ControlMaster=auto -o ControlPersist=30s',
			ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(work, 'ssh-control'),
			ANSIBLE_RETRY_FILES_ENABLED: 'False',
			ANSIBLE_NOCOLOR: '1',
			ANSIBLE_FORCE_COLOR: '0',
		};
		const started = Date.now();
		const played = await lab.controller('ansible-playbook', ['-i', inventoryFile, playbook], {
			env,
			cwd: work,
			timeoutMs: 300_000,
		});
		t.diagnostic(`ansible-playbook took ${((Date.now() - started) / 1000).toFixed(1)} s`);
		const output = `${played.stdout}\n${played.stderr}`;
		assert.equal(played.timedOut, false, output);
		// 2: the play's last task failed on purpose, since one PBX did not pass.
		assert.equal(played.exitCode, 2, output);
		assert.match(played.stdout, /fwcheck merge exited 1: at least one PBX did not pass/);
		for (const site of lab.sites) {
			assert.match(played.stdout, new RegExp(`${site.name}\\s+: ok=\\d+\\s+changed=3\\s+unreachable=0`));
		}

		// Three reports fetched, one per PBX, each the check of that PBX's own router.
		const reportsDir = path.join(work, 'reports');
		assert.deepEqual((await readdir(reportsDir)).sort(), ['pbx-forwarded.json', 'pbx-full-cone.json', 'pbx-masquerade.json']);
		const codes: Record<string, string> = {};
		for (const site of lab.sites) {
			const report = JSON.parse(await readFile(path.join(reportsDir, `${site.name}.json`), 'utf8')) as {
				code: string;
				ports: unknown[];
			};
			assert.equal(report.ports.length, 20, site.name);
			codes[site.name] = report.code;
		}

		// As test/lab/fwcheck-scenarios.test.ts judges each router against a server that runs Test 3.
		assert.deepEqual(codes, {'pbx-forwarded': 'ok', 'pbx-masquerade': 'inbound-blocked', 'pbx-full-cone': 'mapping-only'});

		// The table the playbook showed, and `fwcheck merge` on the fetched files: worst first, exit 1.
		const merged = await execa(executable, ['merge', ...lab.sites.map(site => path.join(reportsDir, `${site.name}.json`))], {
			reject: false,
		});
		assert.equal(merged.exitCode, 1, merged.stderr);
		const rows = merged.stdout.split('\n').slice(1);
		assert.deepEqual(
			rows.map(row => row.split(/\s{2,}/).slice(0, 3)),
			[
				['pbx-full-cone', '203.0.113.1', 'fail (mapping-only)'],
				['pbx-masquerade', '203.0.113.1', 'fail (inbound-blocked)'],
				['pbx-forwarded', '203.0.113.1', 'pass (ok)'],
			],
		);
		for (const row of rows)
			assert.ok(played.stdout.includes(JSON.stringify(row).slice(1, -1)), `the playbook did not show: ${row}`);
	} finally {
		await lab.teardown();
		await rm(work, {recursive: true, force: true});
	}
});
