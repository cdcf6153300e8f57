import process from 'node:process';
import v8 from 'node:v8';
import {ExitCode} from '../check/report-model.js';
import {fleetExitCode, skipReasonText, worstFirst} from '../fleet/fleet-row.js';
import {words} from '../catalog/index.js';
import {readReportFiles} from '../fleet/report-files.js';
import {type FleetFormat, formatFleet} from '../fleet/fleet-table.js';
import {printable} from '../words/format.js';

/**
 * The check's heap tuning (heap-tuning.ts) keeps V8's young generation at its starting size. A
 * merge parses a whole report per file and drops it at once: with that young generation, each
 * report outlived a collection and was copied to the old one, about 0.35 s of CPU over 1000
 * reports. 2 is V8's default.
 */
const growYoungGeneration = (): void => {
	v8.setFlagsFromString('--semi-space-growth-factor=2');
};

/**
 * `fwcheck merge FILE...`: one table of many reports, worst first. A file that is not a report is
 * named on stderr and skipped; exit 1 when any report did not pass, 3 when none could be read.
 */
export const runMerge = async (files: string[], format: FleetFormat): Promise<number> => {
	growYoungGeneration();
	const {rows, skipped} = await readReportFiles(files);
	for (const {file, reason} of skipped) {
		process.stderr.write(`${words().cli.skipped(printable(file), skipReasonText(reason, words().report.fleet))}\n`);
	}

	if (rows.length === 0) {
		process.stderr.write(`${words().cli.noReportToMerge}\n`);
		return ExitCode.couldNotRun;
	}

	const sorted = worstFirst(rows);
	const listed = skipped.map(({file, problem}) => ({file, problem}));
	process.stdout.write(`${formatFleet(sorted, format, listed).join('\n')}\n`);
	return fleetExitCode(sorted);
};
