import {render} from 'ink';
import type {SweepRunner} from '../check/sweep.js';
import type {CheckConfig} from '../check/types.js';
import {ExitCode} from '../check/verdicts.js';
import {App} from './App.js';

export interface RenderTuiOptions {
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	stderr?: NodeJS.WriteStream;
	reportDir?: string;
	localAddress?: string;
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
			onExit={(_report, code) => {
				exitCode = code;
			}}
		/>,
		{
			stdout: options.stdout,
			stdin: options.stdin,
			stderr: options.stderr,
			// Ctrl+C cancels the sweep first; the app quits on the second one.
			exitOnCtrlC: false,
			// Rewrite only the lines that changed: far fewer bytes over SSH.
			incrementalRendering: true,
		},
	);
	try {
		await instance.waitUntilExit();
	} finally {
		// Raw mode off and cursor back even if rendering threw.
		instance.cleanup();
	}

	return exitCode;
};
