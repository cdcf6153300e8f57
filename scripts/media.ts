/**
 * Screenshots of real runs for readme.md: `npm run media` (as root; it builds first).
 *
 * Builds the network lab (lab/): coturn and `fwcheck serve` on the fake internet, a router
 * forwarding 9000-9149 1:1 and masquerading the rest, with the kernel's SIP helper (a SIP ALG)
 * on, and a process holding UDP 9160 on the PBX. Then runs the TUI in a private tmux server at
 * 80x24 inside the PBX namespace, e.g.
 *   ip netns exec fwl-pbx node dist/cli.js --stun own.fwl.test --ports 9000-9199
 * and captures, with colours (`capture-pane -e`), the screens media/shoot.ts lists. Each becomes
 * media/<name>.svg (the capture read by a headless xterm, media/screen.ts, and drawn one fixed x
 * per cell, media/svg.ts), media/<name>.txt (plain text) and media/<name>.ansi (the coloured
 * capture, for --render-only). The TUI records its intents meanwhile (FWCHECK_RECORD_TUI):
 * media/<run>.tui.jsonl.gz keeps them and media/shots.json says how many rebuild each shot's
 * state, so test/ui/media.test.tsx can draw every screenshot again and fail when the TUI no
 * longer draws what the picture shows. With rsvg-convert (Debian librsvg2-bin) it also writes
 * PNGs to a temporary directory to look at.
 *
 *   --render-only   re-render media/*.ansi to SVG (and PNG) without the lab (no root needed)
 *
 * When another lab is up (one per name prefix, FWCHECK_LAB_PREFIX), waits for it: up to 10
 * minutes, retrying every 15 s. Only lab addresses are contacted; every wait is bounded; the
 * tmux server and the lab are torn down on every path.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import process from 'node:process';
import {HOSTS, createLabWhenFree, labSupport} from '../lab/lab.js';
import {BUSY_PORT, FORWARDED, routerScenario} from './media/config.js';
import {pngDirectory, renderOnly} from './media/output.js';
import {shoot} from './media/shoot.js';
import {logger} from './support/log.js';
import {CLI} from './support/paths.js';
import {killLiveTmuxServers} from './support/tmux.js';

const LAB_WAIT_TRIES = 40; // x 15 s = 10 min
const LAB_WAIT_MS = 15_000;
const WATCHDOG_MS = 20 * 60_000;

const log = logger('media');

async function main(): Promise<number> {
	if (process.argv.includes('--render-only')) return renderOnly();
	const support = labSupport();
	if (!support.ok) {
		log(`network lab unavailable: ${support.reason}`);
		return 2;
	}
	if (!existsSync(CLI)) {
		log(`${CLI} missing: run \`npm run build\` first`);
		return 1;
	}
	if (spawnSync('tmux', ['-V'], {stdio: 'ignore', timeout: 5000}).status !== 0) {
		log('tmux is not installed (apt-get install tmux)');
		return 1;
	}
	const pngDir = pngDirectory();
	const lab = await createLabWhenFree({
		tries: LAB_WAIT_TRIES,
		intervalMs: LAB_WAIT_MS,
		onWait(why, attempt) {
			log(`${why}: waiting ${LAB_WAIT_MS / 1000} s (${attempt}/${LAB_WAIT_TRIES})`);
		},
	});
	try {
		await lab.startCoturn();
		await lab.startOwn();
		await lab.setRouter(routerScenario(FORWARDED));
		await lab.holdPort(BUSY_PORT);
		log(
			`lab up: coturn ${HOSTS.coturn} and fwcheck serve ${HOSTS.own}, router forwards ${FORWARDED.join('-')} 1:1 with a SIP ALG, UDP ${BUSY_PORT} held on the PBX`,
		);
		const shots = await shoot(lab, pngDir);
		log(`${shots.length} screenshots in media/${pngDir ? `; PNGs in ${pngDir}` : ''}`);
		return 0;
	} finally {
		killLiveTmuxServers();
		await lab.teardown();
	}
}

process.on('exit', killLiveTmuxServers);
const watchdog = setTimeout(() => {
	log(`watchdog: still running after ${WATCHDOG_MS / 60_000} min, giving up`);
	process.exit(1); // the lab's exit handler tears it down, ours kills tmux
}, WATCHDOG_MS);
watchdog.unref();

try {
	process.exitCode = await main();
} catch (error) {
	log(`failed: ${(error as Error).stack ?? String(error)}`);
	process.exitCode = 1;
}
