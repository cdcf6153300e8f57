import {formatRange} from '../ports/ranges.js';
import {printable} from '../words/format.js';
import type {FleetRow} from './fleet-row.js';

export type FleetFormat = 'text' | 'markdown' | 'csv' | 'json';

/** A skipped file and why, as the merge says it on stderr and in its JSON. */
export interface SkippedReport {
	file: string;
	problem: string;
}

/** How many failing ranges a table cell lists before "+ N more": a screen row, not a ticket. */
const rangesInCell = 4;

const failingCell = (row: FleetRow, limit: number): string => {
	const shown = row.failing.slice(0, limit).map(range => `${formatRange(range)} ${range.value}`);
	const more = row.failing.length - shown.length;
	return [...shown, ...(more > 0 ? [`+ ${more} more`] : [])].join('; ');
};

const sipAlgCell = (alg: boolean | null): string => (alg === null ? '' : alg ? 'yes' : 'no');

/** The columns, once, so every format shows the same; the host firewall only when a report has one. */
const columns = (rows: FleetRow[], limit: number) => {
	const all: Array<[string, (row: FleetRow) => string]> = [
		['host', row => row.host ?? row.file],
		['public address', row => row.publicAddress ?? ''],
		['status', row => `${row.status} (${row.code})`],
		['failing', row => failingCell(row, limit)],
		['path', row => row.path ?? ''],
		['SIP ALG', row => sipAlgCell(row.sipAlg)],
		['host firewall', row => row.hostFirewall ?? ''],
		['checked at', row => row.checkedAt ?? ''],
	];
	return rows.some(row => row.hostFirewall !== null) ? all : all.filter(([name]) => name !== 'host firewall');
};

const cells = (rows: FleetRow[], limit: number): {head: string[]; body: string[][]} => {
	const chosen = columns(rows, limit);
	// Every value came from another machine's file: no control character reaches the terminal.
	return {head: chosen.map(([name]) => name), body: rows.map(row => chosen.map(([, cell]) => printable(cell(row))))};
};

const textTable = (rows: FleetRow[]): string[] => {
	const {head, body} = cells(rows, rangesInCell);
	const widths = head.map((name, index) => Math.max(name.length, ...body.map(line => line[index]!.length)));
	const line = (values: string[]) =>
		values
			.map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index]!)))
			.join('  ')
			.trimEnd();
	return [line(head.map(name => name.toUpperCase())), ...body.map(values => line(values))];
};

const markdownCell = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('|', '\\|');

const markdownTable = (rows: FleetRow[]): string[] => {
	const {head, body} = cells(rows, rangesInCell);
	const line = (values: string[]) => `| ${values.map(value => markdownCell(value)).join(' | ')} |`;
	return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...body.map(values => line(values))];
};

/**
 * RFC 4180 quoting; a cell that a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with ', since host names come from the machines being checked.
 */
const csvCell = (value: string): string => {
	const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const csvTable = (rows: FleetRow[]): string[] => {
	const {head, body} = cells(rows, Number.POSITIVE_INFINITY);
	return [head, ...body].map(values => values.map(value => csvCell(value)).join(','));
};

const jsonDocument = (rows: FleetRow[], skipped: SkippedReport[]): string[] => [
	JSON.stringify(
		{
			reports: rows.map(({failing, ...row}) => ({
				...row,
				failing: failing.map(({from, to, value}) => ({from, to, code: value})),
			})),
			skipped,
		},
		null,
		2,
	),
];

/** The merged table's lines in one format; rows in the order given (see worstFirst). */
export const formatFleet = (rows: FleetRow[], format: FleetFormat, skipped: SkippedReport[] = []): string[] => {
	switch (format) {
		case 'markdown': {
			return markdownTable(rows);
		}

		case 'csv': {
			return csvTable(rows);
		}

		case 'json': {
			return jsonDocument(rows, skipped);
		}

		case 'text': {
			return textTable(rows);
		}
	}
};
