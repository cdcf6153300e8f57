import type {PortResult, TestDetail} from '../../check/types.js';
import {type VerdictCode, verdict} from '../../check/verdicts.js';
import {formatDecimal, words} from '../../catalog/index.js';
import type {Tone} from './line.js';

export const formatMs = (ms: number): string => words().tui.milliseconds(formatDecimal(ms, ms < 10 ? 1 : 0));

export const toneOfCode = (code: VerdictCode | null): Tone => {
	switch (code) {
		case 'ok':
		case 'sip-service-ok':
		case 'sip-reached-fwcheck':
		case 'tcp-ok': {
			return 'ok';
		}

		case 'port-in-use':
		case 'port-not-permitted':
		case 'tcp-busy-reached': {
			return 'warn';
		}

		case 'cancelled':
		case 'services-unavailable':
		case null: {
			return 'muted';
		}

		default: {
			return 'bad';
		}
	}
};

/** Symbol plus word, so a verdict reads the same with or without colour. */
export const verdictText = (result: Pick<PortResult, 'code'>): string => {
	// A skipped port with a code says why (a cancel, a port it may not bind); without one it never started.
	if (!result.code) {
		return words().tui.table.notChecked;
	}

	const {symbol, label} = verdict(result.code);
	return `${symbol} ${label}`;
};

/** One test's table cell: a word first, a timing when there is one (not for Test 3: its column is narrow). */
export const testCell = (detail: TestDetail, which: 1 | 2 | 3): {text: string; tone: Tone} => {
	const table = words().tui.table;
	switch (detail.outcome) {
		case 'pass': {
			const timing = detail.rttMs === null || which === 3 ? '' : ` ${formatMs(detail.rttMs)}`;
			return {text: `${table.pass}${timing}`, tone: 'ok'};
		}

		case 'fail': {
			// A Test 2 reply from the wrong address is a different story from silence: say so.
			const wrong = which === 2 && detail.wrongSource.length > 0;
			return {text: wrong ? table.wrongSource : which === 3 ? table.fail : table.noReply, tone: 'bad'};
		}

		default: {
			return {text: which === 3 ? table.skip : table.skipped, tone: 'muted'};
		}
	}
};
