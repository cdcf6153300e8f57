import {skippedPort} from '../../check/classify.js';
import {overallCode} from '../../check/sweep.js';
import type {CheckReport} from '../../check/types.js';
import {verdict} from '../../check/verdicts.js';
import type {Row} from './types.js';

/**
 * The report after a re-run: every row's latest result, with the verdict worked out again over
 * all of them (a re-run of ten ports alone would otherwise decide the overall verdict).
 */
export const mergeReport = (previous: CheckReport, next: CheckReport, rows: Row[]): CheckReport => {
	const ports = rows.map(row => row.result ?? skippedPort(row.port, 'Not checked.'));
	const unchecked = ports.some(result => result.status === 'skipped');
	const code = unchecked ? 'cancelled' : overallCode(ports);
	return {
		...next,
		status: unchecked ? 'cancelled' : code === 'ok' ? 'pass' : 'fail',
		code,
		message: verdict(code).sentence,
		server: next.server ?? previous.server,
		publicAddress: next.publicAddress ?? previous.publicAddress,
		localAddress: next.localAddress ?? previous.localAddress,
		durationMs: previous.durationMs + next.durationMs,
		ports,
		serversTried: [...previous.serversTried, ...next.serversTried],
		pacing: {
			finalRate: next.pacing.finalRate ?? previous.pacing.finalRate,
			slowdowns: [...previous.pacing.slowdowns, ...next.pacing.slowdowns],
			confirmed: previous.pacing.confirmed + next.pacing.confirmed,
			flipped: previous.pacing.flipped + next.pacing.flipped,
		},
		stats: {
			packetsSent: previous.stats.packetsSent + next.stats.packetsSent,
			dropped: {
				garbage: previous.stats.dropped.garbage + next.stats.dropped.garbage,
				unknownTransaction: previous.stats.dropped.unknownTransaction + next.stats.dropped.unknownTransaction,
				wrongSource: previous.stats.dropped.wrongSource + next.stats.dropped.wrongSource,
			},
		},
	};
};
