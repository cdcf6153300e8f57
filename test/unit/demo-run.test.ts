// A demo's runner labels every report and blames its own server, never the network, for slowdowns.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {SweepEvent} from '../../source/check/types.js';
import {demoRunner} from '../../source/cli/demo-run.js';
import {pacingSentence} from '../../source/report/summary.js';
import {makeReport, portResult} from '../ui/fixtures.js';

test('demo reports carry the label; slowdowns name the demo server in events, report and summary', async () => {
	const slowed = makeReport([portResult(9000, 'ok')], {
		pacing: {
			finalRate: 2500,
			slowdowns: [{atMs: 900, rate: 2500, reason: '57% of requests went unanswered'}],
			confirmed: 0,
			flipped: 0,
		},
	});
	const engine: SweepRunner = async (_config, {onEvent}) => {
		onEvent({type: 'paced', rate: 2500, reason: '57% of requests went unanswered'});
		onEvent({type: 'done', report: slowed});
		return slowed;
	};

	const events: SweepEvent[] = [];
	const report = await demoRunner(engine, {demo: 'Demo on loopback.'})(
		{ports: [9000], servers: []},
		{signal: new AbortController().signal, onEvent: event => events.push(event)},
	);
	assert.equal(report.demo, 'Demo on loopback.');
	assert.match(report.pacing.slowdowns[0]!.reason, /the demo's own server could not keep up on this machine$/);
	const paced = events.find(event => event.type === 'paced');
	assert.match(paced?.type === 'paced' ? paced.reason : '', /demo's own server/);
	const done = events.find(event => event.type === 'done');
	assert.equal(done?.type === 'done' ? done.report.demo : undefined, 'Demo on loopback.');
	assert.equal(slowed.demo, undefined, 'the engine report itself is left alone');
	assert.ok((pacingSentence(report) ?? '').includes('This is a demo: it says nothing about your network.'));
	assert.ok(!(pacingSentence(report) ?? '').includes('port-scan protection'));
});
