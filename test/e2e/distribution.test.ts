// The three ways fwcheck gets onto a PBX, each as a user gets it: the standalone executable on a
// host where no `node` can be found, the one-file bundle run from an empty directory, and the npm
// package installed globally from its tarball. Each builds its file first, as the readme says.
import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import {copyFile, mkdtemp, readFile, readdir, realpath, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {Method, decodeMessage, encodeMessage, findAttribute, newTransactionId} from '../../source/stun/index.js';
import type {ReportJson} from '../../source/report/json.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const executable = join(root, 'dist/bin', `fwcheck-${process.platform}-${process.arch}`);
const bundle = join(root, 'dist/fwcheck.mjs');

const temporaryDirectories: string[] = [];
const temporaryDirectory = async (): Promise<string> => {
	const directory = await mkdtemp(join(tmpdir(), 'fwcheck-dist-test-'));
	temporaryDirectories.push(directory);
	return directory;
};

after(async () => {
	await Promise.all(temporaryDirectories.map(async directory => rm(directory, {recursive: true, force: true})));
});

const npm = async (args: string[], cwd = root) =>
	execa('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], {cwd, timeout: 180_000, stdin: 'ignore'});

/**
 * `count` ports for a demo check, as `--ports` takes them and as numbers: a block of its own below
 * the ephemeral range, since a PBX or another check on this machine often holds 9000 and up.
 */
const portBlock = (count: number) => {
	const first = 20_000 + Math.floor(Math.random() * 10_000);
	const ports = Array.from({length: count}, (_, index) => first + index);
	return {flag: `${first}-${first + count - 1}`, ports};
};

/** A `--demo --json` report whose ports are exactly these, each ok. */
const assertDemoPassed = (result: {exitCode?: number; stdout: string; stderr: string}, ports: number[]) => {
	const report = JSON.parse(result.stdout) as ReportJson;
	// The codes first: a port another program holds says so here, where an exit code would not.
	assert.deepEqual(
		report.ports.map(port => [port.port, port.code]),
		ports.map(port => [port, 'ok']),
		result.stderr,
	);
	assert.equal(result.exitCode, 0, result.stderr);
};

// --- The standalone executable, with node hidden --------------------------------------------

/**
 * The command line that runs the executable in a mount namespace where every node on PATH is
 * covered by an empty file, PATH has only the system folders, and the script refuses to start
 * the executable if `node` still resolves.
 */
const hidingNode = async (): Promise<string[]> => {
	const empty = join(await temporaryDirectory(), 'no-node');
	await writeFile(empty, '');
	const nodes = new Set([await realpath(process.execPath)]);
	const found = await execa('which', ['-a', 'node'], {reject: false});
	for (const path of found.stdout.split('\n').filter(Boolean)) {
		nodes.add(await realpath(path));
	}

	const script = [
		...[...nodes].map(node => `mount --bind "$0" '${node}' || exit 98`),
		'export PATH=/usr/sbin:/usr/bin:/sbin:/bin',
		'if command -v node >/dev/null; then echo "node is still on PATH" >&2; exit 99; fi',
		'exec "$@"',
	].join('\n');
	return ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, empty, executable];
};

/** unshare execs sh, which execs the executable: the subprocess is fwcheck itself. */
const runWithoutNode = (namespace: string[], args: string[]) =>
	execa('unshare', [...namespace, ...args], {reject: false, timeout: 60_000, stdin: 'ignore', cwd: tmpdir()});

/** One STUN Binding request from 127.0.0.1 to the server; the decoded success answer. */
const bindingRequest = async (port: number) => {
	const socket = dgram.createSocket('udp4');
	try {
		await new Promise<void>(resolve => {
			socket.bind(0, '127.0.0.1', resolve);
		});
		const transactionId = newTransactionId();
		const answer = new Promise<Buffer>((resolve, reject) => {
			const timer = setTimeout(() => {
				reject(new Error('no answer from the server within 5 s'));
			}, 5000);
			socket.once('message', message => {
				clearTimeout(timer);
				resolve(message);
			});
		});
		socket.send(encodeMessage({method: Method.binding, messageClass: 'request', transactionId}), port, '127.0.0.1');
		const decoded = decodeMessage(await answer);
		assert.ok(decoded.ok, 'the answer decodes');
		assert.equal(decoded.message.messageClass, 'success');
		assert.deepEqual(decoded.message.transactionId, transactionId);
		return {message: decoded.message, local: socket.address().port};
	} finally {
		socket.close();
	}
};

test('the standalone executable runs where no node can be found: --version, --demo --json, busy port, serve', async t => {
	if (process.getuid?.() !== 0) {
		const reason = 'hiding node needs a mount namespace, which needs root';
		if (process.env.CI === 'true') {
			assert.fail(reason);
		}

		t.skip(reason);
		return;
	}

	await npm(['run', 'build:bin']);
	const {version} = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {version: string};
	const namespace = await hidingNode();
	const versionRun = await runWithoutNode(namespace, ['--version']);
	assert.equal(versionRun.exitCode, 0, versionRun.stderr);
	assert.equal(versionRun.stdout.trim(), version);

	const demo = portBlock(5);
	assertDemoPassed(await runWithoutNode(namespace, ['--demo', '--json', '--ports', demo.flag]), demo.ports);

	// A busy port is named with its owner: the executable runs `ss` itself, with no node about.
	const busy = portBlock(3);
	const holder = dgram.createSocket('udp4');
	try {
		await new Promise<void>(resolve => {
			holder.bind(busy.ports[1], '0.0.0.0', resolve);
		});
		const result = await runWithoutNode(namespace, ['--demo', '--json', '--ports', busy.flag]);
		assert.equal(result.exitCode, 1, result.stderr);
		const held = (JSON.parse(result.stdout) as ReportJson).ports.find(port => port.port === busy.ports[1]);
		assert.equal(held?.code, 'port-in-use');
		assert.equal(held?.process?.pid, process.pid, JSON.stringify(held));
	} finally {
		holder.close();
	}

	// serve on a free port pair: a taken pair makes it exit 3 at once, so try another (bounded).
	for (let attempt = 0; attempt < 5; attempt++) {
		const port = 30_000 + Math.floor(Math.random() * 20_000);
		const args = ['serve', '--primary', '127.0.0.1', '--alternate', '127.0.0.2', '--port', String(port)];
		const server = runWithoutNode(namespace, args);
		const listening = await new Promise<boolean>(resolve => {
			server.stderr.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('listening on')) {
					resolve(true);
				}
			});
			void server.then(() => {
				resolve(false);
			});
		});
		if (!listening) {
			const result = await server;
			assert.match(result.stderr, /in use/, result.stderr);
			continue;
		}

		try {
			const {message, local} = await bindingRequest(port);
			const mapped = findAttribute(message, 'xor-mapped-address');
			assert.deepEqual(mapped?.address, {family: 4, address: '127.0.0.1', port: local});
		} finally {
			server.kill('SIGTERM');
		}

		const result = await server;
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stderr, /stopped after answering 1 requests/);
		return;
	}

	assert.fail('no free port pair for serve in 5 tries');
});

