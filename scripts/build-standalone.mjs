// Builds dist/bin/fwcheck-<platform>-<arch> (fwcheck-linux-x64 here) and dist/bin/fwcheck-win-x64.exe:
// executables that need no Node on the target. Each is a Node binary with fwcheck injected as a
// single executable application (https://nodejs.org/api/single-executable-applications.html):
// this Node's own binary, and the official node.exe of the same version (scripts/node-win.mjs).
// The blob has no snapshot and no code cache, so the one blob made here runs on both.
//
// Node 20 runs a SEA's main script as CommonJS, but Ink and yoga-layout use top-level await,
// which CommonJS cannot have. So the main script is a small loader, and the program is the same
// ES module bundle as dist/fwcheck.mjs, carried as a SEA asset. Module hooks serve it at a file
// URL inside the executable's path: import.meta.url, createRequire and stack traces work as
// they do for the file (a data: URL would put the whole 1.3 MB bundle in every stack trace).
import {execFile} from 'node:child_process';
import console from 'node:console';
import {chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {buildBundle, thirdPartyNotices} from './build-bundle.mjs';
import {officialNodeExe} from './node-win.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

// The fuse Node's binary carries for postject to flip (the same in every Node with SEA).
const sentinelFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

// Runs on the module loader's hooks thread: answers for the bundle's URL, passes on the rest
// (the bundle imports only Node's own modules).
const hooks = `
let url;
let source;
export const initialize = data => {
	({url, source} = data);
};
export const resolve = async (specifier, context, next) =>
	specifier === url ? {url, shortCircuit: true} : next(specifier, context);
export const load = async (href, context, next) =>
	href === url ? {format: 'module', source, shortCircuit: true} : next(href, context);
`;

const loader = `// fwcheck's standalone executable: start the ES module bundle it carries.
const {register} = require('node:module');
const {getAsset} = require('node:sea');
const {pathToFileURL} = require('node:url');
const url = pathToFileURL(process.execPath).href + '/fwcheck.mjs';
const hooks = 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)});
register(hooks, {data: {url, source: getAsset('fwcheck.mjs', 'utf8')}});
import(url).catch(error => {
	process.stderr.write('fwcheck: ' + (error instanceof Error ? error.message : String(error)) + '\\n');
	process.exit(3);
});
`;

/** Node's own licence goes with the executable, which is Node's binary. */
const nodeLicence = async () => {
	for (const path of [join(dirname(process.execPath), '../share/doc/nodejs/LICENSE'), '/usr/share/doc/nodejs/LICENSE']) {
		const text = await readFile(path, 'utf8').catch(() => '');
		if (text) {
			return text;
		}
	}

	return 'Node.js is under the MIT licence with bundled third-party licences: https://github.com/nodejs/node/blob/main/LICENSE\n';
};

/**
 * postject's own output is a page of harmless warnings: shown only if it fails.
 * @param {string} executable
 * @param {string} blob
 */
const inject = async (executable, blob) => {
	const postject = join(root, 'node_modules/postject/dist/cli.js');
	try {
		await run(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', sentinelFuse]);
	} catch (error) {
		await rm(executable, {force: true});
		// execFile's errors carry what the command printed.
		const failed = /** @type {{stdout?: string, stderr?: string}} */ (error);
		process.stderr.write(`${failed.stdout ?? ''}${failed.stderr ?? ''}`);
		throw error;
	}
};

/** @param {string} executable */
const sizeOf = async executable => `${((await stat(executable)).size / 1024 / 1024).toFixed(1)} MiB`;

/**
 * This Node's binary, stripped of its debug symbols, with the blob injected.
 * @param {string} blob
 */
const buildHostExecutable = async blob => {
	const executable = join(root, 'dist/bin', `fwcheck-${process.platform}-${process.arch}`);
	await rm(executable, {force: true});
	await copyFile(process.execPath, executable);
	await chmod(executable, 0o755);
	// This Node carries its debug symbols: 12 MB the executable does not need. Done before the
	// injection, so the blob's ELF note stays as postject writes it.
	const stripped = await run('strip', [executable]).then(
		() => true,
		() => false,
	);
	await inject(executable, blob);
	const note = stripped ? '' : ' (not stripped: no `strip` here)';
	console.log(`${executable.slice(root.length + 1)}: ${await sizeOf(executable)}, Node ${process.version}${note}`);
};

/**
 * The official node.exe with the blob injected. Its Authenticode signature is removed first:
 * injecting breaks it, and a broken signature reads worse to Windows than none.
 * @param {string} blob
 * @param {string} work
 */
const buildWindowsExecutable = async (blob, work) => {
	const executable = join(root, 'dist/bin/fwcheck-win-x64.exe');
	await rm(executable, {force: true});
	const official = await officialNodeExe(work);
	await run('osslsigncode', ['remove-signature', '-in', official, '-out', executable]).catch((/** @type {unknown} */ error) => {
		const failed = /** @type {{code?: string, stderr?: string, message?: string}} */ (error);
		throw new Error(
			failed.code === 'ENOENT'
				? "osslsigncode is not installed (apt-get install osslsigncode): it removes node.exe's signature"
				: `osslsigncode remove-signature failed: ${String(failed.stderr ?? failed.message).trim()}`,
		);
	});
	await inject(executable, blob);
	console.log(`${executable.slice(root.length + 1)}: ${await sizeOf(executable)}, official node.exe ${process.version}`);
};

const work = await mkdtemp(join(tmpdir(), 'fwcheck-sea-'));
try {
	const bundle = join(work, 'fwcheck.mjs');
	const inputs = await buildBundle(bundle);
	await writeFile(join(work, 'main.cjs'), loader);
	const blob = join(work, 'sea-prep.blob');
	const seaConfig = {
		main: join(work, 'main.cjs'),
		output: blob,
		disableExperimentalSEAWarning: true,
		useSnapshot: false,
		useCodeCache: false,
		assets: {'fwcheck.mjs': bundle},
	};
	await writeFile(join(work, 'sea-config.json'), JSON.stringify(seaConfig));
	await run(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')]);

	await mkdir(join(root, 'dist/bin'), {recursive: true});
	await buildHostExecutable(blob);
	await buildWindowsExecutable(blob, work);

	// Both executables are the same Node version: one licence covers them.
	const notices = await thirdPartyNotices(inputs);
	await writeFile(
		join(root, 'dist/bin/THIRD-PARTY-NOTICES.txt'),
		`${notices}\n---\n\nNode.js ${process.version}\n\n${await nodeLicence()}`,
	);
} finally {
	await rm(work, {recursive: true, force: true});
}
