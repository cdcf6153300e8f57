// One TUI run in a tmux session inside the lab's PBX namespace: started, watched until the
// verdict shows (keeping the best mid-sweep capture on the way), driven with keys, quit.
import process from 'node:process';
import {NS} from '../../lab/lab.js';
import type {Lab} from '../../lab/lab.js';
import {logger} from '../support/log.js';
import {CLI, REPO} from '../support/paths.js';
import {shellQuote, sleep} from '../support/shell.js';
import {screenLines} from '../support/tmux.js';
import type {PrivateTmux} from '../support/tmux.js';
import {PORTS, SCREEN, SCREEN_TIMEOUT_MS, SWEEP_TIMEOUT_MS, commandLine} from './config.js';
import {RecordingCounter} from './recording.js';
import {screenText} from './redraw.js';

const log = logger('media');

/**
 * A tmux session the script drives: the TUI in it checks against `server` and records its
 * intents to `recording` (FWCHECK_RECORD_TUI), with a check history of its own in `stateDir`.
 */
export type Session = {tmux: PrivateTmux; name: string; server: string; recording: RecordingCounter; stateDir: string};

export const capture = ({tmux, name}: Session, colour: boolean): string => tmux.capture(name, colour);

/** A screen as captured, and how many intents the TUI had recorded just before and just after. */
export type Capture = {ansi: string; text: string; intentsBefore: number; intentsAfter: number};

export const captureWithIntents = (session: Session): Capture => {
	const intentsBefore = session.recording.intents();
	const ansi = capture(session, true);
	// The text from the same capture: a second one could show a later frame.
	return {ansi, text: screenText(ansi), intentsBefore, intentsAfter: session.recording.intents()};
};

/** Waits until the TUI has recorded no intent for `quietMs` (it has drawn what it was given); bounded. */
export async function settle(session: Session, quietMs = 600, limitMs = SCREEN_TIMEOUT_MS): Promise<void> {
	let count = session.recording.intents();
	let since = Date.now();
	for (const started = Date.now(); Date.now() - started < limitMs; ) {
		await sleep(100);
		const now = session.recording.intents();
		if (now !== count) {
			count = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) {
			return;
		}
	}
	log(`${session.name}: still recording intents after ${limitMs} ms: capturing anyway`);
}

export const keys = ({tmux, name}: Session, ...names: string[]): void => tmux.sendKeys(name, ...names);

/** Polls the screen (plain text) until `what` matches; bounded. */
export async function waitFor(session: Session, what: RegExp, limitMs = SCREEN_TIMEOUT_MS): Promise<string> {
	let last = '';
	for (const started = Date.now(); Date.now() - started < limitMs; ) {
		last = capture(session, false);
		if (what.test(last)) return last;
		await sleep(100);
	}
	throw new Error(`the screen never showed ${what}:\n${last}`);
}

/** Ports done of all to do, from the progress line: "12/200  6%", or Test 3's and Tests 1-2's counts while both run. */
const progressOf = (screen: string): {done: number; total: number} | undefined => {
	const phases = /Test 3 (\d+)\/(\d+).*Tests 1-2 (\d+)\/(\d+)/.exec(screen) ?? /Tests 1-2 (\d+)\/(\d+)/.exec(screen);
	const counts = phases?.slice(1).map(Number);
	if (counts) {
		const pairs = counts.length === 4 ? [counts.slice(0, 2), counts.slice(2)] : [counts];
		return {done: pairs.reduce((sum, [done]) => sum + done!, 0), total: pairs.reduce((sum, [, total]) => sum + total!, 0)};
	}
	const match = /(\d+)\/(\d+)\s+\d+%/.exec(screen);
	return match ? {done: Number(match[1]), total: Number(match[2])} : undefined;
};

