/**
 * What the one-file builds (dist/fwcheck.mjs and the standalone executable, see
 * scripts/build-bundle.mjs) carry inside the file, set at build time by esbuild's `define`.
 * Undefined in the tsc build, which finds package.json, the TUI bundle and the demo's worker as
 * files next to its modules.
 */
export interface Embedded {
	/** The fields meow shows for --version and --help. */
	packageJson: Record<string, unknown>;
	/** The demo server's worker, bundled to one CommonJS script for `new Worker(code, {eval: true})`. */
	demoWorkerSource: string;
	/** The worker that runs this host's programs (system/command-thread-worker.ts), the same way. */
	commandWorkerSource: string;
}

declare const FWCHECK_EMBEDDED: Embedded | undefined;

export const embedded: Embedded | undefined = typeof FWCHECK_EMBEDDED === 'undefined' ? undefined : FWCHECK_EMBEDDED;
