import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import path from 'node:path';
import {test} from 'node:test';
import {pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {type OutputClass, withRowCache} from '../../scripts/ink-row-cache.js';

type Transformer = (line: string, index: number) => string;
type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};

// Ink's own Output (not among its package exports: loaded by file, as the bundler reaches it).
const inkBuild = path.dirname(createRequire(import.meta.url).resolve('ink'));
const {default: InkOutput} = (await import(pathToFileURL(path.join(inkBuild, 'output.js')).href)) as {default: OutputClass};
const RowCachedOutput = withRowCache(InkOutput);

// What the TUI writes: colours and their resets, bold, dim and inverse, wide and combining
// characters, the table's glyphs, and newlines for texts of several lines; and what the cache
// must leave to Ink: marks that join a code's final "m", other escapes, C1 and C0 controls.
const pieces = [
	' ',
	'   ',
	'a',
	'9000',
	'✔ pass',
	'·',
	'█',
	'░',
	'⠋',
	'…',
	'›',
	'中文',
	'e\u0301',
	'👍',
	'\n',
	'\u001B[32m',
	'\u001B[39m',
	'\u001B[1m',
	'\u001B[22m',
	'\u001B[2m',
	'\u001B[7m',
	'\u001B[27m',
	'\u001B[38;5;244m',
	'\u001B[0m',
	'\u001B[m',
	'\u001B[1;7m',
	'\u0301',
	'\u0903',
	'\u200D',
	'\uFE0F',
	'ﾞ',
	'🏽',
	'\u0E33',
	'\t',
	'\u0085',
	'\u009B31m',
	'\u001B]8;;x\u0007',
	'\u001B[2 q',
	'\u001B',
	'x',
];

const transformers: Record<string, Transformer> = {
	upper: line => line.toUpperCase(),
	numbered: (line, index) => `${index}:${line}`,
};

const write = fc.record({
	type: fc.constant('write' as const),
	x: fc.integer({min: -2, max: 24}),
	y: fc.integer({min: -2, max: 8}),
	text: fc.array(fc.constantFrom(...pieces), {maxLength: 10}).map(parts => parts.join('')),
	transformers: fc.subarray(Object.keys(transformers)),
});
const clip = fc.record({
	type: fc.constant('clip' as const),
	clip: fc.record({x1: fc.integer({min: 0, max: 10}), x2: fc.integer({min: 5, max: 30}), y1: fc.nat(3), y2: fc.nat(8)}),
});
const unclip = fc.record({type: fc.constant('unclip' as const)});

type Operation =
	{type: 'write'; x: number; y: number; text: string; transformers: string[]} | {type: 'clip'; clip: Clip} | {type: 'unclip'};

const draw = (OutputOf: OutputClass, width: number, height: number, operations: Operation[]): string => {
	const output = new OutputOf({width, height});
	for (const operation of operations) {
		if (operation.type === 'write') {
			output.write(operation.x, operation.y, operation.text, {
				transformers: operation.transformers.map(name => transformers[name]!),
			});
		} else if (operation.type === 'clip') {
			output.clip(operation.clip);
		} else {
			output.unclip();
		}
	}

	return JSON.stringify(output.get());
};

test("the row-cached Output draws what Ink's Output draws", () => {
	fc.assert(
		fc.property(
			fc.integer({min: 0, max: 20}),
			fc.integer({min: 0, max: 6}),
			fc.array(fc.oneof({weight: 8, arbitrary: write}, {weight: 1, arbitrary: clip}, {weight: 1, arbitrary: unclip}), {
				maxLength: 8,
			}),
			(width, height, operations) => {
				const expected = draw(InkOutput, width, height, operations);
				assert.equal(draw(RowCachedOutput, width, height, operations), expected);
				// Drawn again: the rows come from the cache now.
				assert.equal(draw(RowCachedOutput, width, height, operations), expected);
			},
		),
		{numRuns: 5000},
	);
});

test('the row-cached Output draws a table frame as Ink does', () => {
	const row = (port: number, selected: boolean) =>
		`${selected ? '\u001B[7m\u001B[1m› ' : '  '}${port}   \u001B[32m✔ pass 30ms\u001B[39m  \u001B[2m·\u001B[22m${selected ? '\u001B[22m\u001B[27m' : ''}`;
	const operations: Operation[] = [
		{type: 'write', x: 0, y: 0, text: 'fwcheck  STUN 127.0.0.1', transformers: []},
		...Array.from({length: 20}, (_, index): Operation => ({
			type: 'write',
			x: 0,
			y: index + 1,
			text: row(9000 + index, index === 3),
			transformers: [],
		})),
		{type: 'write', x: 2, y: 21, text: '中文 wide', transformers: []},
		{type: 'write', x: 12, y: 21, text: '\u001B[31mright\u001B[39m', transformers: []},
	];
	assert.equal(draw(RowCachedOutput, 80, 23, operations), draw(InkOutput, 80, 23, operations));
});
