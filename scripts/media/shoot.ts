// The screenshots. Two runs against coturn for the sweep under way (Test 3's phase in the
// header): one left alone, one whose cursor jumps as soon as the sweep starts; the best capture
// of the two. Then a run against the lab's `fwcheck serve` (the only server with the SIP and TCP
// checks) left alone: the final table, the failed-only table, a drill-down, the F summary, the n
// (network) and v (services) panes, then watch mode once the router forwards ten more ports.
// Each screenshot is tied to the state it shows: the TUI records its intents
// (FWCHECK_RECORD_TUI), and the shot keeps the count whose replay the TUI's Screen draws exactly
// as tmux captured it; a capture no replay draws is not used.
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type {Lab} from '../../lab/lab.js';
import {logger} from '../support/log.js';
import {sleep} from '../support/shell.js';
import {PrivateTmux} from '../support/tmux.js';
import {
	BLOCKED_PORT,
	FORWARDED_LATER,
	MAIN_SERVER,
	MEDIA,
	SWEEP_JUMP,
	SWEEP_SERVER,
	commandLine,
	routerScenario,
} from './config.js';
import {writeShot, writeShotSources} from './output.js';
import type {Shot} from './output.js';
import {RecordingCounter, packRecording, readRecording} from './recording.js';
import {redraw, screenText} from './redraw.js';
import {byPreference, capture, captureWithIntents, keys, quitSession, settle, sweepSession, waitFor} from './session.js';
import type {Capture, Session} from './session.js';

const log = logger('media');

/** How far before the count read ahead of a capture the screen may lag (intents not drawn yet). */
const LAG = 8;

type Taken = Capture & {name: string; note: string};

/** The intent count whose replay draws this capture, or undefined. */
function intentsOf(recording: ReturnType<typeof readRecording>, capture: Capture): number | undefined {
	const wanted = screenText(capture.text);
	const last = Math.min(capture.intentsAfter, recording.length - 1);
	for (let n = last; n >= Math.max(0, capture.intentsBefore - LAG); n--) {
		if (redraw(recording, n) === wanted) return n;
	}
	return undefined;
}

function openSession(tmux: PrivateTmux, dir: string, name: string, server: string): Session {
	const recording = new RecordingCounter(path.join(dir, `${name}.tui.jsonl`));
	return {tmux, name, server, recording, stateDir: mkdtempSync(path.join(dir, `${name}-state-`))};
}

/** The session's shots with their intent counts, and its recording cut after the last one, in media/. */
function tieToRecording(session: Session, taken: readonly Taken[]): Shot[] {
	const recording = readRecording(session.recording.file);
	const file = `${session.name}.tui.jsonl.gz`;
	const shots: Shot[] = [];
	for (const shot of taken) {
		const intents = intentsOf(recording, shot);
		if (intents === undefined) {
			throw new Error(
				`${shot.name}: no replay of ${session.recording.file} (intents ${shot.intentsBefore}-${shot.intentsAfter}) draws what tmux showed:\n${shot.text}\nreplayed:\n${redraw(recording, Math.min(shot.intentsAfter, recording.length - 1))}`,
			);
		}
		shots.push({name: shot.name, note: shot.note, ansi: shot.ansi, text: shot.text, title: commandLine(session.server), recording: file, intents});
	}
	const needed = Math.max(...shots.map(shot => shot.intents));
	writeFileSync(path.join(MEDIA, file), packRecording(recording, needed));
	return shots;
}

