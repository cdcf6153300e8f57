import {Box} from 'ink';
import {useMemo, useReducer} from 'react';
import type {SweepRunner} from '../../check/sweep.js';
import type {CheckConfig, CheckReport} from '../../check/types.js';
import {FailedSummary} from './FailedSummary.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {KeyHelp} from './KeyHelp.js';
import {Lines} from './Lines.js';
import {PortDetail} from './PortDetail.js';
import {PortTable} from './PortTable.js';
import {RouterPane} from './RouterPane.js';
import {ServicesPane} from './ServicesPane.js';
import {layoutOf, screenMeasure} from '../text/layout.js';
import {createState, reducer} from '../state/reducer.js';
import {ThemeContext, noColorRequested} from '../theme.js';
import {type GlyphSet, glyphSetFor} from '../glyphs.js';
import {useKeys} from '../hooks/use-keys.js';
import {useQuit} from '../hooks/use-quit.js';
import {useSaveReport} from '../hooks/use-save-report.js';
import {useSweep} from '../hooks/use-sweep.js';
import {useWatch} from '../hooks/use-watch.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';

export interface AppProps {
	config: CheckConfig;
	run: SweepRunner;
	/** Fixed size; by default the terminal's, following resizes. */
	columns?: number;
	rows?: number;
	/** Called once, when the user quits, before Ink unmounts. */
	onExit?: (report: CheckReport | null, exitCode: number) => void;
	/** Where `s` writes reports; default the working directory. */
	reportDir?: string;
	/** This host's LAN address if known before the engine reports it. */
	localAddress?: string;
	/** Colours on or off; default off when NO_COLOR is set. */
	color?: boolean;
	/** The characters symbols are drawn with; default ASCII on Windows, Unicode elsewhere. */
	glyphs?: GlyphSet;
	/** A line kept above the table for the whole run. */
	caption?: string;
	/** One word at the head of every pane's title (DEMO, SIMULATION), so no screen hides what this is. */
	tag?: string;
	/**
	 * How often buffered engine events reach the screen (and the spinner moves). Every tick is a
	 * full Ink frame, the TUI's main CPU cost; 150 ms keeps redraws well inside 200 ms.
	 */
	tickMs?: number;
	/** Watch mode's pause between rounds; default 10 s. */
	watchPauseMs?: number;
	/** Ring the terminal bell when watch sees ports start to pass; default on. */
	bell?: boolean;
	/** How the bell rings; default BEL on the terminal. */
	ringBell?: () => void;
	/** Start watching once the first check ends (--watch), as w would. */
	watchAfterCheck?: boolean;
}

export function App({
	config,
	run,
	columns,
	rows,
	onExit,
	reportDir,
	localAddress,
	caption,
	tag,
	color,
	glyphs = glyphSetFor(process.platform),
	tickMs = 150,
	watchPauseMs = 10_000,
	bell = true,
	ringBell,
	watchAfterCheck,
}: AppProps) {
	const size = useTerminalSize({columns, rows});
	const [state, dispatch] = useReducer(reducer, undefined, () =>
		createState(config, {...size, measure: screenMeasure, now: Date.now(), localAddress, caption, tag}),
	);
	if (size.columns !== state.viewport.columns || size.rows !== state.viewport.rows) {
		// Adjusted during render, not in an effect, so no frame is drawn with the old height.
		dispatch({type: 'viewport', columns: size.columns, rows: size.rows});
	}

	useSweep(state, dispatch, {config, run, tickMs});
	useSaveReport(state, dispatch, reportDir ?? process.cwd());
	useQuit(state, onExit);
	useWatch(state, dispatch, {pauseMs: watchPauseMs, bell, ring: ringBell, startAfterCheck: watchAfterCheck});
	useKeys(dispatch);

	const theme = useMemo(() => ({color: color ?? !noColorRequested(), glyphs}), [color, glyphs]);
	const layout = layoutOf(state);
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={size.columns}>
				{state.pane.kind === 'table' ? (
					<>
						<Header state={state} />
						<Lines lines={layout.banner} columns={size.columns} />
						<PortTable state={state} height={layout.tableRows} />
					</>
				) : (
					<>
						<PortDetail state={state} height={layout.paneRows} />
						<FailedSummary state={state} height={layout.paneRows} />
						<KeyHelp state={state} height={layout.paneRows} />
						<RouterPane state={state} height={layout.paneRows} />
						<ServicesPane state={state} height={layout.paneRows} />
					</>
				)}
				<Footer state={state} />
			</Box>
		</ThemeContext.Provider>
	);
}
