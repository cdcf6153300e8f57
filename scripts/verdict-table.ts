// Prints the verdict table for readme.md from source/check/verdicts.ts, so both say the same.
// Usage: node --import tsx scripts/verdict-table.ts
import {allVerdicts} from '../source/check/verdicts.js';

export const verdictTableLines = (): string[] => [
	'| Code | Shown as | Meaning |',
	'| --- | --- | --- |',
	...allVerdicts().map(({code, symbol, label, sentence}) => `| \`${code}\` | ${symbol} ${label} | ${sentence} |`),
];

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(verdictTableLines().join('\n'));
}
