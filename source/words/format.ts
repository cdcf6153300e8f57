import {formatDecimal, words} from '../catalog/index.js';
import type {PortOwner} from '../system/port-owner.js';

/**
 * How a duration reads everywhere (TUI header, summaries, reports): "12.4 s" under a minute,
 * "4 min 05 s" above, as a person reads a stopwatch; in the chosen language ("12,4 s", "4分05秒").
 */
export const formatDuration = (ms: number): string => {
	if (ms < 60_000) {
		return words().common.seconds(formatDecimal(ms / 1000, 1));
	}

	const seconds = Math.floor(ms / 1000);
	return words().common.minutesSeconds(String(Math.floor(seconds / 60)), String(seconds % 60).padStart(2, '0'));
};

/** The wall-clock time of day (Date.now()'s scale) as the user's clock reads it: "14:03:12". */
export const clockTime = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

/**
 * What came from outside (a process name, a PBX's status line, bytes an ALG wrote) reaches a
 * terminal and a ticket: control characters (escape sequences, carriage returns) are shown as
 * U+FFFD, never obeyed.
 */
// eslint-disable-next-line no-control-regex
export const printable = (text: string): string => text.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD');

/** How a port's owner reads everywhere: "asterisk (pid 812)", or "pid 812" when it has no name. */
export const formatOwner = ({name, pid}: PortOwner): string => printable(name ? `${name} (pid ${pid})` : `pid ${pid}`);
