import {allVerdicts} from '../source/check/verdicts.js';

/** The verdict table for readme.md, drawn from the one table the UI and reports use. */
export const verdictTableLines = (): string[] => [
	'| Code | Shown as | Meaning |',
	'| --- | --- | --- |',
	...allVerdicts().map(({code, symbol, label, sentence}) => `| \`${code}\` | ${symbol} ${label} | ${sentence} |`),
];
