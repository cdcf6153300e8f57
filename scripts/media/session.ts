// One TUI run in a tmux session inside the lab's PBX namespace: started, watched until the
// verdict shows (keeping the best mid-sweep capture on the way), driven with keys, quit.
import process from 'node:process';
import {HOSTS, NS} from '../../lab/lab.js';
import type {Lab} from '../../lab/lab.js';
import {logger} from '../support/log.js';
import {CLI, REPO} from '../support/paths.js';
import {shellQuote, sleep} from '../support/shell.js';
import {screenLines} from '../support/tmux.js';
import type {PrivateTmux} from '../support/tmux.js';
import {COMMAND_LINE, PORTS, SCREEN, SCREEN_TIMEOUT_MS, SWEEP_TIMEOUT_MS} from './config.js';

const log = logger('media');

/** A tmux session the script drives. */
export type Session = {tmux: PrivateTmux; name: string};

export const capture = ({tmux, name}: Session, colour: boolean): string => tmux.capture(name, colour);

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

const progressOf = (screen: string): {done: number; total: number} | undefined => {
	const match = /(\d+)\/(\d+)\s+\d+%/.exec(screen);
	return match ? {done: Number(match[1]), total: Number(match[2])} : undefined;
};

/** How many different row states the table shows in its verdict column (ok, each failure, busy, checking, rechecking, queued). */
export const rowKinds = (screen: string): number => {
	const kinds = new Set<string>();
	for (const row of screen.split('\n')) {
		if (!/^[ ›] \d+ /.test(row)) continue;
		// At 80 columns the verdict is the last column, from cell 59 on (PortRow.columnsFor).
		const verdict = [...row].slice(59).join('').trim();
		const kind = /\b(rechecking|checking|queued)\b/.exec(verdict)?.[1] ?? verdict.split(' ').slice(0, 2).join(' ');
		if (kind) kinds.add(kind);
	}
	return kinds.size;
};

export type Candidate = {ansi: string; text: string; done: number; total: number; kinds: number};

/**
 * Starts the TUI in a new tmux session and polls it until the verdict shows. While it runs, keeps
 * the capture whose rows show the most kinds of state, then the one nearest 60% done; `whileRunning`
 * gets one call once the sweep is under way (to move the cursor, say).
 */
export async function sweepSession(
	lab: Lab,
	session: Session,
	whileRunning?: () => Promise<void>,
): Promise<{best: Candidate | undefined; tallest: number}> {
	const command = ['ip', 'netns', 'exec', NS.pbx, process.execPath, CLI, '--stun', HOSTS.coturn, '--ports', PORTS]
		.map(shellQuote)
		.join(' ');
	session.tmux.newSession(session.name, SCREEN.columns, SCREEN.rows, REPO, command);
	log(`${session.name}: tmux pane ${session.tmux.describe(session.name)}: ${COMMAND_LINE} in ${NS.pbx}`);
	let best: Candidate | undefined;
	let tallest = 0;
	let hooked = !whileRunning;
	const started = Date.now();
	const better = (a: Candidate, b: Candidate | undefined): boolean =>
		!b || a.kinds > b.kinds || (a.kinds === b.kinds && Math.abs(a.done / a.total - 0.6) < Math.abs(b.done / b.total - 0.6));
	while (Date.now() - started < SWEEP_TIMEOUT_MS) {
		const ansi = capture(session, true);
		const text = capture(session, false);
		tallest = Math.max(tallest, screenLines(text));
		if (/\btook \d/.test(text)) {
			log(`${session.name}: sweep over after ~${((Date.now() - started) / 1000).toFixed(1)} s; tallest screen ${tallest} lines`);
			return {best, tallest};
		}
		const progress = progressOf(text);
		if (!hooked && /Checking \d+ UDP ports/.test(text)) {
			hooked = true;
			await whileRunning?.();
			continue;
		}
		if (progress && /\belapsed \d/.test(text) && progress.done > 0) {
			const candidate = {ansi, text, ...progress, kinds: rowKinds(text)};
			if (better(candidate, best)) best = candidate;
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
