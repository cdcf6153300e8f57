import {StunSocket, type SocketCounters} from '../stun/stun-socket.js';
import {confirmFailures} from './confirm-failures.js';
import {type EngineEnvironment, openStunSocket} from './environment.js';
import type {Pacer} from './pacer.js';
import {createPassRunner} from './pass-runner.js';
import type {SocketSlots} from './port-queue.js';
import type {PassTiming} from './probe.js';
import {sumCounts} from './report-model.js';
import type {RttEstimator} from './rtt.js';
import {probeUnsolicited} from './test3-probe.js';
import type {CheckConfig, PacingInfo, ServerInfo, SweepEvent, TestDetail} from './types.js';
import {formatAddress} from '../stun/address.js';

export interface Test3Outcome {
	/** Why Test 3 did not run, or null when it did. */
	skippedReason: string | null;
}

/**
 * Test 3 over every port while it has sent nothing, failures rechecked slowly by the same plan as
 * Tests 1-2. A port whose Test 3 passed (or that is busy) goes on to Tests 1-2 at once (`ready`); a failed one waits
 * until its failure stands: once a port has sent, a router that lets replies in would let Test 3's
 * answer in too, so a failed Test 3 can only be rechecked soundly before that. `details` fills
 * in as Tests 3 are decided; a port missing there reports Test 3 as skipped.
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
	slots: SocketSlots;
	details: Map<number, TestDetail>;
	ready: (port: number) => void;
}): Promise<Test3Outcome> => {
	const {config, server, environment, onEvent, details} = options;
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

	const context = {...options, control: socket, sent, signal, bindAddress: config.bindAddress};
	const released = new Set<number>();
	const runner = createPassRunner({
		window: options.window,
		signal,
		probe: async (port, timing, pacer, attempts) =>
			options.slots.hold(async () => probeUnsolicited(port, timing, pacer, attempts, context)),
		finished(result) {
			if (result.status !== 'busy') {
				details.set(result.port, result.detail);
			}

			// A busy port goes on at once too: Tests 1-2 find it busy again and name its owner.
			if (result.status !== 'fail' && !released.has(result.port)) {
				released.add(result.port);
				options.ready(result.port);
			}
		},
	});
	try {
		onEvent({type: 'test3-started', ports: config.ports});
		await runner.run(config.ports, options.timing, 1, options.pacer);
		if (!signal.aborted) {
			await confirmFailures({
				runner,
				configRate: config.rate,
				mainPacer: options.pacer,
				settleMs: options.settleMs,
				clock: environment.clock,
				signal,
				onRound(ports, reason) {
					onEvent({type: 'test3-rechecking', ports, reason: `Test 3: ${reason.toLowerCase()}`});
				},
				pacing: options.pacing,
			});
		}
	} finally {
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
