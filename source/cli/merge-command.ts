import {readFile} from 'node:fs/promises';
import process from 'node:process';
import {ExitCode} from '../check/report-model.js';
import {
	type FleetRow,
	type ReadResult,
	type SkipReason,
	fleetExitCode,
	readFleetReport,
	skipReasonText,
	skippedFile,
	worstFirst,
} from '../fleet/fleet-row.js';
import {words} from '../catalog/index.js';
import {type FleetFormat, type SkippedReport, formatFleet} from '../fleet/fleet-table.js';
import {printable} from '../words/format.js';

const readOne = async (file: string): Promise<ReadResult> => {
	try {
		return readFleetReport(await readFile(file, 'utf8'), file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return skippedFile(code === 'ENOENT' ? {kind: 'no-such-file'} : {kind: 'cannot-read', code: code ?? 'error'});
	}
};

/** Files read at once: enough to overlap the reads, few enough to stay far below the open-file limit. */
const readsAtOnce = 64;

const readAll = async (files: string[]): Promise<{rows: FleetRow[]; skipped: Array<SkippedReport & {reason: SkipReason}>}> => {
	const rows: FleetRow[] = [];
	const skipped: Array<SkippedReport & {reason: SkipReason}> = [];
	const results: ReadResult[] = [];
	for (let start = 0; start < files.length; start += readsAtOnce) {
		results.push(...(await Promise.all(files.slice(start, start + readsAtOnce).map(async file => readOne(file)))));
	}

	for (const [index, result] of results.entries()) {
		if (result.ok) {
			rows.push(result.row);
		} else {
			skipped.push({file: files[index]!, problem: result.problem, reason: result.reason});
		}
	}

	return {rows, skipped};
};

/**
 * `fwcheck merge FILE...`: one table of many reports, worst first. A file that is not a report is
 * named on stderr and skipped; exit 1 when any report did not pass, 3 when none could be read.
 */
export const runMerge = async (files: string[], format: FleetFormat): Promise<number> => {
	const {rows, skipped} = await readAll(files);
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
