import {type StunSocket, type SocketCounters, fromAddress} from '../stun/stun-socket.js';
import {skippedTest} from './classify.js';
import {confirmFailures} from './confirm-failures.js';
import {type EngineEnvironment, openStunSocket} from './environment.js';
import type {Pacer} from './pacer.js';
import {createPassRunner} from './pass-runner.js';
import {test3Chunks} from './recheck-plan.js';
import {test3Admission} from './port-admission.js';
import {Test3ChunkProgress, afterTest3, stoodFailures} from './test3-handoff.js';
import type {PortSockets} from './port-sockets.js';
import type {PassTiming} from './probe.js';
import {sumCounts} from './report-model.js';
import type {RttEstimator} from './rtt.js';
import {type Test3Result, probeUnsolicited} from './test3-probe.js';
import type {CheckConfig, PacingInfo, ServerInfo, SweepEvent, TestDetail} from './types.js';
import {formatAddress} from '../stun/address.js';

export interface Test3Outcome {
	/** Why Test 3 did not run, or null when it did. */
	skippedReason: string | null;
}

/** One loss probe from the control socket per this many ports, so a closed range (no Test 3 answered) still shows the pacer what gets through. */
const portsPerLossProbe = 8;

/**
 * Test 3 over every port while it has sent nothing, failures rechecked slowly by the same plan as
 * Tests 1-2. A port whose Test 3 passed (or that is busy) goes on to Tests 1-2 at once, on the same
 * socket (`proceed`, which owns the socket from then on); a failed one parks its socket until the
 * failure stands (afterTest3 in test3-handoff.ts). The failures are rechecked chunk by chunk
 * (test3Chunks) while the pass goes on, and each chunk's ports whose failure stood are handed to
 * `stood` (their sockets parked). `details` fills in as Tests 3 are decided; a port missing there
 * reports Test 3 as skipped.
 */
export const runTest3Pass = async (options: {
	config: CheckConfig;
	server: ServerInfo;
	rtt: RttEstimator;
	window: number;
	pacer: Pacer;
	timing: PassTiming;
	settleMs: () => number;
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
	pacing: PacingInfo;
	counters: SocketCounters;
	environment: EngineEnvironment;
	sockets: PortSockets;
	details: Map<number, TestDetail>;
	/** Tests 1-2 of a port whose Test 3 is decided, on its socket (undefined: busy); resolves when they are done. */
	proceed: (port: number, socket: StunSocket | undefined) => Promise<void>;
	/** Ports whose Test 3 failure stands (their chunk's rechecks are done): they may send now. */
	stood: (ports: number[]) => void;
}): Promise<Test3Outcome> => {
	const {config, server, environment, onEvent, details, sockets} = options;
	if (!server.responsePort.supported) {
		return {skippedReason: server.responsePort.detail};
	}

	const control = await openControl(config, server, environment);
	if (!control.ok) {
		return {skippedReason: control.detail};
	}

	const {socket} = control;
	const refuse = new AbortController();
	const signal = AbortSignal.any([options.signal, refuse.signal]);
	let refused: string | undefined;
	const sent = new Set<string>();
	// A reply to a Test 3 request that comes back to the control socket: the server answers at the
	// source port or with an error, so it cannot run Test 3 after all (not a failure of every port).
	socket.onUnmatched = (message, from) => {
		if (!refused && sent.has(message.transactionId.toString('hex'))) {
			refused = `${formatAddress(from)} answered Test 3 at the requesting port${message.messageClass === 'error' ? ' with an error' : ''}, not at the checked port`;
			refuse.abort();
		}
	};

	const context = {server, rtt: options.rtt, control: socket, sent, signal};
	const lossProbes = new LossProbes(socket, server, options.rtt, options.pacer, signal);
	let quickPorts = 0;
	// Each chunk's failures are rechecked once its quick Test 3s are done, while later chunks run theirs.
	const chunks = new Test3ChunkProgress(test3Chunks(config.ports));
	const confirming: Array<Promise<void>> = [];
	const confirmChunk = async (ports: readonly number[]): Promise<void> => {
		await confirmFailures({
			runner,
			configRate: config.rate,
			mainPacer: options.pacer,
			settleMs: options.settleMs,
			clock: environment.clock,
			signal,
			ports,
			onRound(rechecked, reason) {
				onEvent({type: 'test3-rechecking', ports: rechecked, reason: `Test 3: ${reason.toLowerCase()}`});
			},
			pacing: options.pacing,
		});
		if (!signal.aborted) {
			options.stood(stoodFailures(ports, runner.results));
		}
	};

	const runner = createPassRunner({
		window: options.window,
		signal,
		finished(result) {
			const step = chunks.finished(result.port);
			if (step.quickPassOver) {
				// The quick pass is over: its periods are judged now, not after they settle, so the
				// last rechecks start from the rate the path took (a rate limit that failed most of a
				// short pass would otherwise go unnoticed until they ran into it at the old rate).
				options.pacer.passEnded();
			}

			if (step.chunk) {
				confirming.push(confirmChunk(step.chunk));
			}
		},
		async probe(port, timing, pacer, attempts): Promise<Test3Result | undefined> {
			const {turnBeforeBind} = test3Admission(attempts);
			if (turnBeforeBind) {
				await pacer.take();
				if (signal.aborted) {
					return undefined;
				}
			}

			const opened = await sockets.take(port);
			if (!opened.ok) {
				if (opened.code !== 'in-use') {
					throw new Error(`Cannot bind UDP port ${port}: ${opened.detail}`);
				}

				// A busy port goes on at once: Tests 1-2 find it busy again and name its owner.
				await options.proceed(port, undefined);
				return {port, status: 'busy', code: 'port-in-use', detail: skippedTest()};
			}

			const portSocket = opened.socket;
			let kept = false;
			try {
				if (attempts === 1 && quickPorts++ % portsPerLossProbe === 0) {
					lossProbes.send();
				}

				const result = await probeUnsolicited(portSocket, port, timing, pacer, attempts, context, turnBeforeBind);
				const next = afterTest3({passed: result && result.status === 'pass', cancelled: signal.aborted});
				// No result is always 'drop': `!result` only tells the type checker.
				if (next === 'drop' || !result) {
					return undefined;
				}

				details.set(port, result.detail);
				kept = true;
				if (next === 'proceed') {
					await options.proceed(port, portSocket);
				} else {
					sockets.park(port, portSocket);
				}

				return result;
			} finally {
				if (!kept) {
					await sockets.done(portSocket);
				}
			}
		},
	});
	try {
		onEvent({type: 'test3-started', ports: config.ports});
		await runner.run(config.ports, options.timing, 1, options.pacer);
		await Promise.all(confirming);
		await lossProbes.settled();
	} finally {
		// Settled first when the pass threw: no chunk's recheck may still use the control socket.
		await Promise.allSettled(confirming);
		Object.assign(options.counters, sumCounts(options.counters, socket.counters));
		await socket.close();
	}

	if (refused) {
		// Ports still waiting get no Test 3 (a pass seen before the server went wrong stays: it was real).
		for (const [port, detail] of details) {
			if (detail.outcome !== 'pass') {
				details.delete(port);
			}
		}
	}

	const passed = [...details.values()].filter(detail => detail.outcome === 'pass').length;
	onEvent({type: 'test3-finished', passed, failed: details.size - passed, skippedReason: refused ?? null});
	return {skippedReason: refused ?? null};
};

