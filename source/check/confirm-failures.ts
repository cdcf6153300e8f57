import type {Clock} from '../net/clock.js';
import {Pacer} from './pacer.js';
import type {PassRunner, PassVerdict} from './pass-runner.js';
import type {PassTiming} from './probe.js';
import {firstRecheck, nextRecheck, recheckRate} from './recheck-plan.js';
import type {PacingInfo} from './types.js';

/** Recheck of failures: three times the patience, at a gentler rate. */
const slowPass: PassTiming = {rtoFactor: 3, maxSends: 6, finalWaitFactor: 2};

/**
 * Run the recheck plan's rounds over the first pass's failures, each slower than the last, each
 * on its own pacer, until the failures stand. Counts the rechecks and flips into `pacing`.
 */
export const confirmFailures = async <R extends PassVerdict>(options: {
	runner: PassRunner<R>;
	/** --rate, if set. */
	configRate?: number;
	/** The first pass's pacer: its rate is what the path took. */
	mainPacer: Pacer;
	settleMs: () => number;
	clock: Clock;
	signal: AbortSignal;
	/** Hears each round before it runs. */
	onRound: (ports: number[], reason: string) => void;
	pacing: PacingInfo;
}): Promise<void> => {
	const {runner, signal, onRound, pacing} = options;
	const {results} = runner;
	const failures = [...results.values()].flatMap(result =>
		result.status === 'fail' && result.code ? [{port: result.port, code: result.code}] : [],
	);
	let round = firstRecheck(failures);
	while (round && !signal.aborted) {
		const {ports} = round;
		onRound(ports, round.reason);
		const before = new Map(ports.map(port => [port, results.get(port)?.code]));
		const rate = recheckRate(round.round, {configRate: options.configRate, currentRate: options.mainPacer.rate});
		const slowPacer = new Pacer({initialRate: rate, maxRate: rate, settleMs: options.settleMs, clock: options.clock});
		try {
			await runner.run(ports, slowPass, 2, slowPacer);
		} finally {
			slowPacer.release();
		}

		const flipped = ports.filter(port => results.get(port)?.code !== before.get(port)).length;
		pacing.confirmed += ports.length;
		pacing.flipped += flipped;
		round = nextRecheck(round, {flipped, stillFailing: ports.filter(port => results.get(port)?.status === 'fail')});
	}
};
