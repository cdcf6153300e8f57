import process from 'node:process';
import {withHostFirewall} from '../check/host-firewall-view.js';
import {type RouterMode, withNetworkView} from '../check/network-view.js';
import {ExitCode, exitCodeFor} from '../check/report-model.js';
import {realEnvironment} from '../check/environment.js';
import {memoryRecentChecks} from '../check/recent-checks.js';
import {type SweepRunner, sweep} from '../check/sweep.js';
import type {CheckConfig, CheckReport} from '../check/types.js';
import {jsonFileChunks} from '../report/json.js';
import {toPrometheus} from '../report/prometheus.js';
import {writeFileAtomically} from '../system/atomic-file.js';
import {createPlainReporter, formatSummary} from '../report/plain.js';
import type {HostFirewallReader} from '../system/this-host-firewall.js';
import {demoRunner} from './demo-run.js';
import {demoLoopbackShortfall, startDemoServer} from './demo.js';
import {embedded} from './one-file.js';
import {stampedRunner} from './report-origin.js';
import {plainWatch} from './plain-watch.js';
import {tuiRecorder} from './tui-recording.js';
import {writeChunks} from './write-chunks.js';
import {type SimulationKind, startSimulatedCheck} from './simulated-demo.js';
import {english, words} from '../catalog/index.js';

export interface OutputChoice {
	json: boolean;
	/** False with --no-tui. */
	tui: boolean;
	/** --prometheus: where node_exporter's textfile collector reads the result. */
	prometheus?: string;
	/** --watch: the pause between rounds in ms; absent, no watching after the check. */
	watchMs?: number;
	/** False with --no-bell. */
	bell?: boolean;
}

export interface Terminal {
	stdinIsTty: boolean;
	stdoutIsTty: boolean;
	/** $TERM. */
	term: string | undefined;
}

const thisTerminal = (): Terminal => ({
	stdinIsTty: Boolean(process.stdin.isTTY),
	stdoutIsTty: Boolean(process.stdout.isTTY),
	term: process.env.TERM,
});

/**
 * The TUI on a terminal; plain lines or JSON otherwise (pipes, CI, `ssh host fwcheck` without
 * -t), where Ink's raw mode would throw, and on TERM=dumb, which cannot move the cursor or clear
 * the screen the TUI redraws with.
 */
export const showsTui = (output: OutputChoice, terminal: Terminal = thisTerminal()): boolean =>
	!output.json && output.tui && terminal.stdinIsTty && terminal.stdoutIsTty && terminal.term !== 'dumb';

const write = (line: string) => {
	process.stdout.write(`${line}\n`);
};

const writeError = (line: string) => {
	process.stderr.write(`${line}\n`);
};

/**
 * Ctrl+C cancels cleanly (the partial report still prints, sockets close); a second one quits at
 * once. SIGTERM (a service manager, `kill`) and SIGHUP (the terminal or ssh session gone) mean the
 * same: stop, and say what was found.
 */
const cancelOnSignals = (controller: AbortController): void => {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (controller.signal.aborted) {
				process.exit(ExitCode.cancelled);
			}

			controller.abort();
		});
	}
};

/** How the check runs: the engine on this host, or a demo's stand-in with its own labels. */
export interface CheckRun {
	run?: SweepRunner;
	/** One or two lines above the TUI's table. */
	caption?: string;
	/** One word at the head of every TUI pane (DEMO, SIMULATION). */
	tag?: string;
	/** The engine's own runs ask the router beside the sweep unless 'off'; a demo never does. */
	routerMode?: RouterMode;
	/** The engine's own runs read this host's firewall beside the sweep unless false. */
	hostFirewall?: boolean;
	/** This host's firewall's reader, made before the engine loaded; it reads only when asked. */
	readHostFirewall?: HostFirewallReader;
}

const runPlain = async (config: CheckConfig, json: boolean, run: SweepRunner): Promise<number> => {
	const controller = new AbortController();
	cancelOnSignals(controller);
	const report = await run(config, {
		signal: controller.signal,
		onEvent: json ? () => undefined : createPlainReporter(config, write),
	});
	if (json) {
		// Port by port: the whole document as one string would add about twice its size to the peak.
		await writeChunks(process.stdout, jsonFileChunks(report));
	} else {
		for (const line of formatSummary(report)) {
			write(line);
		}
	}

	return exitCodeFor(report.status);
};

const loadTui = async (): Promise<typeof import('../ui/render.js')> => {
	// A one-file build has the TUI inside: no file next to it to look for.
	if (embedded) {
		return import('../ui/render.js');
	}

	const bundle = '../ui/render.bundle.js';
	try {
		return (await import(bundle)) as typeof import('../ui/render.js');
	} catch {
		return import('../ui/render.js');
	}
};

/** `fwcheck [options]`: the check, in the TUI or as plain lines or JSON. */
export const runCheck = async (
	config: CheckConfig,
	output: OutputChoice,
	{run: given, caption, tag, routerMode = 'read', hostFirewall = true, readHostFirewall}: CheckRun = {},
): Promise<number> => {
	// Every report the command line prints or saves says whose it is and when it was made.
	const stamped = watching(
		stampedRunner(
			given ?? withHostFirewall(withNetworkView(sweep, {mode: routerMode}), {enabled: hostFirewall, read: readHostFirewall}),
		),
		output,
	);
	if (output.prometheus === undefined) {
		return runOutput(config, output, stamped, {caption, tag});
	}

	let last: CheckReport | undefined;
	const exitCode = await runOutput(
		config,
		output,
		async (runConfig, options) => {
			last = await stamped(runConfig, options);
			return last;
		},
		{caption, tag},
	);
	return last === undefined ? exitCode : writeMetrics(output.prometheus, last, exitCode);
};

