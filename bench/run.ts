/**
 * fwcheck benchmark on the network lab (lab/): `sudo npm run bench` (or, built,
 * `sudo node --import tsx bench/run.ts [--runs N]`, N runs per measurement, default 3).
 *
 * Measures, and prints as Markdown (also written to bench/results.md), run/phases.ts:
 *   1. fwcheck --json over 9000-10999, all open (forward-all) and all closed (masquerade), against
 *      coturn and stund: wall time (median/min/max of the runs), the report's durationMs, peak RSS,
 *      packets sent, and whether every verdict was the expected one;
 *   2. the reference-style baseline: Debian's `stun` client, one port at a time, on a sample;
 *   3. the floor: a bare Node script that binds the 2000 ports and sends one Binding each;
 *   4. 10% loss and a 300 packets/s rate-limited router on 9000-9499.
 *
 * `--scale` measures only the scale table instead (run/scale.ts: 2000, 8000, 10001 and 32000 ports
 * against coturn) and puts it into bench/results.md in place of the previous one; `--cases A,B`
 * keeps the cases whose name starts with one of those (e.g. `--cases 2000,10001`); `--cli PATH`
 * runs another build (an A/B against a copy of an older dist/).
 * It reports the targets next to the numbers and never asserts them (run/render.ts). Exit
 * status: 0, or 1 when the lab cannot be built or a run crashed (no JSON, timeout, exit status
 * other than 0/1), 2 when not root or on bad arguments. Only lab addresses are contacted; every
 * loop is bounded; the lab is torn down on every path (and by the lab's own exit/signal handlers).
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {createLabWhenFree, labSupport} from '../lab/lab.js';
import type {Lab} from '../lab/lab.js';
import {logger} from '../scripts/support/log.js';
import {CLI, REPO} from '../scripts/support/paths.js';
import {GNU_TIME, gnuTimeWorks} from '../scripts/support/resources.js';
import {DEFAULT_RUNS, LOCK_WAIT_TRIES, RESULTS, WATCHDOG_MS} from './run/config.js';
import type {RssMode} from './run/fwcheck-run.js';
import {machine} from './run/machine.js';
import {STUN_SAMPLE_PORTS, measureFloor, measureFullRange, measureHostile, measureStunClient} from './run/phases.js';
import {render} from './run/render.js';
import {SCALE_CASES, measureScale, renderScale, scaleLines, scaleSection} from './run/scale.js';

const LOAD_AT_START = os.loadavg();
const log = logger('bench');

const createLabWaiting = async (): Promise<Lab> =>
	createLabWhenFree({
		tries: LOCK_WAIT_TRIES,
		intervalMs: 5000,
		onWait(why, attempt) {
			if (attempt === 1) log(`${why}: waiting for it (at most ${(LOCK_WAIT_TRIES * 5) / 60} min)`);
		},
	});

async function main(): Promise<number> {
	const {values} = parseArgs({
		options: {
			runs: {type: 'string', default: String(DEFAULT_RUNS)},
			scale: {type: 'boolean', default: false},
			cases: {type: 'string'},
			cli: {type: 'string'},
		},
	});
	const runs = Number(values.runs);
	if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
		console.error(`bench: --runs ${values.runs}: give a whole number from 1 to 20`);
		return 2;
	}
	const prefixes = values.cases?.split(',').filter(Boolean);
	const cases = prefixes ? SCALE_CASES.filter(c => prefixes.some(prefix => c.name.startsWith(prefix))) : SCALE_CASES;
	if (cases.length === 0) {
		console.error(`bench: --cases ${values.cases}: no scale case starts with that (${SCALE_CASES.map(c => c.name).join('; ')})`);
		return 2;
	}
	const cli = values.cli === undefined ? CLI : path.resolve(values.cli);
	if (process.getuid?.() !== 0) {
		console.error('bench: needs root (network namespaces and iptables for the NAT lab): run `sudo npm run bench`');
		return 2;
	}
	const support = labSupport();
	if (!support.ok) {
		console.error(`bench: the network lab cannot be built: ${support.reason}`);
		return 1;
	}
	if (!existsSync(cli)) {
		console.error(`bench: ${cli} missing: run \`npm run build\` (npm run bench does it)`);
		return 1;
	}

	const machineLines = machine(); // now: the build npm run bench just made
	const mode: RssMode = gnuTimeWorks() ? 'gnu-time' : 'poll-vmhwm';
	const notes: string[] = [];
	if (mode === 'gnu-time') notes.push(`Peak RSS: \`${GNU_TIME} -v\` (maximum resident set size of the fwcheck node process).`);
	else {
		notes.push(
			`Peak RSS: GNU time missing (\`apt-get install -y time\`), so VmHWM of /proc/<pid>/status polled every 5 ms (may miss the last few ms).`,
		);
	}

	const tmp = mkdtempSync(path.join(os.tmpdir(), 'fwcheck-bench-'));
	let lab: Lab | undefined;
	const watchdog = setTimeout(() => {
		log(`watchdog: still running after ${WATCHDOG_MS / 60_000} min, tearing down`);
		void (lab?.teardown() ?? Promise.resolve()).finally(() => process.exit(1));
	}, WATCHDOG_MS);
	const benchStart = performance.now();
	try {
		log('building the lab');
		try {
			lab = await createLabWaiting();
			await Promise.all([lab.startCoturn(), lab.startStund()]);
		} catch (error) {
			console.error(`bench: the network lab cannot be built: ${(error as Error).message}`);
			return 1;
		}
		log(`lab ready in ${lab.timings.setupMs} ms (+ servers)`);
		const context = {lab, mode, tmp, runs, cli};
		if (values.scale) {
			const scale = await measureScale(context, cases);
			const section = [
				...renderScale(scale, runs),
				...machineLines,
				`- load average (1/5/15 min) at the start ${LOAD_AT_START.map(n => n.toFixed(2)).join(' / ')}, at the end ${os
					.loadavg()
					.map(n => n.toFixed(2))
					.join(' / ')}; CLI ${path.relative(REPO, cli)}`,
				'',
			];
			process.stdout.write(`${section.join('\n')}\n`);
			writeFileSync(RESULTS, scaleSection(existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '', section));
			log(`scale table written to ${path.relative(REPO, RESULTS)}`);
			return scale.some(g => g.runs.some(r => r.crash)) ? 1 : 0;
		}
		const groups = await measureFullRange(context);
		const baselines = await measureStunClient(context);
		const floors = await measureFloor(context);
		const hostileGroups = await measureHostile(context);

		const lines = render({
			runs,
			groups,
			baselines,
			samplePorts: STUN_SAMPLE_PORTS,
			floors,
			hostileGroups,
			notes,
			benchMs: performance.now() - benchStart,
			loadAtStart: LOAD_AT_START,
			machine: machineLines,
		});
		const text = `${lines.join('\n')}\n`;
		process.stdout.write(text);
		// The scale table comes from its own run (--scale): kept as it was.
		writeFileSync(RESULTS, scaleSection(text, scaleLines(existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '')));
		log(`written to ${path.relative(REPO, RESULTS)}`);
		const crashed = [...groups, ...hostileGroups].some(g => g.runs.some(r => r.crash)) || floors.some(f => !f.summary);
		return crashed ? 1 : 0;
	} finally {
		clearTimeout(watchdog);
		await lab?.teardown();
		rmSync(tmp, {recursive: true, force: true});
	}
}

main().then(
	code => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(`bench: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		process.exitCode = 1;
	},
);
