// Measuring one process: a wrapper shell records its children's CPU before and after, runs the
// command under GNU time when there is one, and writes the command's pid (for VmHWM polling)
// and exit status. The optional GO file lets tmux start the pane before the app writes a byte.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {parseGnuTime, vmHwmKb} from '../../scripts/support/resources.js';

export const WRAPPER = `#!/bin/sh
# wrapper.sh OUT [GO] -- command...
out=$1; go=$2; shift 3
if [ -n "$go" ]; then
	i=0
	while [ ! -e "$go" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
fi
cat /proc/$$/stat > "$out/stat-before"
if [ -n "$BENCH_GNU_TIME" ]; then
	"$BENCH_GNU_TIME" -v -o "$out/time.txt" sh -c 'echo $$ > "$0/pid"; exec "$@"' "$out" "$@"
else
	sh -c 'echo $$ > "$0/pid"; exec "$@"' "$out" "$@"
fi
code=$?
cat /proc/$$/stat > "$out/stat-after"
echo $code > "$out/exit"
`;

export type Measure = {
	cpuS: number | undefined;
	userS: number | undefined;
	sysS: number | undefined;
	rssKb: number | undefined;
	exitCode: number | undefined;
	source: 'gnu-time' | 'cutime+VmHWM';
};

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8', timeout: 5000}).stdout?.trim()) || 100;

/** cutime + cstime of the wrapper shell, in seconds (fields 16 and 17 of /proc/PID/stat). */
function childTicks(file: string): number | undefined {
	if (!existsSync(file)) return undefined;
	const text = readFileSync(file, 'utf8');
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const cutime = Number(fields[13]);
	const cstime = Number(fields[14]);
	return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / CLK_TCK : undefined;
}

const measuredPid = (out: string): number | undefined => {
	try {
		return Number(readFileSync(path.join(out, 'pid'), 'utf8').trim()) || undefined;
	} catch {
		return undefined; // not started yet
	}
};

/** Polls the command's VmHWM while it runs (fallback for GNU time's maximum RSS). */
export function watchRss(out: string): {stop: () => number} {
	let hwm = 0;
	let pid: number | undefined;
	const timer = setInterval(() => {
		pid ??= measuredPid(out);
		if (pid !== undefined) hwm = Math.max(hwm, vmHwmKb(pid) ?? 0);
	}, 20);
	return {
		stop() {
			clearInterval(timer);
			return hwm;
		},
	};
}

export function readMeasure(out: string, polledRssKb: number, gnu: boolean): Measure {
	const exitText = existsSync(path.join(out, 'exit')) ? readFileSync(path.join(out, 'exit'), 'utf8').trim() : '';
	let exitCode = exitText === '' ? undefined : Number(exitText);
	const before = childTicks(path.join(out, 'stat-before'));
	const after = childTicks(path.join(out, 'stat-after'));
	const cutimeCpu = before !== undefined && after !== undefined ? after - before : undefined;
	const timeFile = path.join(out, 'time.txt');
	if (gnu && existsSync(timeFile)) {
		const time = parseGnuTime(readFileSync(timeFile, 'utf8'));
		if (time.exitCode !== undefined) exitCode = time.exitCode;
		return {
			cpuS: time.userS !== undefined && time.sysS !== undefined ? time.userS + time.sysS : cutimeCpu,
			userS: time.userS,
			sysS: time.sysS,
			rssKb: time.rssKb ?? (polledRssKb || undefined),
			exitCode,
			source: 'gnu-time',
		};
	}
	return {cpuS: cutimeCpu, userS: undefined, sysS: undefined, rssKb: polledRssKb || undefined, exitCode, source: 'cutime+VmHWM'};
}

/** Kills the measured command if it is still alive (by the pid the wrapper wrote). */
export function killMeasured(out: string): void {
	const pid = measuredPid(out);
	try {
		if (pid !== undefined && pid > 0) process.kill(pid, 'SIGKILL');
	} catch {
		// gone
	}
}
