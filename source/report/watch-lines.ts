/**
 * The plain output's watch lines (--watch): one as watching starts, one per round (its number,
 * when it ended, what changed), one when it stops.
 */
import type {WatchOutcome, WatchRound} from '../check/watch-loop.js';
import {verdict} from '../check/verdicts.js';
import {describePorts} from '../ports/ranges.js';
import {clockTime} from '../words/format.js';

const portsWord = (count: number): string => `${count} port${count === 1 ? '' : 's'}`;

export const watchStartLine = (ports: readonly number[], pauseMs: number): string =>
	`Watching ${portsWord(ports.length)} that failed or were busy (${describePorts([...ports])}): a round every ${Math.round(pauseMs / 1000)} s until they pass, an hour at most; Ctrl+C stops.`;

/** "Round 3 at 14:03:12: 9000-9499 ok since 14:03:12; 500 still failing (9500-9999)". */
export const watchRoundLine = ({round, at, passing, changed, left, services, notRun}: WatchRound): string => {
	const head = `Round ${round} at ${clockTime(at)}`;
	if (notRun !== undefined) {
		return `${head}: could not check (${notRun}); trying again`;
	}

	const news = [
		...(passing.length > 0 ? [`${describePorts(passing)} ok since ${clockTime(at)}`] : []),
		...changed.map(({code, ports}) => `${describePorts(ports)} now ${verdict(code).label}`),
		...(services && services.after !== services.before
			? [services.after === null ? 'the service checks pass now' : `service checks now ${verdict(services.after).label}`]
			: []),
	];
	const still =
		left.length > 0 ? `${portsWord(left.length)} still failing (${describePorts(left)})` : 'every watched port passes';
	return `${head}: ${news.length > 0 ? news.join('; ') : 'no change'}; ${still}`;
};

const stopWords: Record<WatchOutcome['stopped'], string> = {
	'all pass': 'Watch done: every watched port passes now',
	'an hour': 'Watch stopped after an hour: the last result stands',
	stopped: 'Watch stopped: the last result stands',
};

export const watchEndLine = ({stopped, rounds}: WatchOutcome): string =>
	`${stopWords[stopped]} (${rounds} round${rounds === 1 ? '' : 's'}).`;
