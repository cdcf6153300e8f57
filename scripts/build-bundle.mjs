// Builds dist/fwcheck.mjs: the whole of fwcheck (CLI, TUI with Ink and React, server) in one ES
// module that runs with `node fwcheck.mjs` and no node_modules. It is what the npm package runs,
// and what the standalone executable carries (scripts/build-standalone.mjs).
//
// What a one-file build changes is set through one build-time constant, FWCHECK_EMBEDDED (see
// source/cli/one-file.ts): package.json's fields for --version and --help, and the demo server's
// worker as code, since there is no worker file next to the bundle.
import {chmod, readFile, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {cachedStringWidth, inkRowCache, tuiDefine} from './tui-bundling.mjs';

/** @typedef {import('../source/cli/one-file.js').Embedded} Embedded */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @satisfies {import('esbuild').BuildOptions} */
const shared = {
	absWorkingDir: root,
	bundle: true,
	platform: 'node',
	target: 'node20',
	logLevel: 'warning',
	legalComments: 'none',
	minifyWhitespace: true,
	minifySyntax: true,
};

/**
 * A worker's module as one CommonJS script: a Worker runs it with `eval: true`.
 * @param {string} entry
 */
const buildWorker = async entry => {
	const result = await build({
		...shared,
		entryPoints: [entry],
		format: 'cjs',
		write: false,
		metafile: true,
	});
	const [script] = result.outputFiles;
	if (script === undefined) {
		throw new Error(`esbuild wrote nothing for ${entry}`);
	}

	return {source: script.text, inputs: Object.keys(result.metafile.inputs)};
};

const readPackageJson = async () => {
	/** @type {unknown} */
	const json = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
	const {name, version, description, bin, license} = /** @type {Embedded['packageJson']} */ (json);
	return {name, version, description, bin, license};
};

/** The package folder of a bundled input (node_modules/@scope/name/... or node_modules/name/...). */
const packageFolder = (/** @type {string} */ input) => {
	const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
	return match?.[1];
};

/**
 * Name, version, licence and licence text of every npm package inside the bundle.
 * @param {string[]} inputs
 */
export const thirdPartyNotices = async inputs => {
	const folders = [...new Set(inputs.map(input => packageFolder(input)).filter(folder => folder !== undefined))].sort();
	const sections = [];
	for (const folder of folders) {
		/** @type {unknown} */
		const json = JSON.parse(await readFile(join(root, folder, 'package.json'), 'utf8'));
		const manifest = /** @type {{name: string, version: string, license?: string}} */ (json);
		let text = '';
		for (const name of ['LICENSE', 'license', 'LICENSE.md', 'license.md', 'LICENSE.txt', 'LICENCE']) {
			text = await readFile(join(root, folder, name), 'utf8').catch(() => '');
			if (text) {
				break;
			}
		}

		sections.push(`${manifest.name} ${manifest.version} (${manifest.license ?? 'see its package'})\n\n${text.trim()}\n`);
	}

	return `fwcheck bundles these packages; their licences follow.\n\n${sections.join('\n---\n\n')}`;
};

/**
 * Bundle fwcheck into `outfile`; the bundled files, for the licence notices.
 * @param {string} outfile
 */
export const buildBundle = async outfile => {
	// The demo's server, and the thread that runs this host's programs (the firewall's commands).
	const worker = await buildWorker('source/cli/demo-worker.ts');
	const commandWorker = await buildWorker('source/system/command-thread-worker.ts');
	const embedded = {
		packageJson: await readPackageJson(),
		demoWorkerSource: worker.source,
		commandWorkerSource: commandWorker.source,
	};
	const result = await build({
		...shared,
		entryPoints: ['source/cli.ts'],
		outfile,
		format: 'esm',
		metafile: true,
		define: {
			'process.env.NODE_ENV': '"production"',
			FWCHECK_EMBEDDED: JSON.stringify(embedded),
			...tuiDefine,
		},
		plugins: [cachedStringWidth, inkRowCache],
		// Ink imports react-devtools-core only when DEV=true; the bundle never needs it.
		alias: {'react-devtools-core': './scripts/devtools-stub.ts'},
		// Some of Ink's dependencies are CommonJS and call require() for Node's own modules.
		banner: {
			js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);",
		},
	});
	return [...Object.keys(result.metafile.inputs), ...worker.inputs, ...commandWorker.inputs];
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const outfile = join(root, 'dist/fwcheck.mjs');
	const inputs = await buildBundle(outfile);
	// The shebang comes from source/cli.ts: `./fwcheck.mjs` runs it too.
	await chmod(outfile, 0o755);
	await writeFile(join(root, 'dist/THIRD-PARTY-NOTICES.txt'), await thirdPartyNotices(inputs));
}
