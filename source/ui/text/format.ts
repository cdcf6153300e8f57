import type {PortResult, TestDetail} from '../../check/types.js';
import {type VerdictCode, verdict} from '../../check/verdicts.js';
import type {Tone} from './line.js';

export const formatMs = (ms: number): string => (ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`);

export const plural = (count: number, word: string, many = `${word}s`): string => `${count} ${count === 1 ? word : many}`;

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
		return '– not checked';
	}

	const {symbol, label} = verdict(result.code);
	return `${symbol} ${label}`;
};

/** One test's table cell: a word first, a timing when there is one (not for Test 3: its column is narrow). */
export const testCell = (detail: TestDetail, which: 1 | 2 | 3): {text: string; tone: Tone} => {
	switch (detail.outcome) {
		case 'pass': {
			const timing = detail.rttMs === null || which === 3 ? '' : ` ${formatMs(detail.rttMs)}`;
			return {text: `✔ pass${timing}`, tone: 'ok'};
		}

		case 'fail': {
			// A Test 2 reply from the wrong address is a different story from silence: say so.
			const wrong = which === 2 && detail.wrongSource.length > 0;
			return {text: wrong ? '✘ wrong src' : which === 3 ? '✘ fail' : '✘ no reply', tone: 'bad'};
		}

		default: {
			return {text: which === 3 ? '– skip' : '– skipped', tone: 'muted'};
		}
	}
};
