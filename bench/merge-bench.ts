// How long `fwcheck merge` takes over a fleet's reports: writes N --json reports (a PBX's SIP
// port and its RTP range each, every fifth one failing part of it) to a temp folder, then times
// the built CLI merging them, end to end, and the read-sort-format alone in this process (which
// has no heap tuning: see merge-command.ts).
//   npm run build && node --import tsx bench/merge-bench.ts [--reports 1000] [--ports 101] [--runs 5]
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {execa} from 'execa';
import {worstFirst} from '../source/fleet/fleet-row.js';
import {formatFleet} from '../source/fleet/fleet-table.js';
import {readReportFiles} from '../source/fleet/report-files.js';
import {toJson} from '../source/report/json.js';
import {makeReport, portResult} from '../test/ui/fixtures.js';

const {values} = parseArgs({
	options: {
		reports: {type: 'string', default: '1000'},
		ports: {type: 'string', default: '101'},
		runs: {type: 'string', default: '5'},
	},
});
const reports = Math.min(10_000, Number(values.reports));
const ports = Math.min(32_000, Number(values.ports));
const runs = Math.min(20, Number(values.runs));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const report = (index: number): string => {
	const failing = index % 5 === 0;
	const results = [5060, ...Array.from({length: ports - 1}, (_, port) => 10_000 + port)].map(port =>
		portResult(port, failing && port >= 10_040 && port < 10_060 ? 'inbound-blocked' : 'ok'),
	);
	return toJson(
		makeReport(results, {
			origin: {fwcheckVersion: '0.1.0', host: `pbx-${index}`, checkedAt: '2026-12-05T02:00:00+01:00'},
			...(failing ? {status: 'fail', code: 'some-failed'} : {}),
		}),
	);
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const directory = await mkdtemp(path.join(tmpdir(), 'fwcheck-merge-bench-'));
try {
	const files = Array.from({length: reports}, (_, index) => path.join(directory, `pbx-${index}.json`));
	let bytes = 0;
	for (const [index, file] of files.entries()) {
		const text = report(index);
		bytes += text.length;
		await writeFile(file, text);
	}

	const inProcess: number[] = [];
	const cpu: number[] = [];
	const endToEnd: number[] = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const cpuStarted = process.cpuUsage();
		const {rows} = await readReportFiles(files);
		formatFleet(worstFirst(rows), 'text');
		inProcess.push(performance.now() - started);
		// CPU time as well: on a shared, loaded machine the wall time says more about the neighbours.
		const used = process.cpuUsage(cpuStarted);
		cpu.push((used.user + used.system) / 1000);
		const spawned = performance.now();
		const result = await execa('node', [cli, 'merge', ...files], {reject: false, timeout: 60_000});
		endToEnd.push(performance.now() - spawned);
		if (result.exitCode !== 1 || result.stdout.split('\n').length !== reports + 1) {
			throw new Error(`merge answered ${result.exitCode}: ${result.stderr}`);
		}
	}

	console.log(
		`| reports | ports each | MB in all | read, sort, format: wall (CPU), median | \`fwcheck merge\`, process included (median) |`,
	);
	console.log('| --- | --- | --- | --- | --- |');
	console.log(
		`| ${reports} | ${ports} | ${(bytes / 1e6).toFixed(1)} | ${median(inProcess).toFixed(0)} ms (${median(cpu).toFixed(0)} ms) | ${median(endToEnd).toFixed(0)} ms |`,
	);
	console.log(`\nload average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
} finally {
	await rm(directory, {recursive: true, force: true});
}
