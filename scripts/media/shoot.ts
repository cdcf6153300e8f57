// The screenshots: a run left alone (final screen, failed-only table, a drill-down, the F
// summary), then a second run whose cursor moves as soon as the sweep starts, for a screen in
// progress (the first run's is used instead when its rows show as many kinds of state).
import process from 'node:process';
import type {Lab} from '../../lab/lab.js';
import {logger} from '../support/log.js';
import {sleep} from '../support/shell.js';
import {PrivateTmux} from '../support/tmux.js';
import {BLOCKED_PORT, SWEEP_JUMP} from './config.js';
import {writeShot} from './output.js';
import type {Shot} from './output.js';
import {capture, keys, quitSession, sweepSession, waitFor} from './session.js';
import type {Session} from './session.js';

const log = logger('media');

const shotOf = (session: Session, name: string, note: string): Shot => ({
	name,
	ansi: capture(session, true),
	text: capture(session, false),
	note,
});

export async function shoot(lab: Lab, pngDir: string | undefined): Promise<Shot[]> {
	const tmux = new PrivateTmux(`fwcheck-media-${process.pid}`);
	try {
		const shots: Shot[] = [];

		// The run left alone: the final screen, then the keys a user would press.
		const final: Session = {tmux, name: 'final'};
		const natural = await sweepSession(lab, final);
		// (2) The final screen, once the last frame has landed.
		await sleep(500);
		shots.push(shotOf(final, 'table', 'final screen'));

		// The failed-only table, with the cursor on the inbound-blocked port.
		keys(final, 'f');
		await waitFor(final, /\[failed \d+\/\d+\]/);
		keys(final, '/');
		await waitFor(final, /Jump to port:/);
		keys(final, ...String(BLOCKED_PORT).split(''), 'Enter');
		await waitFor(final, new RegExp(`› ${BLOCKED_PORT} `));
		await sleep(300);
		shots.push(shotOf(final, 'failed', `filter failed, cursor on ${BLOCKED_PORT} (f, /${BLOCKED_PORT} Enter)`));

		// (3) Drill-down of the inbound-blocked port.
		keys(final, 'Enter');
		await waitFor(final, new RegExp(`Port ${BLOCKED_PORT} · details`));
		await sleep(300);
		shots.push(shotOf(final, 'detail', `details of ${BLOCKED_PORT} (Enter)`));
		keys(final, 'Escape');
		await waitFor(final, /Port\s+Test 1 reach/);

		// (4) The F summary.
		keys(final, 'F');
		await waitFor(final, /Summary · failed ranges/);
		await sleep(300);
		shots.push(shotOf(final, 'summary', 'F summary'));
		keys(final, 'Escape');
		await waitFor(final, /Port\s+Test 1 reach/);
		await quitSession(final);

		// (1) Mid-sweep. Left alone the cursor follows the newest port, so the rows on screen are all
		// "checking"; a second run jumps to the edge of the forwarded range as soon as the sweep starts
		// (`/9142` Enter), where finished, running and busy rows meet.
		await lab.flushConntrack();
		const sweep: Session = {tmux, name: 'sweep'};
		const jumped = await sweepSession(lab, sweep, async () => {
			keys(sweep, '/', ...SWEEP_JUMP.split(''), 'Enter');
		});
		await quitSession(sweep);
		for (const [name, run] of [
			['left alone', natural],
			[`/${SWEEP_JUMP}`, jumped],
		] as const) {
			log(
				`mid-sweep candidate (${name}): ${run.best ? `${run.best.done}/${run.best.total}, ${run.best.kinds} kinds of row` : 'none'}`,
			);
		}
		// The run left alone unless the other one shows more.
		const best = natural.best && (!jumped.best || natural.best.kinds >= jumped.best.kinds) ? natural.best : jumped.best;
		if (best) {
			const how = best === jumped.best ? `second run, cursor moved with /${SWEEP_JUMP}` : 'first run, left alone';
			shots.unshift({
				name: 'sweep',
				ansi: best.ansi,
				text: best.text,
				note: `mid-sweep ${best.done}/${best.total}, ${best.kinds} kinds of row (${how})`,
			});
		} else {
			log('no mid-sweep screen caught (the sweep was too quick for the polls): skipped');
		}

		for (const shot of shots) await writeShot(shot, pngDir);
		return shots;
	} finally {
		tmux.kill();
	}
}
