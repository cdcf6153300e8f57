import {test} from 'node:test';
import assert from 'node:assert/strict';
import {type Tests12Arrival, test3Admission, tests12Admission} from '../../source/check/port-admission.js';

/** Stands for a bound socket: the rule passes it through untouched. */
const socket = {name: 'the socket Test 3 passed on'};

test('admission: Test 3 takes a new port’s turn before binding, a recheck does not', () => {
	const rows: Array<{name: string; attempts: number; turnBeforeBind: boolean}> = [
		{name: 'the quick pass: nothing has started', attempts: 1, turnBeforeBind: true},
		{name: 'a recheck finishes what is started', attempts: 2, turnBeforeBind: false},
	];
	for (const row of rows) {
		assert.deepEqual(test3Admission(row.attempts), {turnBeforeBind: row.turnBeforeBind}, row.name);
	}
});

test('admission: Tests 1-2, by what the Test 3 pass left of the port', () => {
	const rows: Array<{
		name: string;
		arrival: Tests12Arrival<typeof socket>;
		turnBeforeBind: boolean;
		handed: boolean;
	}> = [
		{
			name: 'no Test 3 (the server cannot run it): a new port waits for its turn, then binds',
			arrival: {attempts: 1, fromTest3: undefined, test3Sends: 0},
			turnBeforeBind: true,
			handed: false,
		},
		{
			name: 'Test 3 passed: it goes on at once on the socket Test 3 handed on',
			arrival: {attempts: 1, fromTest3: socket, test3Sends: 1},
			turnBeforeBind: false,
			handed: true,
		},
		{
			name: 'Test 3 passed on a retransmission: handed on all the same',
			arrival: {attempts: 1, fromTest3: socket, test3Sends: 4},
			turnBeforeBind: false,
			handed: true,
		},
		{
			name: 'busy in Test 3: it had its turn there, so it binds again at once and is reported busy at once',
			arrival: {attempts: 1, fromTest3: 'busy', test3Sends: 0},
			turnBeforeBind: false,
			handed: false,
		},
		{
			name: 'a Test 3 failure that stood: started already, its parked socket (or a new bind) from PortSockets',
			arrival: {attempts: 1, fromTest3: undefined, test3Sends: 6},
			turnBeforeBind: false,
			handed: false,
		},
		{
			name: 'a failure that stood after a recheck: started already',
			arrival: {attempts: 1, fromTest3: undefined, test3Sends: 5},
			turnBeforeBind: false,
			handed: false,
		},
		{
			name: 'the server refused Test 3 part way: its failures were dropped, so the port is new again',
			arrival: {attempts: 1, fromTest3: undefined, test3Sends: 0},
			turnBeforeBind: true,
			handed: false,
		},
		{
			name: 'a recheck of Tests 1-2 without Test 3: it finishes what is started',
			arrival: {attempts: 2, fromTest3: undefined, test3Sends: 0},
			turnBeforeBind: false,
			handed: false,
		},
		{
			name: 'a recheck of Tests 1-2 after Test 3',
			arrival: {attempts: 2, fromTest3: undefined, test3Sends: 3},
			turnBeforeBind: false,
			handed: false,
		},
	];
	for (const row of rows) {
		const admission = tests12Admission(row.arrival);
		assert.equal(admission.turnBeforeBind, row.turnBeforeBind, row.name);
		if (row.handed) {
			assert.equal(admission.handedSocket, socket, `${row.name}: that very socket`);
		} else {
			assert.equal(admission.handedSocket, undefined, row.name);
		}
	}
});
