// Bundles the TUI (Ink, React and our components) into one file. Node's loader otherwise reads
// about 600 small modules at start-up (a second of CPU on this machine); one file takes a fifth.
import path from 'node:path';
import {build} from 'esbuild';

const widthCache = path.resolve('scripts/string-width-cache.js');

/** string-width (the copy in our package.json) through scripts/string-width-cache.js; see there why. */
const cachedStringWidth = {
	name: 'cached-string-width',
	setup(bundle) {
		bundle.onResolve({filter: /^string-width$/}, async args => {
			if (args.importer === widthCache || args.pluginData === 'real') {
				return undefined;
			}

			const real = await bundle.resolve('string-width', {kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real'});
			const ours = await bundle.resolve('string-width', {kind: args.kind, resolveDir: path.resolve('.'), pluginData: 'real'});
			// Only the copy we depend on: a dependency's own older copy keeps its own behaviour.
			return real.path === ours.path ? {path: widthCache} : real;
		});
	},
};

await build({
	entryPoints: ['dist/ui/render.js'],
	outfile: 'dist/ui/render.bundle.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	logLevel: 'warning',
	define: {
		'process.env.NODE_ENV': '"production"',
		// Yoga's wasm loader asks `typeof fetch` and fetches its own inline data: URL. In Node the
		// first look at the global fetch loads undici (about 40 ms of CPU at every start); without
		// fetch the loader decodes the same inline bytes itself.
		fetch: 'undefined',
	},
	plugins: [cachedStringWidth],
	alias: {'react-devtools-core': './scripts/devtools-stub.js'},
	// Some of Ink's dependencies are CommonJS and call require().
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
});