// --- The one-file bundle ------------------------------------------------------------------------

test('node fwcheck.mjs --demo --json works from an empty directory, with no node_modules', async () => {
	await npm(['run', 'build:bundle']);
	const directory = await temporaryDirectory();
	await copyFile(bundle, join(directory, 'fwcheck.mjs'));
	const demo = portBlock(5);
	const result = await execa('node', ['fwcheck.mjs', '--demo', '--json', '--ports', demo.flag], {
		cwd: directory,
		reject: false,
		timeout: 60_000,
		stdin: 'ignore',
		env: {NODE_PATH: ''},
	});
	assertDemoPassed(result, demo.ports);
});

// --- The npm package ------------------------------------------------------------------------------

test('npm pack, then npm install -g of the tarball, gives a working fwcheck', async () => {
	const directory = await temporaryDirectory();
	await npm(['pack', '--pack-destination', directory]);
	const tarballs = (await readdir(directory)).filter(name => name.endsWith('.tgz'));
	assert.equal(tarballs.length, 1, tarballs.join(', '));
	const tarball = join(directory, tarballs[0]!);

	// Only the bundle, its notices, the readme, the licence and package.json: no sources, no tests.
	const listing = await execa('tar', ['-tzf', tarball]);
	assert.deepEqual(listing.stdout.split('\n').sort(), [
		'package/LICENSE',
		'package/dist/THIRD-PARTY-NOTICES.txt',
		'package/dist/fwcheck.mjs',
		'package/package.json',
		'package/readme.md',
	]);

	// The package has no runtime dependencies (they are in the bundle), so this needs no registry.
	const prefix = join(directory, 'prefix');
	await npm(['install', '--global', '--offline', '--prefix', prefix, tarball], directory);
	const demo = portBlock(3);
	const result = await execa(join(prefix, 'bin/fwcheck'), ['--demo', '--json', '--ports', demo.flag], {
		cwd: directory,
		reject: false,
		timeout: 60_000,
		stdin: 'ignore',
	});
	assertDemoPassed(result, demo.ports);
});
