// Numbers and tables for bench/results.md.
import {median} from '../../scripts/support/stats.js';

export const ms = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
export const sec = (n: number): string => `${(n / 1000).toFixed(1)} s`;
export const mb = (kb: number | undefined): string => (kb === undefined ? '-' : `${(kb / 1024).toFixed(1)} MB`);
/** "median (min–max)" of a run group's values. */
export const spread = (values: number[]): string =>
	values.length === 0 ? '-' : `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
export const table = (head: string[], rows: string[][]): string[] => [
	`| ${head.join(' | ')} |`,
	`|${head.map(() => '---').join('|')}|`,
	...rows.map(row => `| ${row.map(cell => cell.replaceAll('|', '\\|')).join(' | ')} |`),
];
export const vsTarget = (value: number | undefined, limit: number, unit: string): string =>
	value === undefined ? `≤ ${limit} ${unit}: n/a` : `≤ ${limit} ${unit}: ${value <= limit ? 'within' : 'OVER'}`;
/** `count` items spread evenly over the list, first and last included. */
export const spreadPick = <T>(items: T[], count: number): T[] =>
	items.length <= count
		? items
		: Array.from({length: count}, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
