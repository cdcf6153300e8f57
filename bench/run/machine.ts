// The lines of bench/results.md that say what was measured on: the build, the CPU, the system.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import {REPO} from '../../scripts/support/paths.js';

export function machine(): string[] {
	const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
	const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
	const git = (args: string[]): string =>
		spawnSync('git', ['-C', REPO, ...args], {encoding: 'utf8', timeout: 5000}).stdout?.trim() ?? '';
	const head = git(['log', '-1', '--format=%h %ci %s']) || 'unknown';
	const dirty = git(['status', '--porcelain', '--', 'source']).split('\n').filter(Boolean).length;
	return [
		`- fwcheck built from ${head}${dirty > 0 ? ` + uncommitted changes in ${dirty} file(s) under source/` : ''}`,
		`- nproc: ${os.availableParallelism()}; CPU: ${model}; RAM: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
		`- node ${process.version}; kernel ${os.release()}; ${new Date().toISOString()}`,
	];
}
