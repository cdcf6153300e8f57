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

/** What the Test 3 pass checks, and where it reports. */
export interface Test3Scope {
	config: CheckConfig;
	server: ServerInfo;
	environment: EngineEnvironment;
	signal: AbortSignal;
	onEvent: (event: SweepEvent) => void;
}

/** How fast and how patiently: shared with Tests 1-2. */
export interface Test3Pace {
	rtt: RttEstimator;
	/** The quick pass's pacer; each chunk's rechecks get a slower one of their own. */
	pacer: Pacer;
	/** The quick pass's timing. */
	timing: PassTiming;
	settleMs: () => number;
	/** The report's pacing: the rechecks count into it. */
	pacing: PacingInfo;
}

/** The checked ports' sockets, shared with Tests 1-2: a port keeps its socket from Test 3 on. */
export interface Test3Sockets {
	/** Ports in flight at once. */
	window: number;
	portSockets: PortSockets;
	/** The control socket's counts are added here when it closes. */
	counters: SocketCounters;
}

/** Where the pass hands its ports on to Tests 1-2 (see test3-handoff.ts). */
export interface Test3Handoff {
	/** Fills in as Tests 3 are decided; a port missing here reports Test 3 as skipped. */
	details: Map<number, TestDetail>;
	/** Tests 1-2 of a port whose Test 3 is decided, on its socket (undefined: busy), which it owns from then on; resolves when they are done. */
	proceed: (port: number, socket: StunSocket | undefined) => Promise<void>;
	/** Ports whose Test 3 failure stands (their chunk's rechecks are done): they may send now. */
	stood: (ports: number[]) => void;
}

/**
 * Test 3 over every port while it has sent nothing, failures rechecked slowly by the same plan as
 * Tests 1-2. A port whose Test 3 passed (or that is busy) goes on to Tests 1-2 at once, on the same
 * socket; a failed one parks its socket until the failure stands (afterTest3, test3-handoff.ts).
 * The failures are rechecked chunk by chunk (test3Chunks) while the pass goes on, and each chunk's
 * ports whose failure stood are handed to `stood` (their sockets parked).
 */
export const runTest3Pass = async (parts: {
	scope: Test3Scope;
	pace: Test3Pace;
	sockets: Test3Sockets;
	handoff: Test3Handoff;
}): Promise<Test3Outcome> => {
	const {config, server, environment, onEvent} = parts.scope;
	const {rtt, pacer: mainPacer, timing: quickPass, settleMs, pacing} = parts.pace;
	const {window, portSockets, counters} = parts.sockets;
	const {details, proceed, stood} = parts.handoff;
	if (!server.responsePort.supported) {
		return {skippedReason: server.responsePort.detail};
	}

	const control = await openControl(config, server, environment);
	if (!control.ok) {
		return {skippedReason: control.detail};
	}

	const {socket} = control;
	const refuse = new AbortController();
	const signal = AbortSignal.any([parts.scope.signal, refuse.signal]);
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

	const context = {server, rtt, control: socket, sent, signal};
	const lossProbes = new LossProbes(socket, server, rtt, mainPacer, signal);
	let quickPorts = 0;
	// Each chunk's failures are rechecked once its quick Test 3s are done, while later chunks run theirs.
	const chunks = new Test3ChunkProgress(test3Chunks(config.ports));
	const confirming: Array<Promise<void>> = [];
	const confirmChunk = async (ports: readonly number[]): Promise<void> => {
		await confirmFailures({
			runner,
			configRate: config.rate,
			mainPacer,
			settleMs,
			clock: environment.clock,
			signal,
			ports,
			onRound(rechecked, reason) {
				onEvent({type: 'test3-rechecking', ports: rechecked, reason: `Test 3: ${reason.toLowerCase()}`});
			},
			pacing,
		});
		if (!signal.aborted) {
			stood(stoodFailures(ports, runner.results));
		}
	};

	const runner = createPassRunner({
		window,
		signal,
		clock: environment.clock,
		finished(result) {
			const step = chunks.finished(result.port);
			if (step.quickPassOver) {
				// The quick pass is over: its periods are judged now, not after they settle, so the
				// last rechecks start from the rate the path took (a rate limit that failed most of a
				// short pass would otherwise go unnoticed until they ran into it at the old rate).
				mainPacer.passEnded();
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

			const opened = await portSockets.take(port);
			if (!opened.ok) {
				if (opened.code !== 'in-use' && opened.code !== 'not-permitted') {
					throw new Error(`Cannot bind UDP port ${port}: ${opened.detail}`);
				}

				// A busy port goes on at once: Tests 1-2 find it busy again and name its owner. One
				// this user may not bind goes on too: Tests 1-2 give it its verdict, and the rest go on.
				if (opened.code === 'in-use') {
					onEvent({type: 'test3-port', port, outcome: 'busy', attempt: attempts});
				}

				await proceed(port, undefined);
				return opened.code === 'in-use'
					? {port, status: 'busy', code: 'port-in-use', detail: skippedTest()}
					: {port, status: 'skipped', code: 'port-not-permitted', detail: skippedTest()};
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
				// Before Tests 1-2 start on it, so the screen shows Test 3 first.
				if (result.status !== 'skipped') {
					onEvent({type: 'test3-port', port, outcome: result.status, attempt: attempts});
				}

				kept = true;
				if (next === 'proceed') {
					await proceed(port, portSocket);
				} else {
					portSockets.park(port, portSocket);
				}

				return result;
			} finally {
				if (!kept) {
					await portSockets.done(portSocket);
				}
			}
		},
	});
	try {
		onEvent({type: 'test3-started', ports: config.ports});
		await runner.run(config.ports, quickPass, 1, mainPacer);
		await Promise.all(confirming);
		await lossProbes.settled();
	} finally {
		// Settled first when the pass threw: no chunk's recheck may still use the control socket.
		await Promise.allSettled(confirming);
		Object.assign(counters, sumCounts(counters, socket.counters));
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
