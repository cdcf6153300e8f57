import type {CheckConfig, CheckReport, PortResult, ServerInfo, ServicesConfig, SweepEvent} from '../../check/types.js';
import type {VerdictCode} from '../../check/verdicts.js';
import type {WatchStop} from '../../check/watch-rules.js';
import type {PathReport, RouterView} from '../../router/types.js';
import type {ServiceResults} from '../../report/services-text.js';
import type {Tone} from '../tone.js';

export type Filter = 'all' | 'failed' | 'busy' | 'ok';

export type RowPhase = 'queued' | 'running' | 'rechecking' | 'done';

/**
 * A port's Test 3 while the run goes on, before its verdict: `fail?` until the failure stands,
 * `confirming` while it is rechecked, `fail` once it stood and Tests 1-2 run.
 */
export type Test3Seen = 'pass' | 'busy' | 'fail?' | 'confirming' | 'fail';

/** One table row. `result` survives a re-run until the new result arrives. */
export interface Row {
	port: number;
	phase: RowPhase;
	result: PortResult | null;
	/** This run's Test 3 so far; absent until the port's first Test 3 is told. */
	test3?: Test3Seen;
}

/** How far the Test 3 pass is: each port's first Test 3, and the chunk being rechecked. */
export interface Test3Progress {
	total: number;
	/** Ports whose quick Test 3 is done. */
	seen: number;
	/** Of those, ports it reached unsolicited. */
	passed: number;
	recheck: {low: number; high: number; count: number} | null;
	finished: boolean;
}

export interface Run {
	/** 1 is the first sweep; every re-run gets the next number, and stale events carry old ones. */
	id: number;
	ports: number[];
	phase: 'starting' | 'running' | 'cancelling' | 'finished' | 'failed';
	startedAt: number | null;
	finishedAt: number | null;
	/** Ports of this run with a result (rechecks do not count twice). */
	finished: number;
	lastStarted: number | null;
	/** Set when the user cancelled: how far it got. */
	cancelledAt: {done: number; total: number} | null;
	rechecking: {count: number; left: number; reason: string} | null;
	/** Null until the engine starts a Test 3 pass (the server may not run Test 3). */
	test3: Test3Progress | null;
	error: string | null;
	/** The service checks this run asks for when not the config's: a watch round asks only for those that failed (null: none). */
	servicesAsked?: ServicesConfig | null;
}

export type Pane =
	| {kind: 'table'}
	| {kind: 'detail'; port: number; scroll: number}
	| {kind: 'summary'; scroll: number}
	| {kind: 'help'; scroll: number}
	| {kind: 'router'; scroll: number}
	| {kind: 'services'; scroll: number};

export interface ServerView {
	host: string;
	port: number;
	info: ServerInfo | null;
}

export interface ServicesView {
	phase: 'running' | 'finished';
	sipPort: number;
	tcpPorts: number[];
	results: ServiceResults;
}

export interface SaveFailure {
	directory: string;
	/** The errno code (ENOSPC, EACCES, EROFS…), when the error had one. */
	code: string | null;
	message: string;
	/** The one file left under its final name when the other could not be written nor this one removed. */
	kept: string | null;
}

export interface SaveState {
	/** Bumped by each save intent; the effect that writes files watches it. */
	request: number;
	phase: 'idle' | 'saving' | 'saved' | 'failed';
	/** Where this save writes, and the next ones: null is the place the user chose. */
	directory: string | null;
	paths: {markdownPath: string; jsonPath: string} | null;
	failure: SaveFailure | null;
	/** After a failure, the place the next `s` saves in (the effect knows the places, in order). */
	offer: string | null;
}

/**
 * A line under the banner: words the reducer chose, or one about saving, which ui/text words
 * from `save` so the save's sentences live with the TUI's other words (`text` is absent then).
 */
export type Notice = {text: string; tone: Tone} | {about: 'save' | 'nothing-to-save'; text?: undefined};

/**
 * What the reducer must know of the text on screen to keep the selection and a pane's scroll in
 * view. The text builders measure it (ui/text/layout.ts) and createState is handed it, so the
 * reducer stays pure and state/ never imports text/.
 */
