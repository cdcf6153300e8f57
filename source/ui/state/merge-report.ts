import {skippedPort} from '../../check/classify.js';
import {mergeReports} from '../../check/report-model.js';
import type {CheckReport} from '../../check/types.js';
import type {Row} from './types.js';

/** The report after a re-run: the report model's merge, over every row of the table. */
export const mergeReport = (previous: CheckReport, next: CheckReport, rows: Row[]): CheckReport =>
	mergeReports(
		previous,
		next,
		rows.map(row => row.result ?? skippedPort(row.port, 'Not checked.')),
	);
