/**
 * When a port may start, and which socket it starts on: pure, so every case is table-tested.
 *
 * A port that has not started waits for its first pacer turn before it binds (PortStart in
 * probe.ts): while it waits it holds no socket and no transaction, and that turn pays for its
 * first send. A port that has started, or that had its turn in the Test 3 pass, finishes what is
 * started, its sends paced as they go.
 */

export interface Admission {
	/** Wait for the pacer before binding the socket; that turn pays for the first send. */
	turnBeforeBind: boolean;
}

/** Test 3: a new port waits for its turn before it binds; a recheck finishes what is started. */
export const test3Admission = (attempts: number): Admission => ({turnBeforeBind: attempts === 1});

/** What the Tests 1-2 pass knows of a port as a worker reaches it; `S` is a socket, passed through untouched. */
export interface Tests12Arrival<S extends object> {
	/** This pass's number: 1 for the quick pass, 2 for a recheck. */
	attempts: number;
	/** What the Test 3 pass sent on with the port: its socket (Test 3 passed on it), 'busy' (it could not bind), or nothing. */
	fromTest3: S | 'busy' | undefined;
	/** Test 3 requests sent for the port; 0 when Test 3 did not run for it. */
	test3Sends: number;
}

export interface Tests12Admission<S extends object> extends Admission {
	/** The socket Test 3 handed on, to send from; undefined: the port's own from PortSockets (parked, or a new bind). */
	handedSocket: S | undefined;
}

/**
 * Tests 1-2: only a port that nothing has started takes its turn before binding. A port whose
 * Test 3 was sent has started (its sends go ahead of new ports'); one that Test 3 found busy had
 * its turn there, and behind every queued port it would show as busy only at the end of the pass.
 */
export const tests12Admission = <S extends object>(port: Tests12Arrival<S>): Tests12Admission<S> => ({
	turnBeforeBind: port.attempts === 1 && port.fromTest3 === undefined && port.test3Sends === 0,
	handedSocket: typeof port.fromTest3 === 'object' ? port.fromTest3 : undefined,
});
