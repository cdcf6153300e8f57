/** What the services only `fwcheck serve` offers did since the server started. */
export interface ServiceStats {
	/** SIP echo answers sent (200, 488 and 513), UDP and TCP. */
	sipAnswered: number;
	/** Of those, 513 Message Too Large: the echo would have passed 3x the request. */
	sipTooLarge: number;
	/** SIP datagrams and TCP messages not answered: garbage, responses, ACK, oversized. */
	sipDropped: number;
	sipRateLimited: number;
	/** Control requests answered, errors included. */
	controlRequests: number;
	controlErrors: number;
	/** TCP connections (SIP or control) refused at once: too many from one source or in total. */
	connectionsRefused: number;
	/** Control connections dropped because the peer left more than 64 KiB of replies unread. */
	unreadCutOff: number;
	connectBackPorts: number;
	optionsSent: number;
}

export const emptyServiceStats = (): ServiceStats => ({
	sipAnswered: 0,
	sipTooLarge: 0,
	sipDropped: 0,
	sipRateLimited: 0,
	controlRequests: 0,
	controlErrors: 0,
	connectionsRefused: 0,
	unreadCutOff: 0,
	connectBackPorts: 0,
	optionsSent: 0,
});

/** One log line for a period, or undefined when nothing happened (an idle server stays quiet). */
export const formatServiceStatsLine = (previous: ServiceStats, current: ServiceStats, periodMs: number): string | undefined => {
	const delta = (name: keyof ServiceStats) => current[name] - previous[name];
	const names = Object.keys(current) as Array<keyof ServiceStats>;
	if (names.every(name => delta(name) === 0)) {
		return undefined;
	}

	return (
		`services: last ${Math.round(periodMs / 1000)}s: sip answered ${delta('sipAnswered')} (513 ${delta('sipTooLarge')}),` +
		` dropped ${delta('sipDropped')}, rate-limited ${delta('sipRateLimited')};` +
		` control requests ${delta('controlRequests')} (errors ${delta('controlErrors')}),` +
		` connect-back ports ${delta('connectBackPorts')}, OPTIONS sent ${delta('optionsSent')};` +
		` connections refused ${delta('connectionsRefused')}, cut off unread ${delta('unreadCutOff')}`
	);
};