/** How many different row states the table shows in its verdict column (ok, each failure, busy, checking, rechecking, queued). */
export const rowKinds = (screen: string): number => {
	const lines = screen.split('\n');
	// The verdict is the last column: where the table's heading puts it.
	const heading = lines.find(line => /^\s+Port\s/.test(line));
	const at = heading ? [...heading].join('').indexOf('Verdict') : -1;
	if (at < 0) return 0;
	const kinds = new Set<string>();
	for (const row of lines) {
		if (!/^[ ›] \d+ /.test(row)) continue;
		const verdict = [...row].slice(at).join('').trim();
		const kind = /\b(rechecking|checking|queued|confirm\w*)\b/.exec(verdict)?.[1] ?? verdict.split(' ').slice(0, 2).join(' ');
		if (kind) kinds.add(kind);
	}
	return kinds.size;
};

export type Candidate = Capture & {done: number; total: number; kinds: number; test3: boolean};

const score = (c: Candidate): number[] => [
	Number(c.test3),
	Number(/ fail\? /.test(c.text)),
	c.kinds,
	-Math.abs(c.done / c.total - 0.6),
];

/**
 * Best first: Test 3's phase in the header, then a port whose Test 3 failed waiting to be
 * confirmed (what the readme's caption says), then the most kinds of row state, then nearest 60% done.
 */
export const byPreference = (a: Candidate, b: Candidate): number => {
	const [x, y] = [score(a), score(b)];
	const i = x.findIndex((value, j) => value !== y[j]);
	return i < 0 ? 0 : y[i]! - x[i]!;
};

/**
 * Starts the TUI in a new tmux session and polls it until the verdict shows. While it runs, keeps
 * every capture of the sweep under way, best first: Test 3's phase in the header, then the most
 * kinds of row state, then nearest 60% done. `whileRunning` gets one call once the sweep is under
 * way (to move the cursor, say).
 */
export async function sweepSession(
	lab: Lab,
	session: Session,
	whileRunning?: () => Promise<void>,
): Promise<{candidates: Candidate[]; tallest: number}> {
	// TZ: watch mode prints clock times, and the test that draws the screenshots again runs in UTC.
	const command = [
		'ip',
		'netns',
		'exec',
		NS.pbx,
		'env',
		'TZ=UTC',
		`FWCHECK_RECORD_TUI=${session.recording.file}`,
		`FWCHECK_STATE_DIR=${session.stateDir}`,
		process.execPath,
		CLI,
		'--stun',
		session.server,
		'--ports',
		PORTS,
	]
		.map(shellQuote)
		.join(' ');
	session.tmux.newSession(session.name, SCREEN.columns, SCREEN.rows, REPO, command);
	log(`${session.name}: tmux pane ${session.tmux.describe(session.name)}: ${commandLine(session.server)} in ${NS.pbx}`);
	const candidates: Candidate[] = [];
	let tallest = 0;
	let hooked = !whileRunning;
	const started = Date.now();
	while (Date.now() - started < SWEEP_TIMEOUT_MS) {
		const shot = captureWithIntents(session);
		const {text} = shot;
		tallest = Math.max(tallest, screenLines(text));
		if (/\btook \d/.test(text)) {
			log(`${session.name}: sweep over after ~${((Date.now() - started) / 1000).toFixed(1)} s; tallest screen ${tallest} lines`);
			return {candidates: candidates.sort(byPreference), tallest};
		}
		const progress = progressOf(text);
		if (!hooked && /Checking \d+ UDP ports/.test(text)) {
			hooked = true;
			await whileRunning?.();
			continue;
		}
		if (progress && /\belapsed \d/.test(text) && progress.done > 0) {
			candidates.push({...shot, ...progress, kinds: rowKinds(text), test3: /\bTest 3 \d+\/\d+/.test(text)});
		}
		await sleep(40);
	}
	throw new Error(`no verdict within ${SWEEP_TIMEOUT_MS} ms:\n${capture(session, false)}\n${await lab.routerState()}`);
}

/** `q`, then the session must be gone within 5 s (else it is killed). */
export async function quitSession(session: Session): Promise<void> {
	const {tmux, name} = session;
	keys(session, 'q');
	for (let i = 0; i < 50 && tmux.run('has-session', '-t', name).ok; i++) await sleep(100);
	if (tmux.run('has-session', '-t', name).ok) {
		log(`${name}: still there 5 s after q: killing it`);
		tmux.run('kill-session', '-t', name);
	}
}