/**
 * --watch without the TUI: the runner goes on checking the failed ports after the check, so
 * what it resolves with (the summary, the JSON document, the metrics) is the watch's last
 * result. Beside --json, stdout holds the document alone: the watch lines and the bell go to stderr.
 */
const watching = (run: SweepRunner, output: OutputChoice): SweepRunner => {
	if (output.watchMs === undefined || showsTui(output)) {
		return run;
	}

	const out = output.json ? process.stderr : process.stdout;
	return plainWatch(run, {
		pauseMs: output.watchMs,
		bell: output.bell ?? true,
		write: output.json ? writeError : write,
		ring() {
			out.write('\u0007');
		},
		onFirst: output.json
			? undefined
			: report => {
					for (const line of formatSummary(report)) {
						write(line);
					}

					write('');
				},
	});
};

/** The metrics file after the report: a file that cannot be written is one line, and exit 3. */
const writeMetrics = async (file: string, report: CheckReport, exitCode: number): Promise<number> => {
	try {
		await writeFileAtomically(file, toPrometheus(report, new Date()));
		return exitCode;
	} catch (error) {
		process.stderr.write(`${words().cli.couldNotWrite(file, (error as Error).message)}\n`);
		return ExitCode.couldNotRun;
	}
};

/** The service checks listen on the PBX's own ports (SIP, --tcp): where the PBX runs, those are held. */
const bindsServicePorts = (config: CheckConfig): boolean =>
	config.services !== undefined && (config.services.sip || config.services.tcp.length > 0);

/**
 * The busy-port lookup a held service port starts, with execa: about 60 ms of compiling on this
 * thread. The TUI loads it before its first frame: a first paint that much later, rather than a
 * freeze between the first two frames, when the service checks find the PBX's port taken.
 */
const prepareOwnerLookup = async (): Promise<void> => {
	try {
		const [{loadExeca}] = await Promise.all([import('../system/load-execa.js'), import('../system/port-owner.js')]);
		await loadExeca();
	} catch {
		// The lookup itself tells what went wrong, if it ever runs.
	}
};

const runOutput = async (
	config: CheckConfig,
	output: OutputChoice,
	run: SweepRunner,
	{caption, tag}: Pick<CheckRun, 'caption' | 'tag'>,
): Promise<number> => {
	if (!showsTui(output)) {
		return runPlain(config, output.json, run);
	}

	// React's development build makes each keypress on a 2000-row table several times slower.
	process.env.NODE_ENV ??= 'production';
	// Loaded only here, so --json and plain runs never load React and Ink. The build bundles it
	// into one file (see scripts/bundle-tui.mjs); the plain module is the fallback.
	const [{renderTui}] = await Promise.all([loadTui(), bindsServicePorts(config) ? prepareOwnerLookup() : undefined]);
	return renderTui(config, run, {caption, tag, watchPauseMs: output.watchMs, bell: output.bell, record: tuiRecorder()});
};

/** `fwcheck --demo`: the same check against the built-in server on loopback. */
export const runDemo = async (checked: CheckConfig, output: OutputChoice, {faults}: {faults: boolean}): Promise<number> => {
	if (faults) {
		return runSimulated(checked, output, 'faults');
	}

	const shortfall = await demoLoopbackShortfall();
	if (shortfall !== undefined) {
		return runSimulated(checked, output, shortfall);
	}

	const server = await startDemoServer();
	try {
		const config: CheckConfig = {...checked, servers: [{host: server.host, port: server.port}]};
		// The TUI shows the caption; plain output gets the longer notice, JSON neither.
		if (!output.json && !showsTui(output)) {
			write(`${words().cli.demoNotice}\n`);
		}

		// Loopback ports say nothing about the router: they are kept out of the host's check history.
		const onLoopback: SweepRunner = async (loopbackConfig, options) =>
			sweep(loopbackConfig, {
				...options,
				environment: {...realEnvironment, recentChecks: memoryRecentChecks(() => performance.now())},
			});
		// The report keeps the English notice: --json is the same in every language.
		return await runCheck(config, output, {
			caption: words().cli.demoCaption,
			tag: words().cli.demoTag,
			run: demoRunner(onLoopback, {demo: english.cli.demoNotice}),
		});
	} finally {
		await server.close();
	}
};

const runSimulated = async (checked: CheckConfig, output: OutputChoice, kind: SimulationKind): Promise<number> => {
	const simulated = await startSimulatedCheck(checked, kind);
	try {
		if (!output.json && !showsTui(output)) {
			write(`${simulated.notice.join('\n')}\n`);
		}

		return await runCheck(simulated.config, output, {
			run: simulated.run,
			caption: simulated.caption,
			tag: words().cli.simulationTag,
		});
	} finally {
		await simulated.close();
	}
};