export interface ScreenMeasure {
	/** Rows the port table gets. */
	tableRows: (state: SweepState) => number;
	/** Rows the open pane's text gets. */
	paneRows: (state: SweepState) => number;
	/** Lines of the open pane's text, wrapped to the terminal's width. */
	paneLineCount: (state: SweepState) => number;
}

/** Watch mode (w): rounds of re-runs of the failed and busy ports; see state/watch.ts. */
export interface WatchState {
	startedAt: number;
	/** Rounds started, the first being 1. */
	round: number;
	/** When the latest round ended. */
	lastRoundAt: number | null;
	/** Ports that started to pass during watch, as ranges, and when. */
	passing: Array<{ranges: string; since: number}>;
	/** Rounds that brought a pass: the terminal bell rings once for each. */
	bells: number;
	/** Why watch stopped; null while it goes on. */
	stopped: WatchStop | null;
}

export interface SweepState {
	config: CheckConfig;
	/** This host's LAN address, once known: where forwarding rules must point. */
	localAddress: string | null;
	viewport: {columns: number; rows: number};
	measure: ScreenMeasure;
	rows: Row[];
	rowIndex: ReadonlyMap<number, number>;
	server: ServerView | null;
	serversTried: Array<{host: string; port: number; code: VerdictCode; detail: string}>;
	publicIp: string | null;
	pacing: {rate: number; reason: string} | null;
	run: Run;
	/** The router's view and the path, once the check beside the sweep has them. */
	network: {router: RouterView; path: PathReport} | null;
	/** The checks only `fwcheck serve` offers (SIP ALG, SIP port, TCP), from their events; null until they start. */
	services: ServicesView | null;
	/** The latest report, with re-run results merged in. */
	report: CheckReport | null;
	filter: Filter;
	/** Selected port (not index), so filtering keeps the selection where it can. */
	selected: number | null;
	scrollTop: number;
	/** Until the user moves, the table keeps the ports being checked in view. */
	follow: boolean;
	pane: Pane;
	/** Text of the jump-to-port prompt while it is open. */
	prompt: string | null;
	notice: Notice | null;
	/** A line that stays above the table for the whole run (the demo says what it is). */
	caption: string | null;
	/** One word at the head of every pane's title (the demo's DEMO or SIMULATION). */
	tag: string | null;
	watch: WatchState | null;
	/** Spinner frame, advanced by the one shared ticker. */
	frame: number;
	now: number;
	save: SaveState;
	/** q pressed once during a sweep: it cancelled, and q again quits. */
	quitArmed: boolean;
	quitting: boolean;
}

export type Intent =
	| {type: 'events'; runId: number; events: SweepEvent[]; now: number}
	| {type: 'run-started'; runId: number; now: number}
	| {type: 'run-finished'; runId: number; report: CheckReport; now: number}
	| {type: 'run-failed'; runId: number; error: string; now: number}
	| {type: 'viewport'; columns: number; rows: number}
	| {type: 'move'; delta: number}
	| {type: 'page'; delta: number}
	| {type: 'edge'; to: 'first' | 'last'}
	| {type: 'step'; delta: number}
	| {type: 'filter'; next?: Filter}
	| {type: 'jump'; port: number}
	/** A printable key (or a paste): a command letter, or text for the jump prompt. */
	| {type: 'press'; text: string}
	/** Enter: jump when the prompt is open, else open the selected port. */
	| {type: 'enter'}
	| {type: 'prompt-open'}
	| {type: 'prompt-input'; text: string}
	| {type: 'prompt-backspace'}
	| {type: 'prompt-submit'}
	| {type: 'open'; port?: number}
	| {type: 'summary'}
	| {type: 'help'}
	| {type: 'router'}
	| {type: 'services'}
	| {type: 'back'}
	| {type: 'cancel'}
	| {type: 'interrupt'}
	| {type: 'quit'}
	| {type: 'rerun'}
	/** w: start or stop watch mode. */
	| {type: 'watch'; now?: number}
	/** The pause between watch rounds is over. */
	| {type: 'watch-round'}
	| {type: 'save'}
	| {type: 'saved'; request: number; paths: {markdownPath: string; jsonPath: string}}
	| {type: 'save-failed'; request: number; failure: SaveFailure; offer: string};

/** The intent of one type, for the function that handles it. */
export type IntentOf<T extends Intent['type']> = Extract<Intent, {type: T}>;
