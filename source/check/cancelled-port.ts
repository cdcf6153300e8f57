/**
 * What a cancel leaves of one port: pure, so every case is table-tested. A failure stands only
 * once a slow recheck has looked at it; a cancel that came first leaves a port whose tests found
 * something but confirmed nothing. It keeps those findings (its test details, and the verdict
 * they point to as `provisional`), but its verdict is `cancelled`: nothing unconfirmed may read
 * as a router failure, with a checklist telling the user to add a forward.
 */
import {skippedTest} from './classify.js';
import {noStrings} from './intern.js';
import type {PortResult, TestDetail} from './types.js';

export interface CancelLeftovers {
	port: number;
	/** The port's latest verdict from Tests 1-2, if it got one. */
	result: PortResult | undefined;
	/** Its Test 3, if that got decided (the Test 3 pass keeps it while the port waits for Tests 1-2). */
	test3: TestDetail | undefined;
	/** The rechecks of Tests 1-2's failures ran to the end: every failure left stands. */
	failuresStood: boolean;
}

const cancelledNote = 'the check was cancelled before it could confirm';

/** "Test 3", "Tests 1 and 2", "Tests 1, 2 and 3". */
const testsNamed = (tests: number[]): string =>
	tests.length === 1 ? `Test ${tests[0]}` : `Tests ${tests.slice(0, -1).join(', ')} and ${tests.at(-1)}`;

/** Whether a failed test of this port has been looked at by a slow recheck (attempts counts passes). */
const rechecked = (detail: TestDetail): boolean => detail.attempts >= 2;

/**
 * The port's result as a cancelled report shows it: a standing verdict as it is, what its tests
 * found so far under verdict `cancelled`, or undefined when nothing is known of it.
 */
export const whatCancelLeft = ({port, result, test3, failuresStood}: CancelLeftovers): PortResult | undefined => {
	if (result) {
		if (result.status !== 'fail' || failuresStood || rechecked(result.test1)) {
			return result;
		}

		// A Test 3 failure stood before Tests 1-2 ran (the Test 3 pass rechecks it first); the
		// failures of Tests 1-2 had not been rechecked yet.
		const failed = [result.test1, result.test2].flatMap((detail, index) => (detail.outcome === 'fail' ? [index + 1] : []));
		const found =
			failed.length > 0
				? `${testsNamed(failed)} failed once, not rechecked: ${cancelledNote}.`
				: `Not rechecked: ${cancelledNote}.`;
		return cancelledWith(result, result.code, found);
	}

	if (!test3 || test3.outcome === 'skipped') {
		return undefined;
	}

	const base: PortResult = {
		port,
		protocol: 'udp',
		status: 'skipped',
		mapped: null,
		code: null,
		message: '',
		owner: null,
		notes: noStrings,
		test1: skippedTest(),
		test2: skippedTest(),
		test3,
	};
	if (test3.outcome === 'pass') {
		return cancelledWith(base, null, 'Test 3 passed; Tests 1 and 2 did not finish: the check was cancelled.');
	}

	const found = rechecked(test3)
		? 'Test 3 failed and a recheck confirmed it; Tests 1 and 2 did not run: the check was cancelled.'
		: `Test 3 failed once, not rechecked, and Tests 1 and 2 did not run: ${cancelledNote}.`;
	return cancelledWith(base, null, found);
};

const cancelledWith = (result: PortResult, found: PortResult['code'], detail: string): PortResult => ({
	...result,
	status: 'skipped',
	code: 'cancelled',
	message: detail,
	provisional: {code: found, detail},
});
