import type {SweepRunner} from '../check/sweep.js';
import {sweep} from '../check/sweep.js';
import type {CheckConfig} from '../check/types.js';
import type {Clock} from '../net/clock.js';
import {demoRunner} from './demo-run.js';
import {startSimulatedDemo} from '../sim/demo-network.js';
import {type Messages, english, words} from '../catalog/index.js';

/** Why the demo runs on the simulated network. */
export type SimulationKind = 'faults' | 'no-second-loopback' | 'shared-loopback-port';

/** The catalog's key of each label. */
const labelKey = {
	faults: 'faults',
	'no-second-loopback': 'noSecondLoopback',
	'shared-loopback-port': 'sharedLoopbackPort',
} as const satisfies Record<SimulationKind, keyof Messages['cli']['simulation']>;

/**
 * What the report, the TUI's caption and the plain notice say, so nobody mistakes it for a real
 * network: in the language chosen, or in `messages` (English for the report that --json prints).
 */
export const simulationLabel = (kind: SimulationKind, messages: Messages = words()): string =>
	messages.cli.simulation[labelKey[kind]];

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
 * Real time unless a test gives its virtual clock.
 */
export const startSimulatedCheck = async (
	checked: CheckConfig,
	kind: SimulationKind,
	{clock}: {clock?: Clock} = {},
): Promise<SimulatedCheck> => {
	const demo = await startSimulatedDemo(checked.ports, {faults: kind === 'faults', clock});
	// The report keeps the English label (--json is the same in every language); people read theirs.
	const label = simulationLabel(kind);
	const onSimulatedNetwork: SweepRunner = async (config, options) => sweep(config, {...options, environment: demo.environment});
	const run = demoRunner(onSimulatedNetwork, {simulation: simulationLabel(kind, english)});

	return {
		config: {...checked, servers: demo.servers},
		run,
		caption: label,
		notice: [label, words().cli.simulatedRouter, ...demo.layout.map(line => `  ${line}`)],
		close: async () => demo.close(),
	};
};
