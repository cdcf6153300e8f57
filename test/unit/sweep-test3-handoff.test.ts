import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
	type ChunkStep,
	type Test3Ending,
	type Test3Next,
	Test3ChunkProgress,
	afterTest3,
	stoodFailures,
} from '../../source/check/test3-handoff.js';
import {test3Chunks} from '../../source/check/recheck-plan.js';
import {range} from '../support/simulation.js';

test('Test 3 hand-off: after a port’s Test 3, it proceeds, parks or is dropped', () => {
	const rows: Array<{name: string; ending: Test3Ending; next: Test3Next}> = [
		{
			name: 'passed (in the quick pass, or a recheck that flipped a failure): on at once',
			ending: {passed: true, cancelled: false},
			next: 'proceed',
		},
		{name: 'failed: parked until its chunk’s rechecks are done', ending: {passed: false, cancelled: false}, next: 'park'},
		{name: 'passed, but cancelled meanwhile: no verdict', ending: {passed: true, cancelled: true}, next: 'drop'},
		{name: 'failed, but cancelled meanwhile', ending: {passed: false, cancelled: true}, next: 'drop'},
		{name: 'stopped part way (cancel, or the server refused Test 3)', ending: {passed: undefined, cancelled: true}, next: 'drop'},
		{name: 'no outcome although not cancelled', ending: {passed: undefined, cancelled: false}, next: 'drop'},
	];
	for (const row of rows) {
		assert.equal(afterTest3(row.ending), row.next, row.name);
	}
});

test('Test 3 hand-off: once a chunk’s rechecks are done, only the failures that stood are released', () => {
	const latest = new Map<number, {status: string}>([
		[5, {status: 'fail'}],
		[1, {status: 'fail'}],
		[2, {status: 'pass'}],
		[3, {status: 'busy'}],
		[9, {status: 'fail'}],
	]);
	const rows: Array<{name: string; chunk: number[]; stood: number[]}> = [
		{
			name: 'failures stand; a flip to pass and a port found busy at its recheck went on already; no Test 3 at all waits for the end',
			chunk: [1, 2, 3, 4, 5],
			stood: [1, 5],
		},
		{name: 'in the chunk’s order, whatever order they finished in', chunk: [5, 1], stood: [5, 1]},
		{name: 'another chunk’s failure is not this one’s', chunk: [2, 3], stood: []},
		{name: 'an empty chunk', chunk: [], stood: []},
	];
	for (const row of rows) {
		assert.deepEqual(stoodFailures(row.chunk, latest), row.stood, row.name);
	}
});

const none: ChunkStep = {chunk: undefined, quickPassOver: false};

test('Test 3 hand-off: which finished port completes its chunk, and the quick pass', () => {
	const rows: Array<{name: string; chunks: number[][]; finished: number[]; steps: Record<number, ChunkStep>}> = [
		{
			name: 'one chunk of one port',
			chunks: [[1]],
			finished: [1],
			steps: {0: {chunk: [1], quickPassOver: true}},
		},
		{
			name: 'chunks finish out of order across a boundary; a recheck and a stranger complete nothing',
			chunks: [[1, 2, 3], [4, 5], [6]],
			finished: [1, 4, 2, 5, 3, 1, 99, 6, 6],
			steps: {
				3: {chunk: [4, 5], quickPassOver: false},
				4: {chunk: [1, 2, 3], quickPassOver: false},
				7: {chunk: [6], quickPassOver: true},
			},
		},
		{
			name: 'the last port of the last chunk to finish ends the quick pass, whichever chunk it is',
			chunks: [[1], [2]],
			finished: [2, 1],
			steps: {0: {chunk: [2], quickPassOver: false}, 1: {chunk: [1], quickPassOver: true}},
		},
		{name: 'no ports: nothing completes', chunks: [], finished: [1], steps: {}},
	];
	for (const row of rows) {
		const progress = new Test3ChunkProgress(row.chunks);
		for (const [index, port] of row.finished.entries()) {
			assert.deepEqual(progress.finished(port), row.steps[index] ?? none, `${row.name}: port ${port}, #${index}`);
		}
	}
});

test('Test 3 hand-off: the sweep’s own chunks complete at their 500-port boundaries', () => {
	const ports = range(20_000, 21_000);
	const progress = new Test3ChunkProgress(test3Chunks(ports));
	const completed = ports.flatMap((port, index) => {
		const step = progress.finished(port);
		return step.chunk ? [{at: index, size: step.chunk.length, over: step.quickPassOver}] : [];
	});
	assert.deepEqual(completed, [
		{at: 499, size: 500, over: false},
		{at: 999, size: 500, over: false},
		{at: 1000, size: 1, over: true},
	]);
});
