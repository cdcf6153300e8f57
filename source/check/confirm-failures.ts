import type {Clock} from '../net/clock.js';
import {Pacer} from './pacer.js';
import type {PassRunner, PassVerdict} from './pass-runner.js';
import type {PassTiming} from './probe.js';
import {firstRecheck, nextRecheck, recheckRate} from './recheck-plan.js';
import type {PacingInfo} from './types.js';

/**
 * The first recheck round asks whether the quick pass can be trusted: five sends two RTOs apart
 * (10 RTOs in all, against the quick pass's 3-6 sends one RTO apart), at a gentler rate. At 10%
 * loss each way a port that answers is missed by all five about once in 4,000 rechecks, and it
 * had to be missed by the quick pass first. It is on the critical path twice (Test 3's recheck,
 * then Tests 1-2's), so its length is most of a closed range's check time.
 */
const firstRoundPass: PassTiming = {rtoFactor: 2, maxSends: 5, finalWaitFactor: 2};
/** Later rounds run only after a recheck changed a verdict (the path is losing packets): more patience. */
const laterRoundPass: PassTiming = {rtoFactor: 3, maxSends: 6, finalWaitFactor: 2};

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
	/** Only these ports' failures (one chunk of the pass); every port's when undefined. */
	ports?: readonly number[];
}): Promise<void> => {
	const {runner, signal, onRound, pacing} = options;
	const {results} = runner;
	const only = options.ports ? new Set(options.ports) : undefined;
	// In the order they finished, which the sample spreads over.
	const failures = [...results.values()].flatMap(result =>
		result.status === 'fail' && result.code && (!only || only.has(result.port)) ? [{port: result.port, code: result.code}] : [],
	);
	let round = firstRecheck(failures);
	while (round && !signal.aborted) {
		const {ports} = round;
		onRound(ports, round.reason);
		const before = new Map(ports.map(port => [port, results.get(port)?.code]));
		const rate = recheckRate(round.round, {configRate: options.configRate, currentRate: options.mainPacer.rate});
		const slowPacer = new Pacer({initialRate: rate, maxRate: rate, settleMs: options.settleMs, clock: options.clock, signal});
		try {
			await runner.run(ports, round.round === 1 ? firstRoundPass : laterRoundPass, 2, slowPacer);
		} finally {
			slowPacer.release();
		}

		const flipped = ports.filter(port => results.get(port)?.code !== before.get(port)).length;
		pacing.confirmed += ports.length;
		pacing.flipped += flipped;
		round = nextRecheck(round, {flipped, stillFailing: ports.filter(port => results.get(port)?.status === 'fail')});
	}
};
