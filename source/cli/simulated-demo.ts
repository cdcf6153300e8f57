import type {SweepRunner} from '../check/sweep.js';
import {sweep} from '../check/sweep.js';
import type {CheckConfig} from '../check/types.js';
import {demoRunner} from './demo-run.js';
import {startSimulatedDemo} from '../sim/demo-network.js';

/** Why the demo runs on the simulated network. */
export type SimulationKind = 'faults' | 'no-second-loopback' | 'shared-loopback-port';

/** What the report, the TUI's caption and the plain notice say, so nobody mistakes it for a real network. */
export const simulationLabel = (kind: SimulationKind): string => {
	switch (kind) {
		case 'faults': {
			return 'SIMULATION (--demo --faults): a made-up router inside fwcheck, with a fault of every kind. Nothing here is your network.';
		}

		case 'no-second-loopback': {
			return 'SIMULATION: this machine answers only on 127.0.0.1, so the demo runs on a network simulated inside fwcheck. Nothing here is your network.';
		}

		case 'shared-loopback-port': {
			return 'SIMULATION: on this machine 127.0.0.1 and 127.0.0.2 cannot hold the same port, so the demo runs on a network simulated inside fwcheck. Nothing here is your network.';
		}
	}
};

export interface SimulatedCheck {
	config: CheckConfig;
	run: SweepRunner;
	caption: string;
	/** The label and what the made-up router does, for plain output. */
	notice: string[];
	close(): Promise<void>;
}

/**
 * The check of `checked.ports` on a simulated network: the real engine, with a made-up router
 * and STUN server in place of the host's sockets. Every report it gives carries the label.
 */
export const startSimulatedCheck = async (checked: CheckConfig, kind: SimulationKind): Promise<SimulatedCheck> => {
	const demo = await startSimulatedDemo(checked.ports, {faults: kind === 'faults'});
	const label = simulationLabel(kind);
	const onSimulatedNetwork: SweepRunner = async (config, options) => sweep(config, {...options, environment: demo.environment});
	const run = demoRunner(onSimulatedNetwork, {simulation: label});

	return {
		config: {...checked, servers: demo.servers},
		run,
		caption: label,
		notice: [label, 'The simulated router:', ...demo.layout.map(line => `  ${line}`)],
		close: async () => demo.close(),
	};
};
