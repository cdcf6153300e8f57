// Bundles the TUI (Ink, React and our components) into one file. Node's loader otherwise reads
// about 600 small modules at start-up (a second of CPU on this machine); one file takes a fifth.
import {build} from 'esbuild';
import {cachedStringWidth, inkRowCache, tuiDefine} from './tui-bundling.mjs';

await build({
	entryPoints: ['dist/ui/render.js'],
	outfile: 'dist/ui/render.bundle.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	logLevel: 'warning',
	define: {'process.env.NODE_ENV': '"production"', ...tuiDefine},
	plugins: [cachedStringWidth, inkRowCache],
	alias: {'react-devtools-core': './scripts/devtools-stub.ts'},
	// Some of Ink's dependencies are CommonJS and call require().
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
});
