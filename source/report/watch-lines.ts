/**
 * The plain output's watch lines (--watch): one as watching starts, one per round (its number,
 * when it ended, what changed), one when it stops; in the chosen language.
 */
import type {WatchOutcome, WatchRound} from '../check/watch-loop.js';
import {verdict} from '../check/verdicts.js';
import {sayNote, words} from '../catalog/index.js';
import {describePorts} from '../ports/ranges.js';
import {clockTime} from '../words/format.js';

export const watchStartLine = (ports: readonly number[], pauseMs: number): string =>
	words().report.watch.start(ports.length, describePorts([...ports]), String(Math.round(pauseMs / 1000)));

/** "Round 3 at 14:03:12: 9000-9499 ok since 14:03:12; 500 ports still failing (9500-9999)". */
export const watchRoundLine = ({round, at, passing, changed, left, services, notRun}: WatchRound): string => {
	const watch = words().report.watch;
	const head = watch.round(round, clockTime(at));
	if (notRun !== undefined) {
		return watch.notRun(head, sayNote(notRun));
	}

	const news = [
		...(passing.length > 0 ? [watch.okSince(describePorts(passing), clockTime(at))] : []),
		...changed.map(({code, ports}) => watch.now(describePorts(ports), verdict(code).label)),
		...(services && services.after !== services.before
			? [services.after === null ? watch.servicesPass : watch.servicesNow(verdict(services.after).label)]
			: []),
	];
	const still = left.length > 0 ? watch.stillFailing(left.length, describePorts(left)) : watch.allPass;
	return watch.line(head, news.length > 0 ? news.join(watch.joiner) : watch.noChange, still);
};

export const watchEndLine = ({stopped, rounds}: WatchOutcome): string => {
	const watch = words().report.watch;
	const stopWords: Record<WatchOutcome['stopped'], string> = {
		'all pass': watch.endAllPass,
		'an hour': watch.endHour,
		stopped: watch.endStopped,
	};
	return watch.end(stopWords[stopped], rounds);
};
