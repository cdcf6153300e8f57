import {type TransportAddress, formatAddress, normalizeIp} from '../stun/address.js';
import {type StunMessage, findAttribute} from '../stun/message.js';
import type {RequestResult} from '../stun/stun-socket.js';
import type {PortResult, TestDetail} from './types.js';
import {type PortVerdictCode, verdict} from './verdicts.js';

/** The address the server saw: XOR-MAPPED-ADDRESS when present (ALGs cannot rewrite it), else MAPPED-ADDRESS. */
export const mappedAddressOf = (message: StunMessage): TransportAddress | undefined =>
	findAttribute(message, 'xor-mapped-address')?.address ?? findAttribute(message, 'mapped-address')?.address;

/** A router ALG that rewrites addresses inside packets shows up as MAPPED ≠ XOR-MAPPED. */
export const algNote = (message: StunMessage): string | undefined => {
	const plain = findAttribute(message, 'mapped-address')?.address;
	const xored = findAttribute(message, 'xor-mapped-address')?.address;
	if (plain && xored && (plain.port !== xored.port || normalizeIp(plain.address) !== normalizeIp(xored.address))) {
		return `MAPPED-ADDRESS ${formatAddress(plain)} differs from XOR-MAPPED-ADDRESS ${formatAddress(xored)}: a device on the path rewrites addresses inside packets (an ALG such as SIP ALG). Turn it off.`;
	}

	return undefined;
};

export const skippedTest = (): TestDetail => ({
	outcome: 'skipped',
	sends: 0,
	rttMs: null,
	elapsedMs: 0,
	from: null,
	wrongSource: [],
	attempts: 0,
});

export const testDetail = (result: RequestResult, attempts: number): TestDetail => ({
	outcome: result.ok && result.response.messageClass === 'success' ? 'pass' : 'fail',
	sends: result.sends,
	rttMs: result.ok ? Math.round(result.rttMs * 100) / 100 : null,
	elapsedMs: Math.round(result.elapsedMs),
	from: result.ok ? formatAddress(result.from) : null,
	wrongSource: result.wrongSource.map(({from}) => formatAddress(from)),
	attempts,
});

const finish = (
	base: Omit<PortResult, 'code' | 'message' | 'status'>,
	code: PortVerdictCode,
	status: PortResult['status'],
): PortResult => ({...base, status, code, message: verdict(code).sentence});

/**
 * Turn one port's two transactions into its verdict. Pure, so every rule is unit-tested.
 * Precedence: no reply at all, then a changed port, then a different public IP, then Test 2.
 */
export const classifyPort = (input: {
	port: number;
	test1: RequestResult;
	test2: RequestResult | undefined;
	publicIp?: string;
	attempts: number;
}): PortResult => {
	const {port, test1, test2, publicIp, attempts} = input;
	const notes: string[] = [];
	const base = {
		port,
		protocol: 'udp' as const,
		reachability: 'fail' as PortResult['reachability'],
		inbound: 'skipped' as PortResult['inbound'],
		mapped: null as string | null,
		process: null,
		notes,
		test1: testDetail(test1, attempts),
		test2: test2 ? testDetail(test2, attempts) : skippedTest(),
	};
	if (!test1.ok) {
		return finish(base, 'outbound-blocked', 'fail');
	}

	base.reachability = 'pass';
	const mapped = mappedAddressOf(test1.response);
	base.mapped = mapped ? formatAddress(mapped) : null;
	const alg = algNote(test1.response);
	if (alg) {
		notes.push(alg);
	}

	if (test1.response.messageClass === 'error') {
		const error = findAttribute(test1.response, 'error-code');
		notes.push(`The server answered Test 1 with error ${error?.code ?? '?'} ${error?.reason ?? ''}`.trim());
	}

	if (test2) {
		base.inbound = test2.ok && test2.response.messageClass === 'success' ? 'pass' : 'fail';
		if (test2.wrongSource.length > 0 && !test2.ok) {
			notes.push(
				`Test 2 got ${test2.wrongSource.length} reply(s) from an address other than the server's second IP (${base.test2.wrongSource.join(', ')}); they do not count.`,
			);
		}
	}

	const mapped2 = test2?.ok ? mappedAddressOf(test2.response) : undefined;
	if ((mapped && mapped.port !== port) || (mapped2 && mapped2.port !== port)) {
		return finish(base, 'port-translated', 'fail');
	}

	if (publicIp && mapped && normalizeIp(mapped.address) !== normalizeIp(publicIp)) {
		return finish(base, 'address-mismatch', 'fail');
	}

	if (base.inbound !== 'pass') {
		return finish(base, 'inbound-blocked', 'fail');
	}

	return finish(base, 'ok', 'pass');
};

export const busyPort = (port: number, detail: string): PortResult => ({
	port,
	protocol: 'udp',
	status: 'busy',
	reachability: 'skipped',
	inbound: 'skipped',
	mapped: null,
	code: 'port-in-use',
	message: verdict('port-in-use').sentence,
	process: null,
	notes: [detail],
	test1: skippedTest(),
	test2: skippedTest(),
});

export const skippedPort = (port: number, why: string): PortResult => ({
	port,
	protocol: 'udp',
	status: 'skipped',
	reachability: 'skipped',
	inbound: 'skipped',
	mapped: null,
	code: null,
	message: why,
	process: null,
	notes: [],
	test1: skippedTest(),
	test2: skippedTest(),
});
