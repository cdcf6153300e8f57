import type {PortOwnerInfo} from './types.js';

/**
 * How a duration reads everywhere (TUI header, summaries, reports): "12.4 s" under a minute,
 * "4 min 05 s" above, as a person reads a stopwatch.
 */
export const formatDuration = (ms: number): string => {
	if (ms < 60_000) {
		return `${(ms / 1000).toFixed(1)} s`;
	}

	const seconds = Math.floor(ms / 1000);
	return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
};

/** How a port's owner reads everywhere: "asterisk (pid 812)", or "pid 812" when it has no name. */
export const formatOwner = ({name, pid}: PortOwnerInfo): string => (name ? `${name} (pid ${pid})` : `pid ${pid}`);
