import './live-in-ci.js';
import {render} from 'ink';
import type {SweepRunner} from '../check/sweep.js';
import type {CheckConfig} from '../check/types.js';
import {ExitCode} from '../check/report-model.js';
import {App} from './components/App.js';
import type {RecordedEntry} from './state/recording.js';

export interface RenderTuiOptions {
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	stderr?: NodeJS.WriteStream;
	reportDir?: string;
	localAddress?: string;
	caption?: string;
	tag?: string;
	/** --watch: watching starts once the check ends, with this pause between rounds (w's too); default 10 s. */
	watchPauseMs?: number;
	/** False with --no-bell. */
	bell?: boolean;
	/** Every intent, after the state's start: see state/recording.ts. */
	record?: (entry: RecordedEntry) => void;
}

/**
 * The interactive table, for a terminal only: the caller picks the plain reporter when stdin or
 * stdout is not a TTY. Resolves with the process exit code once the user quits.
 */
export const renderTui = async (config: CheckConfig, run: SweepRunner, options: RenderTuiOptions = {}): Promise<number> => {
	let exitCode: number = ExitCode.cancelled;
	const instance = render(
		<App
			config={config}
			run={run}
			reportDir={options.reportDir}
			localAddress={options.localAddress}
			caption={options.caption}
			tag={options.tag}
			watchPauseMs={options.watchPauseMs}
			watchAfterCheck={options.watchPauseMs !== undefined}
			bell={options.bell}
			record={options.record}
			onExit={(_report, code) => {
				exitCode = code;
			}}
		/>,
		{
			// Only the streams given: an explicit undefined would replace Ink's process.std* defaults.
			...(options.stdout && {stdout: options.stdout}),
			...(options.stdin && {stdin: options.stdin}),
			...(options.stderr && {stderr: options.stderr}),
			// Ctrl+C cancels the sweep first; the app quits on the second one.
			exitOnCtrlC: false,
			// Not incrementalRendering: in Ink 6.8 it moves the cursor up one line too few after a
			// frame that ends in a newline (every frame shorter than the terminal), so each update
			// lands one row lower (seen in tmux at 80x24). Enable it once Ink fixes that.
			incrementalRendering: false,
		},
	);
	// SIGTERM (kill, a service manager) and SIGHUP (the terminal gone) end the TUI as quitting
	// does: unmounting stops the sweep, and the exit code stays "cancelled" unless the app quit.
	// With a listener of ours, Ink's own signal handler no longer kills the process first.
	const quit = () => {
		instance.unmount();
	};

	const signals = ['SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) {
		process.once(signal, quit);
	}

	try {
		await instance.waitUntilExit();
	} finally {
		// Raw mode off and cursor back even if rendering threw.
		instance.cleanup();
		for (const signal of signals) {
			process.off(signal, quit);
		}
	}

	return exitCode;
};
