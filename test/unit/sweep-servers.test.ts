import {test} from 'node:test';
import assert from 'node:assert/strict';
import {goodServer, pbxIp, portsWith, range, simulate} from '../support/simulation.js';

const ports = range(40_000, 40_049);
const forwardAll = {forwards: [{from: 40_000, to: 40_049, host: pbxIp}]};

test('sim: falls over in order: a server that is down, one that ignores CHANGE-REQUEST, then one that works', async () => {
	const sim = await simulate({
		router: forwardAll,
		servers: [
			{name: 'down.test', primary: '198.51.100.10', alternate: '198.51.100.11', behaviour: 'down'},
			{name: 'ignores.test', primary: '198.51.100.20', alternate: '198.51.100.21', behaviour: 'ignores-change'},
			{name: 'good.test', primary: '198.51.100.30', alternate: '198.51.100.31'},
		],
	});
	const {report, events} = await sim.run({ports});
	assert.equal(report.status, 'pass');
	assert.equal(report.server?.host, 'good.test');
	assert.deepEqual(
		report.serversTried.map(({host, code}) => [host, code]),
		[
			['down.test', 'stun-unreachable'],
			['ignores.test', 'stun-no-second-address'],
		],
	);
	assert.match(report.serversTried[1]!.detail, /ignored CHANGE-REQUEST and answered from its primary address/);
	assert.deepEqual(
		events.flatMap(event => (event.type.startsWith('server-') && 'host' in event ? [`${event.type} ${event.host}`] : [])),
		[
			'server-probing down.test',
			'server-rejected down.test',
			'server-probing ignores.test',
			'server-rejected ignores.test',
			'server-probing good.test',
		],
	);
	assert.equal(sim.servers[1]!.changeRequests, 1, 'one CHANGE-REQUEST told it apart');
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: a server that stops honouring CHANGE-REQUEST mid-run is dropped, and the sweep runs again on the next', async () => {
	const sim = await simulate({
		router: forwardAll,
		servers: [
			{name: 'fickle.test', primary: '198.51.100.40', alternate: '198.51.100.41', honourChangeFor: 20},
			{...goodServer, name: 'good.test'},
		],
	});
	const {report, events} = await sim.run({ports});
	assert.equal(report.status, 'pass');
	assert.equal(report.server?.host, 'good.test');
	assert.deepEqual(
		report.serversTried.map(({host, code}) => [host, code]),
		[['fickle.test', 'stun-no-second-address']],
	);
	assert.match(report.serversTried[0]!.detail, /^198\.51\.100\.40:3478: it answered CHANGE-REQUEST from its primary address$/);
	const rejected = events.findIndex(event => event.type === 'server-rejected');
	assert.ok(rejected > events.findIndex(event => event.type === 'sweep-started'), 'found out during the sweep');
	assert.equal(events.filter(event => event.type === 'sweep-started').length, 2);
	assert.deepEqual(portsWith(report, 'ok'), ports);
	assert.ok(
		report.ports.every(port => port.test2.from === '198.51.100.2:3479'),
		'every verdict from the second server',
	);
	assert.deepEqual(sim.leftOpen(), []);
});

test('sim: servers that cannot run the check: one address, a name that does not resolve, all UDP dropped', async () => {
	const oneAddress = await simulate({servers: [{name: 'single.test', primary: '198.51.100.50'}]});
	const single = (await oneAddress.run({ports})).report;
	assert.equal(single.status, 'error');
	assert.equal(single.code, 'stun-no-second-address');
	assert.match(single.message, /reports no second address/);
	assert.ok(single.ports.every(port => port.status === 'skipped'));

	const nameless = await simulate();
	const unresolved = (await nameless.run({ports, servers: [{host: 'nowhere.test', port: 3478}]})).report;
	assert.equal(unresolved.code, 'stun-unresolvable');

	const dropped = await simulate({router: {outboundBlocked: [[1, 65_535]]}});
	const unreachable = (await dropped.run({ports})).report;
	assert.equal(unreachable.code, 'stun-unreachable');
	assert.match(unreachable.message, /did not answer 7 Binding requests/);
	assert.deepEqual(dropped.leftOpen(), []);
});
