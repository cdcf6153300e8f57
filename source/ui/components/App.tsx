import {type Dispatch, useMemo, useReducer} from 'react';
import type {SweepRunner} from '../../check/sweep.js';
import type {CheckConfig, CheckReport} from '../../check/types.js';
import {Screen} from './Screen.js';
import {screenMeasure} from '../text/layout.js';
import {createState, reducer} from '../state/reducer.js';
import type {RecordedEntry} from '../state/recording.js';
import type {Intent} from '../state/types.js';
import {noColorRequested} from '../theme.js';
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
	/** Given the state's start and then every intent, in order (state/recording.ts). */
	record?: (entry: RecordedEntry) => void;
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
	color: colorProp,
	glyphs = glyphSetFor(process.platform),
	tickMs = 125,
	watchPauseMs = 10_000,
	bell = true,
	ringBell,
	watchAfterCheck,
	record,
}: AppProps) {
	const size = useTerminalSize({columns, rows});
	const [state, reduce] = useReducer(reducer, undefined, () => {
		const start = {...size, now: Date.now(), localAddress, caption, tag};
		// Ink renders without StrictMode: this initialiser runs once per mount.
		record?.({start: {config, ...start}});
		return createState(config, {...start, measure: screenMeasure});
	});
	const dispatch = useMemo<Dispatch<Intent>>(
		() =>
			record
				? intent => {
						record({intent});
						reduce(intent);
					}
				: reduce,
		[record],
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

	const color = useMemo(() => colorProp ?? !noColorRequested(), [colorProp]);
	return <Screen state={state} columns={size.columns} color={color} glyphs={glyphs} />;
}
