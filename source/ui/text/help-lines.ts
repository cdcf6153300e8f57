import {type Line, blank} from './line.js';
import {fit, paragraph} from './wrap.js';

const keys: Array<[string, string]> = [
	['↑ ↓  k j', 'move one port (in a pane: scroll)'],
	['PgUp PgDn', 'move one page'],
	['Home End  g G', 'first / last port'],
	['f', 'filter: all → failed → busy → ok'],
	['/  :', 'jump to a port number (Enter jumps, Esc cancels)'],
	['Enter', 'details of the selected port: both tests, addresses, what to do'],
	['← →', 'in the details: previous / next port'],
	['F', 'summary: failed ranges and what to do for each'],
	['n', "router and path: double NAT or carrier NAT, the router's mappings, hairpin"],
	['v', "SIP ALG and TCP: each line an ALG rewrote (sent vs received), the SIP port's answer, TCP ports, what to do"],
	['c  Ctrl+C', 'cancel the check (the table keeps what finished)'],
	['r', 're-run only the failed and busy ports'],
	['s', 'save the report as Markdown and JSON'],
	['Esc  q', 'back to the table'],
	['q  Ctrl+C', 'quit (once the check is stopped)'],
	['?', 'this help'],
];

const keyColumn = 18;

/** The ? pane: each key with what it does, wrapped under its description on a narrow screen. */
export const helpLines = (size: number): Line[] => [
	...keys.flatMap(([key, what]) => {
		const [first, ...rest] = paragraph(what, size, {}, `  ${fit(key, keyColumn - 2)}`, ' '.repeat(keyColumn));
		return [[{text: first![0]!.text, tone: 'info' as const, bold: true}, ...first!.slice(1)], ...rest];
	}),
	blank,
	...paragraph('Verdicts show a symbol and a word, so they read without colour (NO_COLOR is honoured).', size, {tone: 'muted'}),
];
