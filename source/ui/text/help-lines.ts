import {type Line, blank, line} from './line.js';
import {fit} from './wrap.js';

const keys: Array<[string, string]> = [
	['↑ ↓  k j', 'move one port (in a pane: scroll)'],
	['PgUp PgDn', 'move one page'],
	['Home End  g G', 'first / last port'],
	['f', 'filter: all → failed → busy → ok'],
	['/  :', 'jump to a port number (Enter jumps, Esc cancels)'],
	['Enter', 'details of the selected port: both tests, addresses, what to do'],
	['← →', 'in the details: previous / next port'],
	['F', 'summary: failed ranges and what to do for each'],
	['c  Ctrl+C', 'cancel the check (the table keeps what finished)'],
	['r', 're-run only the failed and busy ports'],
	['s', 'save the report as Markdown and JSON'],
	['Esc  q', 'back to the table'],
	['q  Ctrl+C', 'quit (once the check is stopped)'],
	['?', 'this help'],
];

export const helpLines = (): Line[] => [
	...keys.map(([key, what]) => line({text: `  ${fit(key, 16)}`, tone: 'info', bold: true}, what)),
	blank,
	line({text: 'Verdicts show a symbol and a word, so they read without colour (NO_COLOR is honoured).', tone: 'muted'}),
];
