// --watch without the TUI, on the simulated network in virtual time: rounds of the failed ports
// until a forward added on the router makes them pass, the bell, the hour bound and a stop.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sweep, type SweepRunner} from '../../source/check/sweep.js';
import type {CheckConfig} from '../../source/check/types.js';
import {watchLimitMs} from '../../source/check/watch-rules.js';
import {plainWatch} from '../../source/cli/plain-watch.js';
import {clockTime} from '../../source/words/format.js';
import {pbxIp, range, simulate} from '../support/simulation.js';

/** The wall clock the lines read: virtual time from a fixed afternoon. */
const wallStart = Date.UTC(2026, 11, 5, 14, 0, 0);
const ports = range(9000, 9019);
const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports};

interface Watched {
	lines: string[];
	/** Virtual time at which each line was written. */
	times: number[];
	bells: number;
	calls: number[][];
}

/**
 * The router forwards 9000-9009; 9010-9019 are blocked until `onLine` says otherwise. Runs the
 * check and the watch through plainWatch, as the command line does.
 */
const watch = async (
	sim: Awaited<ReturnType<typeof simulate>>,
	{pauseMs, bell, onLine, signal}: {pauseMs: number; bell: boolean; onLine?: (line: string) => void; signal?: AbortSignal},
) => {
	const seen: Watched = {lines: [], times: [], bells: 0, calls: []};
	const runner: SweepRunner = async (runConfig, options) => {
		seen.calls.push(runConfig.ports);
		return sweep(runConfig, {...options, environment: sim.environment});
	};

	const watched = plainWatch(runner, {
		pauseMs,
		bell,
		write(line) {
			seen.lines.push(line);
			seen.times.push(sim.network.clock.now());
			onLine?.(line);
		},
		ring() {
			seen.bells++;
		},
		clock: sim.network.clock,
		wallClock: () => wallStart + sim.network.clock.now(),
	});
	const report = await watched(config, {signal: signal ?? new AbortController().signal, onEvent: () => undefined});
	return {report, ...seen};
};

const forwardTheRest = (sim: Awaited<ReturnType<typeof simulate>>) => (line: string) => {
	if (line.startsWith('Round 1 ')) {
		sim.router.policy.forwards.push({from: 9010, to: 9019, host: pbxIp});
	}
};

/** A new policy for each simulation: the tests add forwards to it. */
const halfForwarded = () => ({router: {forwards: [{from: 9000, to: 9009, host: pbxIp}]}});

test('watch: rounds of the failed ports only, until the forward is added; "ok since" with the round\'s time, one bell', async () => {
	const sim = await simulate(halfForwarded());
	const {report, lines, times, bells, calls} = await watch(sim, {pauseMs: 10_000, bell: true, onLine: forwardTheRest(sim)});
	assert.equal(report.status, 'pass', lines.join('\n'));
	assert.equal(report.code, 'ok');
	assert.equal(report.ports.length, 20, 'the report covers every checked port, not the last round only');
	assert.deepEqual(calls, [ports, range(9010, 9019), range(9010, 9019)], 'the check, then two rounds of the failed ports');
	assert.match(lines[0]!, /^Watching 10 ports that failed or were busy \(9010-9019\): a round every 10 s until they pass/);
	const [round1, round2, end] = lines.slice(1);
	assert.match(round1!, /^Round 1 at \d\d:\d\d:\d\d: no change; 10 ports still failing \(9010-9019\)$/);
	const at = clockTime(wallStart + times[2]!);
	assert.equal(round2, `Round 2 at ${at}: 9010-9019 ok since ${at}; every watched port passes`);
	assert.equal(end, 'Watch done: every watched port passes now (2 rounds).');
	assert.equal(lines.length, 4);
	assert.ok(times[2]! - times[1]! >= 10_000, 'a pause of 10 s between rounds');
	assert.equal(bells, 1);
	assert.equal(sim.leftOpen().length, 0, `sockets left open: ${sim.leftOpen().join(', ')}`);
});

test('watch with --no-bell: the same rounds and "ok since" line, no bell', async () => {
	const sim = await simulate(halfForwarded());
	const {report, lines, bells} = await watch(sim, {pauseMs: 10_000, bell: false, onLine: forwardTheRest(sim)});
	assert.equal(report.status, 'pass');
	assert.ok(
		lines.some(line => /^Round 2 at (\S+): 9010-9019 ok since \1; every watched port passes$/.test(line)),
		lines.join('\n'),
	);
	assert.equal(bells, 0);
});

