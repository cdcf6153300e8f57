import {systemClock, type Clock} from '../net/clock.js';
import type {SweepRunner} from '../check/sweep.js';
import type {CheckReport} from '../check/types.js';
import {watchUntilPass} from '../check/watch-loop.js';
import {watchedPorts} from '../check/watch-rules.js';
import {watchEndLine, watchRoundLine, watchStartLine} from '../report/watch-lines.js';

export interface PlainWatchOptions {
	pauseMs: number;
	/** Ring the bell (BEL) once for each round that brought a port to pass. */
	bell: boolean;
	/** Where the watch lines go: stdout, or stderr beside --json. */
	write: (line: string) => void;
	/** Writes BEL where the user hears it. */
	ring: () => void;
	/** The first check's report, before watching starts (the plain summary). */
	onFirst?: (report: CheckReport) => void;
	clock?: Clock;
	wallClock?: () => number;
}

/**
 * A runner that, after the first check, watches its failed and busy ports round after round
 * (check/watch-loop.ts) and resolves with the last complete result, so the summary, the JSON
 * document and the metrics file all describe the end of the watch.
 */
export const plainWatch =
	(
		run: SweepRunner,
		{pauseMs, bell, write, ring, onFirst, clock = systemClock, wallClock = Date.now}: PlainWatchOptions,
	): SweepRunner =>
	async (config, options) => {
		const first = await run(config, options);
		if (first.status !== 'fail' || options.signal.aborted) {
			return first;
		}

		onFirst?.(first);
		const ports = watchedPorts(first.ports);
		if (ports.length === 0) {
			write('Nothing to watch: no port failed or was busy.');
			return first;
		}

		write(watchStartLine(ports, pauseMs));
		const outcome = await watchUntilPass(config, first, run, {
			pauseMs,
			signal: options.signal,
			clock,
			wallClock,
			onRound(round) {
				write(watchRoundLine(round));
				if (bell && round.passing.length > 0) {
					ring();
				}
			},
		});
		write(watchEndLine(outcome));
		return outcome.report;
	};