async function mainRun(lab: Lab, tmux: PrivateTmux, dir: string): Promise<Shot[]> {
	const session = openSession(tmux, dir, 'main', MAIN_SERVER);
	const taken: Taken[] = [];
	const take = async (name: string, note: string) => {
		await settle(session);
		taken.push({...captureWithIntents(session), name, note});
	};
	const back = async () => {
		keys(session, 'Escape');
		await waitFor(session, /Port\s+Test 1 reach/);
	};

	await sweepSession(lab, session);
	// The router view and the SIP/TCP checks may still be going once the verdict shows.
	await waitFor(session, /v details/);
	await take('table', 'final screen');

	keys(session, 'f');
	await waitFor(session, /\[failed \d+\/\d+\]/);
	keys(session, '/');
	await waitFor(session, /Jump to port:/);
	keys(session, ...String(BLOCKED_PORT).split(''), 'Enter');
	await waitFor(session, new RegExp(`› ${BLOCKED_PORT} `));
	await take('failed', `filter failed, cursor on ${BLOCKED_PORT} (f, /${BLOCKED_PORT} Enter)`);

	keys(session, 'Enter');
	await waitFor(session, new RegExp(`Port ${BLOCKED_PORT} · details`));
	await take('detail', `details of ${BLOCKED_PORT} (Enter)`);
	await back();

	keys(session, 'F');
	await waitFor(session, /Summary · failed ranges/);
	await take('summary', 'F summary');
	await back();

	keys(session, 'n');
	await waitFor(session, /Router and path · who is in the way/);
	await take('network', 'n: the router view and the path');
	await back();

	keys(session, 'v');
	await waitFor(session, /SIP ALG, SIP port and TCP · what the server received/);
	await take('services', 'v: SIP ALG, SIP port and TCP checks');
	await back();

	// Watch: the router now forwards ten more ports; the first round finds them passing.
	// f steps through the filters (failed, busy, ...): round to all again.
	for (let i = 0; i < 6 && !/\[all \d+\/\d+/.test(capture(session, false)); i++) {
		keys(session, 'f');
		await sleep(300);
	}
	await waitFor(session, /\[all \d+\/\d+/);
	await lab.setRouter(routerScenario(FORWARDED_LATER));
	keys(session, 'w');
	await waitFor(session, /Watch round 1, last round .* next round soon/, 60_000);
	await take('watch', `w after the router forwards ${FORWARDED_LATER.join('-')}: round 1 done`);
	await quitSession(session);
	return tieToRecording(session, taken);
}

/** One run against coturn, its captures of the sweep under way; the cursor jumps to `jump` once it starts. */
async function sweepCandidates(lab: Lab, tmux: PrivateTmux, dir: string, name: string, jump?: string) {
	await lab.flushConntrack();
	const session = openSession(tmux, dir, name, SWEEP_SERVER);
	const {candidates} = await sweepSession(
		lab,
		session,
		jump
			? async () => {
					keys(session, '/', ...jump.split(''), 'Enter');
				}
			: undefined,
	);
	await quitSession(session);
	return candidates.map(candidate => ({...candidate, session, how: jump ? `cursor moved with /${jump}` : 'left alone'}));
}

/**
 * The sweep under way: a run left alone, and one whose cursor jumps (/9142 Enter) to where
 * finished, running and busy rows meet; the best capture of either that a replay draws (a poll
 * that fell between an intent and its frame is skipped).
 */
async function sweepRun(lab: Lab, tmux: PrivateTmux, dir: string): Promise<Shot[]> {
	const candidates = [
		...(await sweepCandidates(lab, tmux, dir, 'sweep')),
		...(await sweepCandidates(lab, tmux, dir, 'sweep-jump', SWEEP_JUMP)),
	].sort(byPreference);
	const recordings = new Map<Session, ReturnType<typeof readRecording>>();
	for (const candidate of candidates.slice(0, 40)) {
		const {session} = candidate;
		const recording = recordings.get(session) ?? readRecording(session.recording.file);
		recordings.set(session, recording);
		if (intentsOf(recording, candidate) === undefined) continue;
		const note = `mid-sweep ${candidate.done}/${candidate.total}, ${candidate.kinds} kinds of row${candidate.test3 ? ', Test 3 under way' : ''}${/ fail\? /.test(candidate.text) ? ', Test 3 failures to confirm' : ''} (${candidate.how})`;
		log(`sweep: ${note}`);
		if (!candidate.test3 || !/ fail\? /.test(candidate.text)) {
			log("sweep: this capture lacks Test 3's phase or a failure to confirm: readme.md's caption of media/sweep.svg says both");
		}
		return tieToRecording(session, [{...candidate, name: 'sweep', note}]);
	}
	log(`sweep: none of ${candidates.length} mid-sweep captures could be tied to its state: skipped`);
	return [];
}

export async function shoot(lab: Lab, pngDir: string | undefined): Promise<Shot[]> {
	const tmux = new PrivateTmux(`fwcheck-media-${process.pid}`);
	const dir = mkdtempSync(path.join(os.tmpdir(), 'fwcheck-media-'));
	try {
		const shots = [...(await sweepRun(lab, tmux, dir)), ...(await mainRun(lab, tmux, dir))];
		for (const shot of shots) await writeShot(shot, pngDir);
		writeShotSources(shots);
		// A recording no screenshot needs any more (a run whose captures were not chosen) goes.
		const used = new Set(shots.map(shot => shot.recording));
		for (const file of readdirSync(MEDIA).filter(name => name.endsWith('.tui.jsonl.gz') && !used.has(name))) {
			rmSync(path.join(MEDIA, file));
		}
		return shots;
	} finally {
		tmux.kill();
		rmSync(dir, {recursive: true, force: true});
	}
}