/**
 * Plain Binding requests from the control socket to the primary address, beside the Test 3
 * requests: on a closed range no Test 3 is answered, and without answers the pacer could neither
 * speed up nor see losses.
 */
class LossProbes {
	readonly #pending = new Set<Promise<void>>();

	constructor(
		readonly control: StunSocket,
		readonly server: ServerInfo,
		readonly rtt: RttEstimator,
		readonly pacer: Pacer,
		readonly signal: AbortSignal,
	) {}

	send(): void {
		const {rtt, pacer, signal} = this;
		const probe = (async () => {
			const result = await this.control.request({
				to: this.server.address,
				accept: fromAddress(this.server.address),
				signal,
				maxSends: 6,
				waitAfter: index => rtt.rtoMs * (index === 5 ? 2 : 1),
				// Ahead of new ports: few, and the sooner answered, the sooner the pacer knows the path.
				beforeSend: async () => pacer.take(true),
				onLateAnswer(sendTimes) {
					pacer.delayed(sendTimes);
				},
			});
			// No RTT sample: answered while the Test 3 requests go out in bulk, they would mostly measure this
			// process's own delay, and the RTO sets how long every recheck waits.
			if (result.ok) {
				pacer.answered(result.sendTimes);
			} else if (result.reason === 'timeout') {
				pacer.unanswered();
			}
		})();
		this.#pending.add(probe);
		void probe.finally(() => this.#pending.delete(probe));
	}

	async settled(): Promise<void> {
		await Promise.all(this.#pending);
	}
}

/** The control socket: an ephemeral port, never one of the checked ones (it would then have sent). */
const openControl = async (
	config: CheckConfig,
	server: ServerInfo,
	environment: EngineEnvironment,
): Promise<{ok: true; socket: StunSocket} | {ok: false; detail: string}> => {
	const checked = new Set(config.ports);
	const unusable: StunSocket[] = [];
	try {
		for (let tries = 0; tries < 8; tries++) {
			const opened = await openStunSocket(environment, {port: 0, address: config.bindAddress, family: server.address.family});
			if (!opened.ok) {
				return {ok: false, detail: `cannot open the control socket for Test 3: ${opened.detail}`};
			}

			if (!checked.has(opened.socket.localPort)) {
				return {ok: true, socket: opened.socket};
			}

			// Held until a free one is found, so the system cannot hand out the same port again.
			unusable.push(opened.socket);
		}

		return {ok: false, detail: 'every control socket the system offered was one of the checked ports'};
	} finally {
		await Promise.all(unusable.map(async socket => socket.close()));
	}
};
