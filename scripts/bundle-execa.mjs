// Bundles execa into one file beside the build's modules (dist/system/execa.bundle.js). Loaded
// as its ~150 small modules, execa costs a check about a quarter of a second of CPU at the moment
// it first runs a command (this host's firewall, a busy port's owner, the hop trace); one file
// costs about half that. source/system/load-execa.ts falls back to the package without it.
import {build} from 'esbuild';

await build({
	stdin: {contents: "export {execa} from 'execa';", resolveDir: '.', loader: 'js', sourcefile: 'execa-entry.js'},
	outfile: 'dist/system/execa.bundle.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	logLevel: 'warning',
	legalComments: 'none',
	minifyWhitespace: true,
	minifySyntax: true,
	// cross-spawn and a few others are CommonJS and call require().
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
});
