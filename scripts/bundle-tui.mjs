// Bundles the TUI (Ink, React and our components) into one file. Node's loader otherwise reads
// about 600 small modules at start-up (a second of CPU on this machine); one file takes a fifth.
import path from 'node:path';
import {build} from 'esbuild';
import {cachedStringWidth, inkRowCache, tuiDefine} from './tui-bundling.mjs';

const outfile = 'dist/ui/render.bundle.js';
const catalog = path.resolve('dist/catalog');

/**
 * The catalog stays outside the bundle, imported from dist/catalog/: the CLI chooses the language
 * in that module before it loads the TUI, and a copy inside the bundle would keep speaking English.
 */
/** @type {import('esbuild').Plugin} */
const sharedCatalog = {
	name: 'shared-catalog',
	setup(bundle) {
		bundle.onResolve({filter: /[\\/]catalog[\\/]/}, args => {
			const target = path.resolve(args.resolveDir, args.path);
			if (!target.startsWith(catalog + path.sep)) {
				return undefined;
			}

			return {
				path: path
					.relative(path.dirname(path.resolve(outfile)), target)
					.split(path.sep)
					.join('/'),
				external: true,
			};
		});
	},
};

await build({
	entryPoints: ['dist/ui/render.js'],
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	logLevel: 'warning',
	define: {'process.env.NODE_ENV': '"production"', ...tuiDefine},
	plugins: [cachedStringWidth, inkRowCache, sharedCatalog],
	alias: {'react-devtools-core': './scripts/devtools-stub.ts'},
	// Some of Ink's dependencies are CommonJS and call require().
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
});
