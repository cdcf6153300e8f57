import {english} from '../catalog/index.js';
import {type TransportAddress, formatAddress, normalizeIp} from '../stun/address.js';
import {type StunMessage, findAttribute} from '../stun/message.js';
import type {RequestResult} from '../stun/stun-socket.js';
import {keptList, noStrings, internText} from './intern.js';
import type {PortResult, TestDetail} from './types.js';
import {type PortVerdictCode, verdictMessage} from './verdicts.js';

/** The address the server saw: XOR-MAPPED-ADDRESS when present (ALGs cannot rewrite it), else MAPPED-ADDRESS. */
export const mappedAddressOf = (message: StunMessage): TransportAddress | undefined =>
	findAttribute(message, 'xor-mapped-address')?.address ?? findAttribute(message, 'mapped-address')?.address;

/** A router ALG that rewrites addresses inside packets shows up as MAPPED ≠ XOR-MAPPED. */
export const algNote = (message: StunMessage): string | undefined => {
	const plain = findAttribute(message, 'mapped-address')?.address;
	const xored = findAttribute(message, 'xor-mapped-address')?.address;
	if (plain && xored && (plain.port !== xored.port || normalizeIp(plain.address) !== normalizeIp(xored.address))) {
		return english.notes.algRewrite(formatAddress(plain), formatAddress(xored));
	}

	return undefined;
};

export const skippedTest = (): TestDetail => ({
	outcome: 'skipped',
	sends: 0,
	rttMs: null,
	elapsedMs: 0,
	from: null,
	wrongSource: noStrings,
	attempts: 0,
});

export const testDetail = (result: RequestResult, attempts: number): TestDetail => ({
	outcome: result.ok && result.response.messageClass === 'success' ? 'pass' : 'fail',
	sends: result.sends,
	rttMs: result.ok ? Math.round(result.rttMs * 100) / 100 : null,
	elapsedMs: Math.round(result.elapsedMs),
	from: result.ok ? internText(formatAddress(result.from)) : null,
	wrongSource: keptList(result.wrongSource.map(({from}) => internText(formatAddress(from)))),
	attempts,
});

/**
 * Every key written out, not `{...base, status, ...}`: V8 (Node 20) gives each object made by a
 * spread followed by new keys a hidden class of its own, about 430 bytes more per port, kept for
 * the whole check (13 MB at 32000 ports). Same keys, same order (the JSON's details follow it).
 */
const finish = (
	base: Omit<PortResult, 'code' | 'message' | 'status'>,
	code: PortVerdictCode,
	status: PortResult['status'],
): PortResult => ({
	port: base.port,
	protocol: base.protocol,
	mapped: base.mapped,
	owner: base.owner,
	notes: keptList(base.notes),
	test1: base.test1,
	test2: base.test2,
	test3: base.test3,
	status,
	code,
	message: verdictMessage(code),
});

/** A passed Test 3 beside a failed Test 2: the forward exists, yet the reply after sending did not get in. */
export const test3WithoutTest2Note = english.notes.test3WithoutTest2;

/**
 * Turn one port's transactions into its verdict. Pure, so every rule is unit-tested.
 * Precedence, first match wins:
 * 1. no answer to Test 1 → outbound-blocked (nothing else can be judged);
 * 2. the public port differs from the local one → port-translated (a forward of the same number cannot help);
 * 3. another public IP than --public-ip → address-mismatch;
 * 4. Test 2 fails → inbound-blocked (even when Test 3 passed: noted, as it is odd);
 * 5. Test 3 fails → mapping-only (inbound only through the mapping the port opened);
 * 6. ok (Test 3 passed, or the server could not run it: `test3` skipped).
 * `test3` is decided before the port sent anything, in its own pass, so it comes in as a detail.
 */
export const classifyPort = (input: {
	port: number;
	test1: RequestResult;
	test2: RequestResult | undefined;
	test3?: TestDetail;
	publicIp?: string;
	attempts: number;
}): PortResult => {
	const {port, test1, test2, publicIp, attempts} = input;
	const test3 = input.test3 ?? skippedTest();
	const notes: string[] = [];
	const base = {
		port,
		protocol: 'udp' as const,
		mapped: null as string | null,
		owner: null,
		notes,
		test1: testDetail(test1, attempts),
		test2: test2 ? testDetail(test2, attempts) : skippedTest(),
		test3,
	};
	if (!test1.ok) {
		return finish(base, 'outbound-blocked', 'fail');
	}

	const mapped = mappedAddressOf(test1.response);
	base.mapped = mapped ? formatAddress(mapped) : null;
	const alg = algNote(test1.response);
	if (alg) {
		notes.push(alg);
	}

	if (test1.response.messageClass === 'error') {
		const error = findAttribute(test1.response, 'error-code');
		// Trimmed as a whole: a server's empty reason leaves "error 400", which test1ErrorNoReason reads.
		notes.push(english.notes.test1Error(String(error?.code ?? '?'), error?.reason ?? '').trim());
	}

	if (test2 && test2.wrongSource.length > 0 && !test2.ok) {
		notes.push(english.notes.test2WrongSource(String(test2.wrongSource.length), base.test2.wrongSource.join(', ')));
	}

	const mapped2 = test2?.ok ? mappedAddressOf(test2.response) : undefined;
	if ((mapped && mapped.port !== port) || (mapped2 && mapped2.port !== port)) {
		return finish(base, 'port-translated', 'fail');
	}

	if (publicIp && mapped && normalizeIp(mapped.address) !== normalizeIp(publicIp)) {
		return finish(base, 'address-mismatch', 'fail');
	}

	if (base.test2.outcome !== 'pass') {
		if (test3.outcome === 'pass') {
			notes.push(test3WithoutTest2Note);
		}

		return finish(base, 'inbound-blocked', 'fail');
	}

	if (test3.outcome === 'fail') {
		return finish(base, 'mapping-only', 'fail');
	}

	return finish(base, 'ok', 'pass');
};

export const busyPort = (port: number, detail: string): PortResult => ({
	port,
	protocol: 'udp',
	status: 'busy',
	mapped: null,
	code: 'port-in-use',
	message: verdictMessage('port-in-use'),
	owner: null,
	notes: [detail],
	test1: skippedTest(),
	test2: skippedTest(),
	test3: skippedTest(),
});

/** A port this user may not bind (below 1024 without root): not checked, and no fault of the router. */
export const notPermittedPort = (port: number, detail: string): PortResult => ({
	...skippedPort(port, verdictMessage('port-not-permitted')),
	code: 'port-not-permitted',
	notes: [detail],
});

export const skippedPort = (port: number, why: string): PortResult => ({
	port,
	protocol: 'udp',
	status: 'skipped',
	mapped: null,
	code: null,
	message: why,
	owner: null,
	notes: noStrings,
	test1: skippedTest(),
	test2: skippedTest(),
	test3: skippedTest(),
});
