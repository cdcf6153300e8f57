import stringWidth from 'string-width';
import {formatRange} from '../ports/ranges.js';
import {type Messages, english, words} from '../catalog/index.js';
import {printable} from '../words/format.js';
import {type FleetRow, firewallText} from './fleet-row.js';

export type FleetFormat = 'text' | 'markdown' | 'csv' | 'json';

/** A skipped file and why, as the merge says it on stderr and in its JSON. */
export interface SkippedReport {
	file: string;
	problem: string;
}

/** How many failing ranges a table cell lists before "+ N more": a screen row, not a ticket. */
const rangesInCell = 4;

const failingCell = (row: FleetRow, limit: number, {fleet}: Messages['report']): string => {
	const shown = row.failing.slice(0, limit).map(range => `${formatRange(range)} ${range.value}`);
	const more = row.failing.length - shown.length;
	return [...shown, ...(more > 0 ? [fleet.more(more)] : [])].join(fleet.cellJoin);
};

const sipAlgCell = (alg: boolean | null, {fleet}: Messages['report']): string => (alg === null ? '' : alg ? fleet.yes : fleet.no);

/**
 * The columns, once, so every format shows the same; the host firewall only when a report has
 * one. Codes (status, verdicts, path) stay as typed; the words are `messages`' (English for CSV).
 */
const columns = (rows: FleetRow[], limit: number, {report}: Messages) => {
	const {fleet} = report;
	const all: Array<[string, (row: FleetRow) => string]> = [
		[fleet.host, row => row.host ?? row.file],
		[fleet.publicAddress, row => row.publicAddress ?? ''],
		[fleet.status, row => `${row.status} (${row.code})`],
		[fleet.failing, row => failingCell(row, limit, report)],
		[fleet.path, row => row.path ?? ''],
		[fleet.sipAlg, row => sipAlgCell(row.sipAlg, report)],
		[fleet.hostFirewall, row => (row.firewall ? firewallText(row.firewall, fleet) : '')],
		[fleet.checkedAt, row => row.checkedAt ?? ''],
	];
	return rows.some(row => row.firewall !== null) ? all : all.filter(([name]) => name !== fleet.hostFirewall);
};

const cells = (rows: FleetRow[], limit: number, messages: Messages): {head: string[]; body: string[][]} => {
	const chosen = columns(rows, limit, messages);
	// Every value came from another machine's file: no control character reaches the terminal.
	return {head: chosen.map(([name]) => name), body: rows.map(row => chosen.map(([, cell]) => printable(cell(row))))};
};

const textTable = (rows: FleetRow[]): string[] => {
	const {head, body} = cells(rows, rangesInCell, words());
	// Terminal cells, not characters: a Japanese header is twice as wide as its length.
	const widths = head.map((name, index) => Math.max(stringWidth(name), ...body.map(line => stringWidth(line[index]!))));
	const line = (values: string[]) =>
		values
			.map((value, index) =>
				index === values.length - 1 ? value : value + ' '.repeat(Math.max(0, widths[index]! - stringWidth(value))),
			)
			.join('  ')
			.trimEnd();
	return [line(head.map(name => name.toUpperCase())), ...body.map(values => line(values))];
};

const markdownCell = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('|', '\\|');

const markdownTable = (rows: FleetRow[]): string[] => {
	const {head, body} = cells(rows, rangesInCell, words());
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
	// A spreadsheet or a script reads it: English whatever the language.
	const {head, body} = cells(rows, Number.POSITIVE_INFINITY, english);
	return [head, ...body].map(values => values.map(value => csvCell(value)).join(','));
};

const jsonDocument = (rows: FleetRow[], skipped: SkippedReport[]): string[] => [
	JSON.stringify(
		{
			// `firewall` is what the tables say in the language; the document keeps the English `hostFirewall`.
			reports: rows.map(({failing, firewall: _inWords, ...row}) => ({
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
