/**
 * What reading this host's firewall adds to a check: `sudo node --import tsx
 * bench/host-firewall-bench.ts [--runs N] [--cli PATH]... [--cases A,B]` (build first: `npm run
 * build`; --cases keeps the cases whose name starts with one of those).
 *
 * In the lab's PBX namespace (the router forwards everything, coturn on the lab's "internet"), each
 * case runs `fwcheck --json --stun <coturn> --ports … --no-sip --no-router` N times (default 5),
 * alternating with and without `--no-host-firewall`, so load on the machine hits both alike. The
 * cost of the read is the difference of the medians of the wall times (process start to exit, as
 * a user waits for it); the report's durationMs (the sweep alone) shows whether the read slowed
 * the sweep itself. Cases: the firewall in nftables only, and in iptables-legacy only (where
 * the legacy tables have to be read too); ports that all pass (a build that reads only on a
 * failure reads nothing there), and ports half of which this host blocks (every build reads).
 * "Read in" counts the runs whose report has `hostFirewall.checked`; "Paired" is the median of
 * each run's wall time less that of the run without the firewall that followed it. `--cli` runs another build, and more than one are
 * interleaved run by run (an A/B against a copy of an older dist/ sees the same load); without it,
 * dist/cli.js. Prints Markdown to stdout; never asserts. Only lab addresses are contacted, every
 * loop is bounded, and the lab is torn down on every path.
 */
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {ADDR, createLabWhenFree, labSupport} from '../lab/lab.js';
import type {Lab} from '../lab/lab.js';
import {type HostFirewallScenario, clearHostFirewall, setHostFirewall} from '../lab/host-firewall.js';
import type {ReportJson} from '../source/report/json.js';
import {logger} from '../scripts/support/log.js';
import {CLI, REPO} from '../scripts/support/paths.js';
import {median} from '../scripts/support/stats.js';

const log = logger('host-firewall-bench');

interface Case {
	name: string;
	scenario: HostFirewallScenario;
	ports: string;
	/** Whether this host blocks some of the ports (they fail, so the firewall is read). */
	blocked: boolean;
}

// Both scenarios block UDP 9500-9599 on this host: 9000-… all pass, 9495-9504 half fail.
const cases: Case[] = [
	{name: 'nftables-10', scenario: {kind: 'nft-drop-range'}, ports: '9000-9009', blocked: false},
	{name: 'nftables-500', scenario: {kind: 'nft-drop-range'}, ports: '9000-9499', blocked: false},
	{name: 'iptables-legacy-10', scenario: {kind: 'iptables-legacy-reject'}, ports: '9000-9009', blocked: false},
	{name: 'nftables-blocked-10', scenario: {kind: 'nft-drop-range'}, ports: '9495-9504', blocked: true},
	{name: 'iptables-legacy-blocked-10', scenario: {kind: 'iptables-legacy-reject'}, ports: '9495-9504', blocked: true},
];

interface Run {
	wallMs: number;
	durationMs: number | undefined;
	read: boolean | undefined;
}

const runOnce = async (lab: Lab, cli: string, args: string[]): Promise<Run> => {
	const result = await lab.exec('pbx', process.execPath, [cli, ...args], {
		timeoutMs: 60_000,
		reject: false,
		cwd: REPO,
		env: {NO_COLOR: '1', FORCE_COLOR: '0', FWCHECK_STATE_DIR: path.join(lab.runDir, 'state')},
	});
	let report: ReportJson | undefined;
	try {
		report = JSON.parse(result.stdout) as ReportJson;
	} catch {
		log(`no JSON from ${args.join(' ')}: ${result.stderr.split('\n')[0] ?? ''}`);
	}

	return {wallMs: result.durationMs, durationMs: report?.durationMs, read: report?.hostFirewall?.checked};
};

const spread = (values: number[]): string => {
	const middle = median(values);
	return middle === undefined ? '–' : `${Math.round(middle)} ms (${Math.min(...values)}–${Math.max(...values)})`;
};

const main = async (): Promise<number> => {
	const {values} = parseArgs({
		options: {runs: {type: 'string', default: '5'}, cli: {type: 'string', multiple: true}, cases: {type: 'string'}},
	});
	const wanted = values.cases?.split(',') ?? [];
	const runs = Math.min(20, Math.max(1, Number(values.runs) || 5));
	const clis = (values.cli ?? [CLI]).slice(0, 4).map(cli => path.resolve(cli));
	const support = labSupport();
	if (!support.ok) {
		log(support.reason);
		return 2;
	}

	const lab = await createLabWhenFree({tries: 60, intervalMs: 5000});
	try {
		await lab.startCoturn();
		await lab.setRouter({kind: 'forward-all', ports: [9000, 9999]});
		const lines = [
			`${runs} runs of each, interleaved; load average at the start ${os
				.loadavg()
				.map(load => load.toFixed(2))
				.join(' / ')}`,
			'',
			'| Case | Build | Read in | Wall, firewall on: median (min–max) | Wall, --no-host-firewall | Firewall on adds (median) | Paired (median) | Sweep durationMs, on / off |',
			'|---|---|---|---|---|---|---|---|',
		];
		for (const item of cases.filter(entry => wanted.length === 0 || wanted.some(name => entry.name.startsWith(name)))) {
			await clearHostFirewall(lab);
			await setHostFirewall(lab, item.scenario);
			const base = ['--json', '--stun', ADDR.coturn[0], '--ports', item.ports, '--no-sip', '--no-router'];
			const withRead = clis.map((): Run[] => []);
			const without = clis.map((): Run[] => []);
			// Warms the page cache: the first run pays for reading node_modules.
			for (const cli of clis) await runOnce(lab, cli, base);
			for (let index = 0; index < runs; index++) {
				for (const [which, cli] of clis.entries()) {
					await lab.flushConntrack();
					withRead[which]!.push(await runOnce(lab, cli, base));
					await lab.flushConntrack();
					without[which]!.push(await runOnce(lab, cli, [...base, '--no-host-firewall']));
				}
			}

			for (const [which, cli] of clis.entries()) {
				const read = withRead[which]!;
				const notRead = without[which]!;
				const readIn = read.filter(run => run.read === true).length;
				if (item.blocked && readIn < read.length) log(`${item.name}: the firewall was not read in every run`);
				const wallWith = read.map(run => run.wallMs);
				const wallWithout = notRead.map(run => run.wallMs);
				const durations = (list: Run[]): number =>
					median(list.flatMap(run => (run.durationMs === undefined ? [] : [run.durationMs]))) ?? 0;
				const added = (median(wallWith) ?? 0) - (median(wallWithout) ?? 0);
				// Each run with the firewall on beside the run without that followed it: less swayed by load that drifts.
				const paired = median(wallWith.map((wall, index) => wall - (wallWithout[index] ?? wall))) ?? 0;
				lines.push(
					`| ${item.name} | ${path.relative(REPO, cli)} | ${readIn}/${read.length} | ${spread(wallWith)} | ${spread(wallWithout)} | ${Math.round(added)} ms | ${Math.round(paired)} ms | ${Math.round(durations(read))} / ${Math.round(durations(notRead))} ms |`,
				);
				log(lines.at(-1)!);
			}
		}

		lines.push(
			'',
			`Load average at the end ${os
				.loadavg()
				.map(load => load.toFixed(2))
				.join(' / ')}.`,
		);
		process.stdout.write(`${lines.join('\n')}\n`);
		return 0;
	} finally {
		await clearHostFirewall(lab);
		await lab.teardown();
	}
};

process.exitCode = await main().catch((error: unknown) => {
	log(error instanceof Error ? error.message : String(error));
	return 1;
});
