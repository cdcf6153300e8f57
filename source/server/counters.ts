import type {DropReason, ServerDecision} from './respond.js';

/** What the server did since it started. */
export interface ServerStats {
	/** Success responses sent. */
	answered: number;
	/** Success responses by request style and by what CHANGE-REQUEST asked. */
	answeredByKind: {
		rfc8489: number;
		rfc3489: number;
		changeIp: number;
		changePort: number;
		changeBoth: number;
	};
	/** 420 Unknown Attribute replies (including CHANGE-REQUEST without an alternate address). */
	unknownAttribute420: number;
	/** 400 Bad Request replies (a CHANGE-REQUEST or RESPONSE-PORT of the wrong shape, or RESPONSE-PORT with PADDING). */
	badRequest400: number;
	/** Replies not sent because the source or the total went over its rate. */
	rateLimited: number;
	/** Datagrams that were not well-formed STUN. */
	droppedMalformed: number;
	/** Responses and indications: never answered. */
	droppedNotRequest: number;
	/** Requests for methods other than Binding. */
	droppedOtherMethod: number;
	/** Replies the OS refused to send. */
	sendErrors: number;
	/** Datagrams whose handling threw: a bug, counted instead of taking the server down. */
	internalErrors: number;
	/** Sources the rate limiter remembers now. */
	sources: number;
}

export const emptyStats = (): ServerStats => ({
	answered: 0,
	answeredByKind: {rfc8489: 0, rfc3489: 0, changeIp: 0, changePort: 0, changeBoth: 0},
	unknownAttribute420: 0,
	badRequest400: 0,
	rateLimited: 0,
	droppedMalformed: 0,
	droppedNotRequest: 0,
	droppedOtherMethod: 0,
	sendErrors: 0,
	internalErrors: 0,
	sources: 0,
});

export const copyStats = (stats: ServerStats): ServerStats => ({...stats, answeredByKind: {...stats.answeredByKind}});

const dropCounter: Record<DropReason, 'droppedMalformed' | 'droppedNotRequest' | 'droppedOtherMethod'> = {
	malformed: 'droppedMalformed',
	'not-request': 'droppedNotRequest',
	'other-method': 'droppedOtherMethod',
};

export const countDrop = (stats: ServerStats, reason: DropReason): void => {
	stats[dropCounter[reason]]++;
};

export const countReply = (stats: ServerStats, reply: Extract<ServerDecision, {action: 'reply'}>): void => {
	if (reply.outcome === 'unknown-attribute') {
		stats.unknownAttribute420++;
		return;
	}

	if (reply.outcome === 'bad-request') {
		stats.badRequest400++;
		return;
	}

	stats.answered++;
	stats.answeredByKind[reply.style]++;
	if (reply.change === 'ip') {
		stats.answeredByKind.changeIp++;
	} else if (reply.change === 'port') {
		stats.answeredByKind.changePort++;
	} else if (reply.change === 'both') {
		stats.answeredByKind.changeBoth++;
	}
};

const counts = (stats: ServerStats): number[] => [
	stats.answered,
	stats.unknownAttribute420,
	stats.badRequest400,
	stats.rateLimited,
	stats.droppedMalformed,
	stats.droppedNotRequest,
	stats.droppedOtherMethod,
	stats.sendErrors,
	stats.internalErrors,
];

/**
 * One log line for the period between two snapshots, or undefined when nothing happened, so an
 * idle server writes nothing and a busy one writes one line a period, never one per packet.
 */
export const formatStatsLine = (previous: ServerStats, current: ServerStats, periodMs: number): string | undefined => {
	const before = counts(previous);
	const delta = counts(current).map((value, index) => value - (before[index] ?? 0));
	if (delta.every(value => value === 0)) {
		return undefined;
	}

	const [answered, e420, e400, limited, malformed, notRequest, otherMethod, sendErrors, internalErrors] = delta as [
		number,
		number,
		number,
		number,
		number,
		number,
		number,
		number,
		number,
	];
	const kind = (name: keyof ServerStats['answeredByKind']) => current.answeredByKind[name] - previous.answeredByKind[name];
	return (
		`stun: last ${Math.round(periodMs / 1000)}s: answered ${answered}` +
		` (rfc8489 ${kind('rfc8489')}, rfc3489 ${kind('rfc3489')};` +
		` change ip ${kind('changeIp')}, port ${kind('changePort')}, both ${kind('changeBoth')}),` +
		` 420 ${e420}, 400 ${e400}, rate-limited ${limited},` +
		` dropped malformed ${malformed}, not-request ${notRequest}, other-method ${otherMethod},` +
		` send errors ${sendErrors}${internalErrors > 0 ? `, internal errors ${internalErrors}` : ''}; sources tracked ${current.sources}`
	);
};
