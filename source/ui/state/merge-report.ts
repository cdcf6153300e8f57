import {skippedPort} from '../../check/classify.js';
import {readNotNeeded, reportNeedsHostFirewall} from '../../check/host-firewall-need.js';
import {settleHostFirewall} from '../../check/host-firewall-settle.js';
import {mergeReports} from '../../check/report-model.js';
import {withServicesKept} from '../../check/watch-rules.js';
import type {CheckReport} from '../../check/types.js';
import type {Row} from './types.js';

/**
 * The report after a re-run: the report model's merge, over every row of the table; service
 * checks a watch round did not run again stay as they were. A re-run where nothing failed did not
 * read this host's firewall: while other rows still fail, the earlier reading stays.
 */
export const mergeReport = (previous: CheckReport, next: CheckReport, rows: Row[]): CheckReport => {
	const merged = mergeReports(
		previous,
		withServicesKept(previous, next),
		rows.map(row => row.result ?? skippedPort(row.port, 'Not checked.')),
	);
	const reading =
		previous.hostFirewall && readNotNeeded(merged.hostFirewall) && reportNeedsHostFirewall(merged)
			? previous.hostFirewall
			: merged.hostFirewall;
	// Ports that pass now are not blamed on this host, whatever an earlier reading said of them.
	return reading ? {...merged, hostFirewall: settleHostFirewall(reading, merged.ports)} : merged;
};