test('watch: a port that passes beside others that still fail rings once, and watching goes on', async () => {
	const sim = await simulate(halfForwarded());
	const {report, lines, bells} = await watch(sim, {
		pauseMs: 5000,
		bell: true,
		onLine(line) {
			if (line.startsWith('Round 1 ')) {
				sim.router.policy.forwards.push({from: 9010, to: 9014, host: pbxIp});
			} else if (line.startsWith('Round 3 ')) {
				sim.router.policy.forwards.push({from: 9015, to: 9019, host: pbxIp});
			}
		},
	});
	assert.equal(report.status, 'pass');
	assert.match(lines[2]!, /^Round 2 at (\S+): 9010-9014 ok since \1; 5 ports still failing \(9015-9019\)$/);
	assert.match(lines[3]!, /^Round 3 at \S+: no change; 5 ports still failing \(9015-9019\)$/);
	assert.match(lines[4]!, /^Round 4 at (\S+): 9015-9019 ok since \1; every watched port passes$/);
	assert.equal(bells, 2, 'once for each round that brought a pass');
});

test('watch stops after an hour, says so, and the last result stands', async () => {
	const sim = await simulate({...halfForwarded(), clockLimitMs: 3 * watchLimitMs});
	let startedAt = 0;
	const {report, lines, times, bells, calls} = await watch(sim, {
		pauseMs: 600_000,
		bell: true,
		onLine(line) {
			if (line.startsWith('Watching ')) {
				startedAt = sim.network.clock.now();
			}
		},
	});
	assert.equal(report.status, 'fail');
	assert.equal(report.code, 'some-failed');
	const rounds = lines.filter(line => line.startsWith('Round ')).length;
	assert.equal(calls.length, rounds + 1);
	assert.ok(rounds >= 5 && rounds <= 6, `${rounds} rounds 10 min apart in an hour`);
	assert.equal(lines.at(-1), `Watch stopped after an hour: the last result stands (${rounds} rounds).`);
	const stoppedAt = times.at(-1)! - startedAt;
	assert.ok(stoppedAt >= watchLimitMs, `stopped ${stoppedAt} ms after watching started`);
	assert.ok(stoppedAt < watchLimitMs + 600_000, `no round started after the hour (${stoppedAt} ms)`);
	assert.equal(bells, 0);
});

test('watch: a stop (Ctrl+C, SIGTERM) during the pause ends it at once; the last complete result stands', async () => {
	const sim = await simulate(halfForwarded());
	const controller = new AbortController();
	const {report, lines, calls} = await watch(sim, {
		pauseMs: 10_000,
		bell: true,
		signal: controller.signal,
		onLine(line) {
			if (line.startsWith('Round 1 ')) {
				controller.abort();
			}
		},
	});
	assert.equal(calls.length, 2);
	assert.equal(lines.at(-1), 'Watch stopped: the last result stands (1 round).');
	assert.equal(report.status, 'fail', 'the result of round 1, not a cancelled one');
	assert.equal(report.ports.length, 20);
	assert.equal(report.ports.filter(port => port.status === 'pass').length, 10);
});

test('watch: a stop during a round leaves that round out', async () => {
	const sim = await simulate(halfForwarded());
	const controller = new AbortController();
	const {report, lines, calls} = await watch(sim, {
		pauseMs: 10_000,
		bell: true,
		signal: controller.signal,
		onLine(line) {
			if (line.startsWith('Watching ')) {
				// In the middle of round 1: after the pause, a second into the round.
				sim.network.clock.setTimeout(() => {
					controller.abort();
				}, 11_000);
			}
		},
	});
	assert.equal(calls.length, 2, 'round 1 started');
	assert.equal(lines.at(-1), 'Watch stopped: the last result stands (0 rounds).');
	assert.equal(report.status, 'fail');
	assert.ok(
		report.ports.every(port => port.status !== 'skipped'),
		'no port left cancelled by the stopped round',
	);
});

test('watch has nothing to do after a check that passed', async () => {
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9019, host: pbxIp}]}});
	const {report, lines, calls, bells} = await watch(sim, {pauseMs: 10_000, bell: true});
	assert.equal(report.status, 'pass');
	assert.deepEqual(lines, []);
	assert.equal(calls.length, 1);
	assert.equal(bells, 0);
});
