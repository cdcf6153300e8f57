import type {CheckConfig} from '../../check/types.js';
import type {Row, Run, ScreenMeasure, SweepState} from './types.js';

/** A run the engine has not started yet: the first sweep, or a re-run of some of its ports. */
export const newRun = (id: number, ports: number[]): Run => ({
	id,
	ports,
	phase: 'starting',
	startedAt: null,
	finishedAt: null,
	finished: 0,
	lastStarted: null,
	cancelledAt: null,
	rechecking: null,
	test3: null,
	error: null,
});

export const createState = (
	config: CheckConfig,
	options: {
		columns: number;
		rows: number;
		measure: ScreenMeasure;
		now: number;
		localAddress?: string;
		caption?: string;
		tag?: string;
	},
): SweepState => {
	const rows: Row[] = config.ports.map(port => ({port, phase: 'queued', result: null}));
	return {
		config,
		localAddress: options.localAddress ?? config.bindAddress ?? null,
		viewport: {columns: options.columns, rows: options.rows},
		measure: options.measure,
		rows,
		rowIndex: new Map(rows.map((row, index) => [row.port, index])),
		server: null,
		serversTried: [],
		publicIp: config.publicIp ?? null,
		pacing: null,
		run: newRun(1, config.ports),
		network: null,
		services: null,
		report: null,
		filter: 'all',
		selected: rows[0]?.port ?? null,
		scrollTop: 0,
		follow: true,
		pane: {kind: 'table'},
		prompt: null,
		notice: null,
		caption: options.caption ?? null,
		tag: options.tag ?? null,
		watch: null,
		frame: 0,
		now: options.now,
		save: {request: 0, phase: 'idle', directory: null, paths: null, failure: null, offer: null},
		quitArmed: false,
		quitting: false,
	};
};
