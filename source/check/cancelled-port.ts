/**
 * What a cancel leaves of one port: pure, so every case is table-tested. A failure stands only
 * once a slow recheck has looked at it; a cancel that came first leaves a port whose tests found
 * something but confirmed nothing. It keeps those findings (its test details, and the verdict
 * they point to as `provisional`), but its verdict is `cancelled`: nothing unconfirmed may read
 * as a router failure, with a checklist telling the user to add a forward.
 */
import {english} from '../catalog/index.js';
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

/** What a cancel left unconfirmed of Tests 1 and 2, by which of them failed once. */
const failedOnce = (failed: number[]): string => {
	const said = english.notes;
	if (failed.length === 2) return said.cancelledTests12Once;
	if (failed[0] === 1) return said.cancelledTest1Once;
	return failed[0] === 2 ? said.cancelledTest2Once : said.cancelledNotRechecked;
};

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
		return cancelledWith(result, result.code, failedOnce(failed));
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
		return cancelledWith(base, null, english.notes.cancelledTest3Passed);
	}

	const found = rechecked(test3) ? english.notes.cancelledTest3Confirmed : english.notes.cancelledTest3Once;
	return cancelledWith(base, null, found);
};

const cancelledWith = (result: PortResult, found: PortResult['code'], detail: string): PortResult => ({
	...result,
	status: 'skipped',
	code: 'cancelled',
	message: detail,
	provisional: {code: found, detail},
});
