// The `--json` document is a contract that other tools parse: its keys, their order, and what the
// report model's names become in it (the model says test1.outcome, owner, ownerLookup; the
// document says reachability, process, owner).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {busyPort, classifyPort} from '../../source/check/classify.js';
import type {PortResult} from '../../source/check/types.js';
import {type ReportJson, toJson} from '../../source/report/json.js';
import {Method, decodeMessage, encodeMessage} from '../../source/stun/index.js';
import type {RequestResult} from '../../source/stun/stun-socket.js';
import type {PortOwnerReport} from '../../source/system/port-owner.js';
import {makeReport} from '../ui/fixtures.js';
import {pbxIp, range, simulate} from '../support/simulation.js';

const server = {family: 4 as const, address: '198.51.100.10', port: 3478};
const other = {family: 4 as const, address: '198.51.100.11', port: 3479};

const answered = (from: typeof server, port: number, messageClass: 'success' | 'error' = 'success'): RequestResult => {
	const decoded = decodeMessage(
		encodeMessage({
			method: Method.binding,
			messageClass,
			transactionId: Buffer.alloc(12, 1),
			attributes: [{kind: 'xor-mapped-address', address: {family: 4, address: '203.0.113.1', port}}],
		}),
	);
	assert.ok(decoded.ok);
	return {ok: true, response: decoded.message, from, rttMs: 12.5, sends: 1, sendTimes: [0], elapsedMs: 12, wrongSource: []};
};

const silent: RequestResult = {ok: false, reason: 'timeout', sends: 3, sendTimes: [0, 1, 2], elapsedMs: 700, wrongSource: []};

const portKeys = [
	'port',
	'protocol',
	'status',
	'reachability',
	'inbound',
	'unsolicited',
	'mapped',
	'code',
	'message',
	'process',
	'notes',
	'test1',
	'test2',
	'test3',
];
const testKeys = ['outcome', 'sends', 'rttMs', 'elapsedMs', 'from', 'wrongSource', 'attempts'];

test('the keys of a document the engine made, in order, a busy port with its owner included', async () => {
	const lookup: PortOwnerReport = {
		port: 40_001,
		owner: {pid: 812, name: 'asterisk'},
		runs: [{command: ['ss', '-uanp'], output: 'x'}],
		excerpt: 'x',
		userCommand: "ss -uanp 'sport = :40001'",
	};
	const sim = await simulate({
		router: {forwards: [{from: 40_000, to: 40_002, host: pbxIp}]},
		findPortOwners: async ports => new Map(ports.map(port => [port, {...lookup, port}])),
	});
	await sim.holdPort(40_001);
	const {report} = await sim.run({ports: range(40_000, 40_003)});
	const document = JSON.parse(toJson(report)) as ReportJson;
	assert.deepEqual(Object.keys(document), [
		'schema',
		'status',
		'code',
		'message',
		'notes',
		'server',
		'publicAddress',
		'durationMs',
		'ports',
		'serversTried',
		'stats',
		'pacing',
		'localAddress',
	]);
	const [ok, busy, , closed] = document.ports;
	assert.deepEqual(
		[ok, busy, closed].map(port => port?.code),
		['ok', 'port-in-use', 'inbound-blocked'],
	);
	assert.deepEqual(Object.keys(ok!), portKeys);
	assert.deepEqual(Object.keys(closed!), portKeys);
	assert.deepEqual(Object.keys(busy!), [...portKeys, 'owner']);
	assert.deepEqual(busy!.process, {pid: 812, name: 'asterisk'});
	assert.deepEqual(Object.keys(busy!.owner!), ['userCommand', 'excerpt', 'runs']);
	assert.equal(busy!.owner!.userCommand, lookup.userCommand);
	for (const detail of [ok!.test1, ok!.test2, ok!.test3, busy!.test1]) {
		assert.deepEqual(Object.keys(detail), testKeys);
	}

	// The outcomes before the details say what the details' outcomes say.
	assert.deepEqual(
		[ok, busy, closed].map(port => [port!.reachability, port!.inbound, port!.unsolicited]),
		[
			['pass', 'pass', 'pass'],
			['skipped', 'skipped', 'skipped'],
			['pass', 'fail', 'fail'],
		],
	);
});

