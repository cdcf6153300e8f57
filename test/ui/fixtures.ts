import {skippedTest} from '../../source/check/classify.js';
import {overallVerdict} from '../../source/check/report-model.js';
import type {SweepRunner} from '../../source/check/sweep.js';
import type {CheckConfig, CheckReport, PortResult, ServerInfo, SweepEvent, TestDetail} from '../../source/check/types.js';
import {type PortVerdictCode, verdict} from '../../source/check/verdicts.js';

/** Documentation addresses (RFC 5737): a STUN server with two IPs, a router's WAN IP, a PBX on the LAN. */
export const server: ServerInfo = {
	host: 'stun.example.net',
	port: 3478,
	address: {family: 4, address: '198.51.100.10', port: 3478},
	otherAddress: {family: 4, address: '198.51.100.11', port: 3479},
	software: 'fwcheck serve',
	rttMs: 23.4,
	responsePort: {supported: true},
};
export const publicIp = '203.0.113.7';
export const localIp = '192.168.1.20';

export const config = (ports: number[], overrides: Partial<CheckConfig> = {}): CheckConfig => ({
	servers: [{host: server.host, port: server.port}],
	ports,
	...overrides,
});

export const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, index) => from + index);

const passed = (from: string, rttMs: number, attempts = 1): TestDetail => ({
	outcome: 'pass',
	sends: 1,
	rttMs,
	elapsedMs: Math.round(rttMs),
	from,
	wrongSource: [],
	attempts,
});

const failed = (sends: number, elapsedMs: number, attempts = 2, wrongSource: string[] = []): TestDetail => ({
	outcome: 'fail',
	sends,
	rttMs: null,
	elapsedMs,
	from: null,
	wrongSource,
	attempts,
});

const primary = '198.51.100.10:3478';
const second = '198.51.100.11:3479';

const ssOutput = [
	'State  Recv-Q Send-Q   Local Address:Port    Peer Address:Port Process',
	'UNCONN 0      0        127.0.0.53%lo:53           0.0.0.0:*     users:(("systemd-resolve",pid=512,fd=13))',
	'UNCONN 0      0              0.0.0.0:5060         0.0.0.0:*     users:(("asterisk",pid=812,fd=23))',
	'UNCONN 0      0              0.0.0.0:9700         0.0.0.0:*     users:(("asterisk",pid=812,fd=31))',
].join('\n');

/** A result as the engine would give it for this verdict. */
export const portResult = (port: number, code: PortVerdictCode | 'skipped', overrides: Partial<PortResult> = {}): PortResult => {
	const base = {port, protocol: 'udp' as const, owner: null, notes: [] as string[]};
	const mapped = `${publicIp}:${port}`;
	const rtt = 20 + (port % 7) * 1.3;
	type Fields = Omit<PortResult, 'port' | 'protocol' | 'owner' | 'notes' | 'message' | 'test3'> &
		Partial<Pick<PortResult, 'owner' | 'notes' | 'test3'>>;
	const make = (fields: Fields): PortResult => ({
		...base,
		test3: {outcome: 'skipped', sends: 0, rttMs: null, elapsedMs: 0, from: null, wrongSource: [], attempts: 0},
		...fields,
		message: fields.code ? verdict(fields.code).sentence : 'Not checked: the check was cancelled.',
		...overrides,
	});
	switch (code) {
		case 'ok': {
			return make({
				status: 'pass',
				mapped,
				code,
				test1: passed(primary, rtt),
				test2: passed(second, rtt + 0.8),
			});
		}

		case 'mapping-only': {
			return make({
				status: 'fail',
				mapped,
				code,
				test1: passed(primary, rtt),
				test2: passed(second, rtt + 0.8),
				test3: failed(12, 4210),
			});
		}

		case 'inbound-blocked': {
			return make({
				status: 'fail',
				mapped,
				code,
				test1: passed(primary, rtt),
				test2: failed(12, 4210),
			});
		}

		case 'port-translated': {
			return make({
				status: 'fail',
				mapped: `${publicIp}:${61_000 + (port % 1000)}`,
				code,
				test1: passed(primary, rtt),
				test2: passed(second, rtt + 1),
			});
		}

		case 'outbound-blocked': {
			return make({
				status: 'fail',
				mapped: null,
				code,
				test1: failed(12, 4300),
				test2: skippedTest(),
			});
		}

		case 'address-mismatch': {
			return make({
				status: 'fail',
				mapped: `198.51.100.99:${port}`,
				code,
				test1: passed(primary, rtt),
				test2: passed(second, rtt + 1),
			});
		}

		case 'port-in-use': {
			return make({
				status: 'busy',
				mapped: null,
				code,
				test1: skippedTest(),
				test2: skippedTest(),
				owner: {pid: 812, name: 'asterisk'},
				notes: [`bind 0.0.0.0:${port}: address already in use`],
				ownerLookup: {
					userCommand: `ss -uanp 'sport = :${port}'`,
					excerpt: ssOutput
						.split('\n')
						.filter((line, index) => index === 0 || line.includes(`:${port} `))
						.join('\n'),
					runs: [{command: ['ss', '-uanp'], output: ssOutput}],
				},
			});
		}

		case 'port-not-permitted': {
			return make({
				status: 'skipped',
				mapped: null,
				code,
				test1: skippedTest(),
				test2: skippedTest(),
				notes: [`bind EACCES 0.0.0.0:${port}`],
			});
		}

		default: {
			return make({
				status: 'skipped',
				mapped: null,
				code: null,
				test1: skippedTest(),
				test2: skippedTest(),
			});
		}
	}
};

