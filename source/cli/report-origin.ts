import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';
import type {SweepRunner} from '../check/sweep.js';
import type {CheckReport, ReportOrigin, SweepEvent} from '../check/types.js';
import {embedded} from './one-file.js';

const pad = (value: number, width = 2): string => String(Math.trunc(value)).padStart(width, '0');

/**
 * ISO 8601 in the machine's own time zone, with its offset (2026-12-05T14:28:50+01:00): a reader
 * of a merged table sees the time the customer's machine saw, and can still compare instants.
 */
export const isoWithOffset = (date: Date): string => {
	const offset = -date.getTimezoneOffset();
	const sign = offset < 0 ? '-' : '+';
	const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
	return `${day}T${time}${sign}${pad(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
};

/** package.json's version: carried inside a one-file build, else read next to the modules. */
export const fwcheckVersion = (): string => {
	const carried = embedded?.packageJson.version;
	if (typeof carried === 'string') {
		return carried;
	}

	try {
		// source/cli/ and dist/cli/ both sit two folders below package.json.
		const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version?: unknown};
		return typeof manifest.version === 'string' ? manifest.version : 'unknown';
	} catch {
		return 'unknown';
	}
};

/** The origin of a check starting now on this machine. */
export const thisMachine = (now = new Date()): ReportOrigin => ({
	fwcheckVersion: fwcheckVersion(),
	host: hostname(),
	checkedAt: isoWithOffset(now),
});

/**
 * A runner whose reports (the 'done' event's and the final one) say which machine made them and
 * when the check started; `origin` is called once, as the check starts.
 */
export const stampedRunner =
	(run: SweepRunner, origin: () => ReportOrigin = thisMachine): SweepRunner =>
	async (config, options) => {
		const stamp = origin();
		const stamped = (report: CheckReport): CheckReport => ({...report, origin: stamp});
		const report = await run(config, {
			...options,
			onEvent(event: SweepEvent) {
				options.onEvent(event.type === 'done' ? {...event, report: stamped(event.report)} : event);
			},
		});
		return stamped(report);
	};