test('reachability is any answer to Test 1, an error response included; inbound and unsolicited are Tests 2 and 3', () => {
	const document = (result: PortResult) => (JSON.parse(toJson(makeReport([result]))) as ReportJson).ports[0]!;
	const errorAnswer = document(classifyPort({port: 9000, test1: answered(server, 9000, 'error'), test2: undefined, attempts: 1}));
	assert.equal(errorAnswer.test1.outcome, 'fail');
	assert.equal(errorAnswer.reachability, 'pass');
	assert.equal(errorAnswer.inbound, 'skipped');
	const noAnswer = document(classifyPort({port: 9000, test1: silent, test2: undefined, attempts: 1}));
	assert.deepEqual([noAnswer.reachability, noAnswer.inbound, noAnswer.unsolicited], ['fail', 'skipped', 'skipped']);
	const test2Error = document(
		classifyPort({port: 9000, test1: answered(server, 9000), test2: answered(other, 9000, 'error'), attempts: 1}),
	);
	assert.deepEqual([test2Error.reachability, test2Error.inbound], ['pass', 'fail']);
});

test('a busy port written out, byte for byte', () => {
	const result: PortResult = {
		...busyPort(5060, 'bind 0.0.0.0:5060: address already in use'),
		owner: {pid: 812, name: 'asterisk'},
		ownerLookup: {userCommand: "ss -uanp 'sport = :5060'", excerpt: 'State', runs: [{command: ['ss', '-uanp'], output: 'State'}]},
	};
	const expected = `  "ports": [
    {
      "port": 5060,
      "protocol": "udp",
      "status": "busy",
      "reachability": "skipped",
      "inbound": "skipped",
      "unsolicited": "skipped",
      "mapped": null,
      "code": "port-in-use",
      "message": ${JSON.stringify(result.message)},
      "process": {
        "pid": 812,
        "name": "asterisk"
      },
      "notes": [
        "bind 0.0.0.0:5060: address already in use"
      ],
      "test1": {
        "outcome": "skipped",
        "sends": 0,
        "rttMs": null,
        "elapsedMs": 0,
        "from": null,
        "wrongSource": [],
        "attempts": 0
      },
      "test2": {
        "outcome": "skipped",
        "sends": 0,
        "rttMs": null,
        "elapsedMs": 0,
        "from": null,
        "wrongSource": [],
        "attempts": 0
      },
      "test3": {
        "outcome": "skipped",
        "sends": 0,
        "rttMs": null,
        "elapsedMs": 0,
        "from": null,
        "wrongSource": [],
        "attempts": 0
      },
      "owner": {
        "userCommand": "ss -uanp 'sport = :5060'",
        "excerpt": "State",
        "runs": [
          {
            "command": [
              "ss",
              "-uanp"
            ],
            "output": "State"
          }
        ]
      }
    }
  ],
`;
	assert.ok(toJson(makeReport([result])).includes(expected), toJson(makeReport([result])));
});

test('a report from the command line says whose it is and when, right after the schema', () => {
	const origin = {fwcheckVersion: '0.1.0', host: 'pbx-7', checkedAt: '2026-12-05T14:28:50+01:00'};
	const document = JSON.parse(toJson(makeReport([], {origin}))) as ReportJson;
	assert.deepEqual(Object.keys(document).slice(0, 5), ['schema', 'fwcheckVersion', 'host', 'checkedAt', 'status']);
	assert.deepEqual([document.fwcheckVersion, document.host, document.checkedAt], ['0.1.0', 'pbx-7', origin.checkedAt]);
	assert.ok(!('origin' in document));
	// A demo's label still comes before anything else.
	const demo = JSON.parse(toJson(makeReport([], {origin, demo: 'loopback'}))) as ReportJson;
	assert.deepEqual(Object.keys(demo).slice(0, 5), ['schema', 'demo', 'fwcheckVersion', 'host', 'checkedAt']);
});
