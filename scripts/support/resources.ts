// CPU and memory of a measured process: GNU time -v when the machine has it, /proc otherwise.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

/** True when GNU time (Debian package `time`) is there and prints its verbose report. */
export function gnuTimeWorks(): boolean {
	if (!existsSync(GNU_TIME)) return false;
	const r = spawnSync(GNU_TIME, ['-v', 'true'], {encoding: 'utf8', timeout: 5000});
	return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

export type GnuTimeReport = {
	userS: number | undefined;
	sysS: number | undefined;
	rssKb: number | undefined;
	/** The command's exit status (GNU time reports 128+signal for a killed one). */
	exitCode: number | undefined;
};

/** The fields we use from a `time -v -o FILE` report. */
export function parseGnuTime(text: string): GnuTimeReport {
	const num = (re: RegExp): number | undefined => {
		const value = re.exec(text)?.[1];
		return value === undefined ? undefined : Number(value);
	};
	return {
		userS: num(/User time \(seconds\): ([\d.]+)/),
		sysS: num(/System time \(seconds\): ([\d.]+)/),
		rssKb: num(/Maximum resident set size \(kbytes\): (\d+)/),
		exitCode: num(/Exit status: (\d+)/),
	};
}

/** A process's peak resident set so far (VmHWM, kB); undefined when it is not (yet) there. */
export function vmHwmKb(pid: number): number | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
		return kb === undefined ? undefined : Number(kb);
	} catch {
		return undefined; // not started yet, or gone
	}
}
