// pion's stun-nat-behaviour (RFC 5780 §4.3 and §4.4, in Go), built from Debian's
// golang-github-pion-stun-dev with Debian's Go, offline: GOPATH mode, no module proxy.
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {findCommand} from './support.js';

/** Where Debian's package puts the command's source. */
const GOPATH = '/usr/share/gocode';
const SOURCE = path.join(GOPATH, 'src/github.com/pion/stun/cmd/stun-nat-behaviour');

/** What is missing to build it, for a skip or (under CI=true) a failure; empty when nothing is. */
export const pionMissing = (): string[] => [
	...(findCommand('go') ? [] : ['go (apt-get install golang-go)']),
	...(existsSync(SOURCE) ? [] : [`${SOURCE} (apt-get install golang-github-pion-stun-dev)`]),
];

export interface BuiltTool {
	readonly file: string;
	/** How long the build took, for the test's diagnostics. */
	readonly buildMs: number;
	remove(): Promise<void>;
}

/**
 * Build the command into a fresh temporary folder, its Go build cache beside it, so a run leaves
 * nothing behind. Throws with the compiler's output when the build fails.
 */
export const buildPionNatBehaviour = async (): Promise<BuiltTool> => {
	const folder = await mkdtemp(path.join(tmpdir(), 'fwcheck-pion-'));
	const file = path.join(folder, 'stun-nat-behaviour');
	const started = Date.now();
	const result = await execa(findCommand('go') ?? 'go', ['build', '-o', file, '.'], {
		cwd: SOURCE,
		reject: false,
		all: true,
		timeout: 300_000,
		stdin: 'ignore',
		// GOPATH mode finds pion's packages where Debian put them; GOPROXY=off forbids any download.
		env: {GO111MODULE: 'off', GOPATH, GOPROXY: 'off', GOFLAGS: '', GOCACHE: path.join(folder, 'cache')},
	});
	const remove = async () => rm(folder, {recursive: true, force: true});
	if (result.exitCode !== 0 || !existsSync(file)) {
		await remove();
		throw new Error(`go build of stun-nat-behaviour failed:\n${result.all ?? ''}`);
	}

	return {file, buildMs: Date.now() - started, remove};
};
