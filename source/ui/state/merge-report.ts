import {skippedPort} from '../../check/classify.js';
import {mergeReports} from '../../check/report-model.js';
import {withServicesKept} from '../../check/watch-rules.js';
import type {CheckReport} from '../../check/types.js';
import type {Row} from './types.js';

/**
 * The report after a re-run: the report model's merge, over every row of the table; service
 * checks a watch round did not run again stay as they were.
 */
export const mergeReport = (previous: CheckReport, next: CheckReport, rows: Row[]): CheckReport =>
	mergeReports(
		previous,
		withServicesKept(previous, next),
		rows.map(row => row.result ?? skippedPort(row.port, 'Not checked.')),
	);