/**
 * The mix a real office router gives: most of the RTP range forwarded, one block missing, a
 * port the router translates, the PBX holding two ports, an ISP filter on one.
 */
export const mixedCode = (port: number): PortVerdictCode => {
	if (port >= 9500 && port <= 9599) {
		return 'inbound-blocked';
	}

	if (port === 9650) {
		return 'port-translated';
	}

	if (port === 5060 || port === 9700) {
		return 'port-in-use';
	}

	if (port >= 9800 && port <= 9803) {
		return 'outbound-blocked';
	}

	return 'ok';
};

export const makeReport = (results: PortResult[], overrides: Partial<CheckReport> = {}): CheckReport => {
	return {
		schema: 1,
		...overallVerdict(results, false),
		server: {host: server.host, address: primary, otherAddress: second, responsePort: true},
		notes: [],
		publicAddress: publicIp,
		localAddress: localIp,
		durationMs: 4321,
		ports: results,
		serversTried: [],
		pacing: {finalRate: null, slowdowns: [], confirmed: 0, flipped: 0},
		stats: {packetsSent: results.length * 2, dropped: {garbage: 0, unknownTransaction: 0, wrongSource: 0}},
		...overrides,
	};
};

export interface RunnerCall {
	ports: number[];
	signal: AbortSignal;
	emitted: SweepEvent[];
	/** Port events emitted after the signal aborted: must stay empty. */
	afterAbort: SweepEvent[];
}

/**
 * Stands in for the engine: emits `perTick` ports every `intervalMs`, stops at once on abort
 * and resolves with a cancelled report, like the real sweep promises to.
 */
export const scriptedRunner = (
	options: {codeOf?: (port: number, call: number) => PortVerdictCode; perTick?: number; intervalMs?: number} = {},
): {run: SweepRunner; calls: RunnerCall[]} => {
	const {codeOf = mixedCode, perTick = 50, intervalMs = 5} = options;
	const calls: RunnerCall[] = [];
	const run: SweepRunner = async (checkConfig, {signal, onEvent}) => {
		const call: RunnerCall = {ports: [...checkConfig.ports], signal, emitted: [], afterAbort: []};
		const callIndex = calls.push(call) - 1;
		const emit = (event: SweepEvent) => {
			(signal.aborted ? call.afterAbort : call.emitted).push(event);
			onEvent(event);
		};

		const results = new Map<number, PortResult>();
		emit({type: 'server-probing', host: server.host, port: server.port});
		emit({type: 'server-ready', server, localAddress: '192.168.1.20'});
		emit({type: 'sweep-started', ports: checkConfig.ports});
		let next = 0;
		while (next < checkConfig.ports.length && !signal.aborted) {
			await new Promise(resolve => setTimeout(resolve, intervalMs));
			for (const port of checkConfig.ports.slice(next, next + perTick)) {
				if (signal.aborted) {
					break;
				}

				emit({type: 'port-started', port});
				const result = portResult(port, codeOf(port, callIndex));
				results.set(port, result);
				emit({type: 'port-finished', result});
				next++;
			}
		}

		const ports = checkConfig.ports.map(port => results.get(port) ?? portResult(port, 'skipped'));
		const report = signal.aborted
			? makeReport(ports, {status: 'cancelled', code: 'cancelled', message: verdict('cancelled').sentence})
			: makeReport(ports);
		onEvent({type: 'done', report});
		return report;
	};

	return {run, calls};
};

/** A finished sweep, for tests that only look at the end state. */
export const instantRunner =
	(results: PortResult[], report = makeReport(results)): SweepRunner =>
	async (_config, {onEvent}) => {
		onEvent({type: 'server-ready', server, localAddress: '192.168.1.20'});
		onEvent({type: 'sweep-started', ports: results.map(result => result.port)});
		for (const result of results) {
			onEvent({type: 'port-finished', result});
		}

		onEvent({type: 'done', report});
		return report;
	};
