// What every bundle that carries the TUI sets for Ink (scripts/bundle-tui.mjs, scripts/build-bundle.mjs).
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const widthCache = path.join(root, 'scripts', 'string-width-cache.ts');
const rowCache = path.join(root, 'scripts', 'ink-row-cache.ts');

export const tuiDefine = {
	// Yoga's wasm loader asks `typeof fetch` and fetches its own inline data: URL. In Node the first
	// look at the global fetch loads undici (about 30-40 ms of CPU at every start); without fetch the
	// loader decodes the same inline bytes itself. Nothing else in the bundles uses fetch.
	fetch: 'undefined',
};

/** string-width (the copy in our package.json) through scripts/string-width-cache.ts; see there why. */
/** @type {import('esbuild').Plugin} */
export const cachedStringWidth = {
	name: 'cached-string-width',
	setup(bundle) {
		bundle.onResolve({filter: /^string-width$/}, async args => {
			if (args.importer === widthCache || args.pluginData === 'real') {
				return undefined;
			}

			const real = await bundle.resolve('string-width', {kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real'});
			const ours = await bundle.resolve('string-width', {kind: args.kind, resolveDir: root, pluginData: 'real'});
			// Only the copy we depend on: a dependency's own older copy keeps its own behaviour.
			return real.path === ours.path ? {path: widthCache} : real;
		});
	},
};

/** Ink's Output (what its renderer imports) through scripts/ink-row-cache.ts; see there why. */
/** @type {import('esbuild').Plugin} */
export const inkRowCache = {
	name: 'ink-row-cache',
	setup(bundle) {
		let used = false;
		bundle.onResolve({filter: /^\.\/output\.js$/}, args => {
			if (!/[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer)) {
				return undefined;
			}

			used = true;
			// Not named after the real file: the notices would take this module for part of Ink.
			return {path: 'output', namespace: 'ink-row-cache', pluginData: path.join(path.dirname(args.importer), 'output.js')};
		});
		bundle.onLoad({filter: /.*/, namespace: 'ink-row-cache'}, args => ({
			contents: [
				`import InkOutput from ${JSON.stringify(args.pluginData)};`,
				`import {withRowCache} from ${JSON.stringify(rowCache)};`,
				'export default withRowCache(InkOutput);',
			].join('\n'),
			resolveDir: root,
		}));
		bundle.onEnd(result => {
			// An Ink that no longer imports ./output.js from its renderer would lose the cache unseen.
			if (result.errors.length === 0 && !used) {
				throw new Error("ink-row-cache: Ink's renderer no longer imports ./output.js; see scripts/ink-row-cache.ts");
			}
		});
	},
};
