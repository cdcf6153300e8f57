// The Windows executable (dist/bin/fwcheck-win-x64.exe) run under Wine inside a lab namespace.
// Wine's sockets are opened by its wineserver, which runs in the namespace it was started from:
// so each namespace gets its own prefix, first used (and its server started) from inside it.
// Wine is not Windows in two more ways: a piped stdin, stdout or stderr kills Node with
// `open EBADF` (so stdio are files, handed over as descriptors: execa's {file} would still pipe),
// and Node 20 refuses Windows 7, a new prefix's default version (so the prefix says win10).
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, open, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {nsArgs, nsRun} from './netns.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
export const WINDOWS_EXE = path.join(REPO, 'dist', 'bin', 'fwcheck-win-x64.exe');
export const WINE = '/usr/lib/wine/wine64';
const WINESERVERS = ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver'];

/** Why Wine cannot run here, or undefined when it can (the executable is checked separately). */
export function wineMissing(): string | undefined {
	if (!existsSync(WINE)) return `${WINE} is missing (apt-get install wine64)`;
	if (!WINESERVERS.some(file => existsSync(file))) return `no wineserver in ${WINESERVERS.join(' or ')}`;
	return undefined;
}

export type WinePrefix = {
	/** The namespace whose wineserver this prefix uses. */
	readonly ns: string;
	readonly dir: string;
	/** Stops the prefix's wineserver (and with it any Windows process left) and removes the prefix. */
	remove(): Promise<void>;
};

export type WindowsRun = {exitCode: number | undefined; stdout: string; stderr: string; durationMs: number};

const environment = (dir: string): Record<string, string> => ({WINEPREFIX: path.join(dir, 'prefix'), WINEDEBUG: '-all'});

/** A new prefix in a temp directory, set to Windows 10 from inside `ns` (its wineserver starts there). */
export async function createWinePrefix(ns: string, timeoutMs = 180_000): Promise<WinePrefix> {
	const dir = await mkdtemp(path.join(tmpdir(), 'fwcheck-wine-lab-'));
	const env = environment(dir);
	const remove = async () => {
		const wineserver = WINESERVERS.find(file => existsSync(file));
		if (wineserver) {
			// -k ends the server and every process of the prefix; -w waits until it has gone.
			await nsRun(ns, wineserver, ['-k'], {env, reject: false, timeoutMs: 20_000});
			await nsRun(ns, wineserver, ['-w'], {env, reject: false, timeoutMs: 20_000});
		}

		await rm(dir, {recursive: true, force: true, maxRetries: 5});
	};

	try {
		const setUp = await nsRun(ns, WINE, ['reg', 'add', String.raw`HKCU\Software\Wine`, '/v', 'Version', '/d', 'win10', '/f'], {
			env,
			reject: false,
			timeoutMs,
		});
		if (setUp.exitCode !== 0)
			throw new Error(`wine reg add in ${ns} failed (${setUp.exitCode ?? 'timeout'}): ${setUp.stderr.trim()}`);
	} catch (error) {
		await remove();
		throw error;
	}

	return {ns, dir, remove};
}

/** Runs the Windows executable in the prefix's namespace, stdio through files. */
export async function runWindowsFwcheck(prefix: WinePrefix, args: readonly string[], timeoutMs = 180_000): Promise<WindowsRun> {
	const name = `run-${Math.random().toString(36).slice(2)}`;
	const [input, output, errors] = ['in', 'out', 'err'].map(end => path.join(prefix.dir, `${name}.${end}`)) as [
		string,
		string,
		string,
	];
	await writeFile(input, '');
	const files = await Promise.all([open(input, 'r'), open(output, 'w'), open(errors, 'w')]);
	const started = Date.now();
	try {
		// `ip netns exec` execs Wine in place: the descriptors reach Wine as they are.
		const child = spawn('ip', nsArgs(prefix.ns, WINE, [WINDOWS_EXE, ...args]), {
			cwd: prefix.dir,
			env: {...process.env, ...environment(prefix.dir)},
			stdio: [files[0].fd, files[1].fd, files[2].fd],
			timeout: timeoutMs,
			killSignal: 'SIGKILL',
		});
		const exitCode = await new Promise<number | undefined>(resolve => {
			child.once('error', () => {
				resolve(undefined);
			});
			child.once('close', code => {
				resolve(code ?? undefined);
			});
		});
		return {
			exitCode,
			stdout: await readFile(output, 'utf8'),
			stderr: await readFile(errors, 'utf8'),
			durationMs: Date.now() - started,
		};
	} finally {
		await Promise.all(files.map(async file => file.close()));
	}
}
