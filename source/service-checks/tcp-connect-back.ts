// TCP ports (--tcp): fwcheck listens on each free one, asks the server to connect to them from
// its second IP, and tells "reached this host" from "reached something else" by the nonce line.
import {randomBytes} from 'node:crypto';
import type {ConnectOutcome, ConnectResult} from '../wire/index.js';
import type {PortOwner} from '../system/port-owner.js';
import type {EngineEnvironment} from '../check/environment.js';
import type {TcpPortResult} from '../check/types.js';
import {verdictMessage} from '../check/verdicts.js';
import type {ControlClient} from './control-client.js';
import {listenForNonce} from './tcp-listeners.js';
import type {PortWatch} from './tcp-listeners.js';

/** Time for a nonce line to arrive after the server's reply says "connected". */
const NONCE_GRACE_MS = 1000;
/** The server connects for up to 3 s per port, all in parallel; its reply comes after. */
const CONNECT_REPLY_TIMEOUT_MS = 8000;

export const skippedTcp = (
	port: number,
	message: string,
	code: TcpPortResult['code'] = 'services-unavailable',
): TcpPortResult => ({
	port,
	status: 'skipped',
	code,
	message,
	process: null,
	outcome: null,
	reachedThisHost: null,
});

/** One port's verdict from the server's outcome and what our listener saw (undefined: the port is busy). */
export const classifyTcpPort = (
	port: number,
	outcome: ConnectOutcome,
	watch: PortWatch | undefined,
	owner: PortOwner | null,
): TcpPortResult => {
	const base = {port, outcome, process: owner};
	if (!watch) {
		return outcome === 'connected'
			? {...base, status: 'busy', code: 'tcp-busy-reached', message: verdictMessage('tcp-busy-reached'), reachedThisHost: null}
			: {
					...base,
					status: 'fail',
					code: failCode(outcome),
					message: `${verdictMessage(failCode(outcome))} (Another program holds the port here.)`,
					reachedThisHost: null,
				};
	}

	if (outcome === 'connected') {
		return watch.nonceSeen
			? {...base, status: 'pass', code: 'tcp-ok', message: verdictMessage('tcp-ok'), reachedThisHost: true}
			: {...base, status: 'fail', code: 'tcp-elsewhere', message: verdictMessage('tcp-elsewhere'), reachedThisHost: false};
	}

	return {...base, status: 'fail', code: failCode(outcome), message: verdictMessage(failCode(outcome)), reachedThisHost: false};
};

const failCode = (outcome: ConnectOutcome): 'tcp-refused' | 'tcp-no-answer' =>
	outcome === 'refused' ? 'tcp-refused' : 'tcp-no-answer';

const chunks = <T>(items: T[], size: number): T[][] =>
	Array.from({length: Math.ceil(items.length / size)}, (_unused, index) => items.slice(index * size, (index + 1) * size));

/** Run the connect-back over `ports`. Never throws. */
export const checkTcpPorts = async (
	ports: number[],
	options: {
		control: ControlClient;
		maxPorts: number;
		family: 4 | 6;
		bindAddress?: string;
		environment: Pick<EngineEnvironment, 'tcp' | 'clock'>;
		findOwners: (ports: number[]) => Promise<Map<number, PortOwner | null>>;
	},
): Promise<TcpPortResult[]> => {
	const nonce = randomBytes(12).toString('hex');
	const {tcp, clock} = options.environment;
	const listeners = await listenForNonce(ports, nonce, {address: options.bindAddress, family: options.family, tcp, clock});
	try {
		const owners = listeners.busy.length > 0 ? await options.findOwners(listeners.busy) : new Map<number, PortOwner | null>();
		const asked = ports.filter(port => !listeners.failed.has(port));
		const results = new Map<number, TcpPortResult>();
		for (const [port, detail] of listeners.failed) {
			results.set(port, skippedTcp(port, `Could not listen on this port: ${detail}.`, null));
		}

		for (const chunk of chunks(asked, Math.max(1, options.maxPorts))) {
			const answer = await options.control.request({op: 'connect', ports: chunk, nonce}, CONNECT_REPLY_TIMEOUT_MS);
			if (!answer.ok || !answer.reply.ok || answer.reply.op !== 'connect') {
				const why = answer.ok
					? answer.reply.ok
						? 'an unexpected reply'
						: `${answer.reply.error}: ${answer.reply.detail}`
					: answer.detail;
				for (const port of chunk) {
					results.set(port, skippedTcp(port, `The server did not connect back (${why}).`, null));
				}

				continue;
			}

			const byPort = new Map<number, ConnectResult>(answer.reply.results.map(result => [result.port, result]));
			await listeners.settle(
				chunk.filter(port => byPort.get(port)?.outcome === 'connected' && listeners.watches.has(port)),
				NONCE_GRACE_MS,
			);
			for (const port of chunk) {
				const result = byPort.get(port);
				results.set(
					port,
					result
						? classifyTcpPort(port, result.outcome, listeners.watches.get(port), owners.get(port) ?? null)
						: skippedTcp(port, 'The server left this port out of its reply.', null),
				);
			}
		}

		return ports.map(port => results.get(port) ?? skippedTcp(port, 'Not checked.', null));
	} finally {
		await listeners.close();
	}
};
