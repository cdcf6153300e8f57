import {formatDecimal, sayNote, words} from '../../catalog/index.js';
import {formatHostPort} from '../../stun/address.js';
import {sayMessage, verdict} from '../../check/verdicts.js';
import {clockTime} from '../../words/format.js';
import {isRunning, problemRanges} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {toneOfCode} from './format.js';
import {type Line, line} from './line.js';
import {saveNotice} from './save-lines.js';
import {spinnerFrame} from './spinner.js';
import {fit, pack, paragraph, width} from './wrap.js';

const maxRangeLines = 2;

/** What is going on right now, or how it ended: the lines between the header and the table. */
export const bannerLines = (state: SweepState): Line[] => {
	const size = state.viewport.columns;
	const {run, report} = state;
	const lines: Line[] = [];
	const spin = spinnerFrame(state.frame);
	const said = words().tui.banner;
	if (state.caption) {
		lines.push(...paragraph(state.caption, size, {tone: 'warn'}).slice(0, 2));
	}

	if (run.phase === 'failed') {
		lines.push(...paragraph(said.stoppedWithError(run.error ?? said.unknownError), size, {tone: 'bad', bold: true}, '✘ ', '  '));
	} else if (isRunning(state)) {
		if (run.phase === 'cancelling') {
			lines.push(line({text: said.cancelling, tone: 'warn', bold: true}));
		} else if (!state.server?.info) {
			const text = state.server
				? said.tryingServer(spin, formatHostPort(state.server.host, state.server.port))
				: said.lookingForServer(spin);
			lines.push(line({text: fit(text, size).trimEnd(), tone: 'info'}));
		} else if (run.rechecking) {
			lines.push(line({text: said.rechecking(spin, sayNote(run.rechecking.reason), run.rechecking.count), tone: 'info'}));
		} else {
			const what = run.id > 1 ? said.recheckingFailed(spin, run.ports.length) : said.checking(spin, run.ports.length);
			lines.push(line({text: what, tone: 'info'}, {text: said.cCancels, tone: 'muted'}));
		}

		for (const tried of state.serversTried.slice(-2)) {
			lines.push(
				line({
					text: fit(said.notUsable(formatHostPort(tried.host, tried.port), sayNote(tried.detail)), size).trimEnd(),
					tone: 'muted',
				}),
			);
		}

		if (state.pacing) {
			lines.push(
				line({
					text: fit(said.slowed(formatDecimal(state.pacing.rate), sayNote(state.pacing.reason)), size).trimEnd(),
					tone: 'warn',
				}),
			);
		}
	} else if (report) {
		if (run.cancelledAt) {
			const {done, total} = run.cancelledAt;
			lines.push(line({text: said.cancelledAt(done, total), tone: 'warn', bold: true}, {text: said.othersNotChecked}));
		}

		if (report.code === 'cancelled' && !run.cancelledAt) {
			// A re-run finished, but ports an earlier cancel skipped are still unchecked.
			const unchecked = state.rows.filter(row => row.result?.status === 'skipped').length;
			lines.push(line({text: said.incomplete(unchecked), tone: 'warn', bold: true}, {text: said.earlierCancelled}));
		}

		if (report.code !== 'cancelled') {
			const head = verdict(report.code);
			lines.push(
				...paragraph(`${head.symbol} ${head.label.toUpperCase()}: ${sayMessage(report.code, report.message)}`, size, {
					tone: toneOfCode(report.code),
					bold: true,
				}).slice(0, 3),
			);
		}

		if (report.status === 'error') {
			const steps = verdict(report.code).remediation({server: report.serversTried[0]?.host});
			lines.push(...steps.flatMap(step => paragraph(step, size, {}, '  • ', '    ')).slice(0, 4));
		}

		lines.push(...rangeLines(state, size));
	}

	lines.push(...watchLines(state, size));
	if (state.notice) {
		const notice = 'about' in state.notice ? saveNotice(state, state.notice.about) : state.notice;
		lines.push(...paragraph(notice.text, size, {tone: notice.tone}).slice(0, 3));
	}

	return lines;
};

const rangeLines = (state: SweepState, size: number): Line[] => {
	const ranges = problemRanges(state.rows);
	if (ranges.length === 0) {
		return [];
	}

	const items = ranges.map(({range, code}) => {
		const {symbol, label} = verdict(code);
		return line({text: `${symbol} ${range}`, tone: toneOfCode(code)}, ` ${label}`);
	});
	const said = words().tui.banner;
	const title = ranges.some(range => range.code === 'port-in-use') ? said.failedBusyTitle : said.failedTitle;
	const all = [line({text: title, bold: true}), ...items];
	const packed = pack(all, [size], maxRangeLines);
	if (packed.count === all.length) {
		return [...packed.lines, line({text: said.fShows, tone: 'muted'})];
	}

	// Leave room on the last line to say how many ranges did not fit.
	const suffix = (more: number) => said.moreRanges(more);
	const limits = [...Array.from({length: maxRangeLines - 1}, () => size), size - width(suffix(ranges.length))];
	const squeezed = pack(all, limits, maxRangeLines);
	squeezed.lines.at(-1)?.push({text: suffix(all.length - squeezed.count), tone: 'muted'});
	return squeezed.lines;
};

/** Watch mode: the round and when the last one ended, then each range that started to pass, latest first. */
const watchLines = (state: SweepState, size: number): Line[] => {
	const {watch} = state;
	if (!watch) {
		return [];
	}

	const said = words().tui.watch;
	const stoppedWords = {'all pass': said.allPass, 'an hour': said.anHour, stopped: said.stopped} as const;
	const last = watch.lastRoundAt === null ? '' : said.lastRound(clockTime(watch.lastRoundAt));
	const how = watch.stopped ? stoppedWords[watch.stopped] : isRunning(state) ? '' : said.next;
	const head = line({
		text: fit(`${said.round(watch.round)}${last}${how}`, size).trimEnd(),
		tone: watch.stopped === 'all pass' ? 'ok' : 'info',
	});
	const passing = watch.passing
		.toReversed()
		.slice(0, 2)
		.map(({ranges, since}) => line({text: fit(said.okSince(ranges, clockTime(since)), size).trimEnd(), tone: 'ok'}));
	return [head, ...passing];
};
