import {isIPv6} from 'node:net';
import {type Clock, type TimerHandle, systemClock} from '../net/clock.js';
import {type BindErrorCode, type UdpOpener, type UdpSocket, openNodeUdp} from '../net/udp.js';
import {watchAbort} from './abort-watch.js';
import {Method} from './constants.js';
import {type TransportAddress, normalizeIp} from './address.js';
import type {AttributeInput} from './attributes.js';
import {type StunMessage, decodeMessage, encodeMessage, transactionKeyOf} from './message.js';
import {newTransactionId} from './transaction-id.js';

export interface RequestPlan {
	to: TransportAddress;
	attributes?: AttributeInput[];
	/** Whether a reply from this address may answer the request (Test 2 only accepts the second IP). */
	accept: (from: TransportAddress) => boolean;
	/** How long to wait after send number `index` (0-based) before sending again or giving up. */
	waitAfter: (index: number) => number;
	maxSends: number;
	signal?: AbortSignal;
	/** Awaited before every send: the pacer's gate. */
	beforeSend?: () => Promise<void>;
	/** Given when the caller must know the ID before the first send; a fresh one otherwise. */
	transactionId?: Buffer;
	/**
	 * Send through this other socket while the reply is awaited here (Test 3: asked from a control
	 * socket, answered to the silent checked port).
	 */
	sendVia?: StunSocket;
	/**
	 * Called once if a second answer to this transaction arrives after it was answered and had been
	 * retransmitted: an earlier send was only late, not lost (the server answers every copy).
	 */
	onLateAnswer?: (sendTimes: readonly number[]) => void;
}

interface Common {
	sends: number;
	/** The clock's time of every send. */
	sendTimes: number[];
	elapsedMs: number;
	/** Replies that matched the transaction but came from an address `accept` refused. */
	wrongSource: Array<{from: TransportAddress; message: StunMessage}>;
}

export type RequestResult =
	| (Common & {ok: true; response: StunMessage; from: TransportAddress; rttMs: number})
	| (Common & {ok: false; reason: 'timeout' | 'aborted' | 'send-error'; detail?: string});

export interface SocketCounters {
	sent: number;
	garbage: number;
	unknownTransaction: number;
	wrongSource: number;
}

export type OpenResult = {ok: true; socket: StunSocket} | {ok: false; code: BindErrorCode; detail: string};

export interface OpenOptions {
	port: number;
	address?: string;
	family?: 4 | 6;
	/** Where sockets come from and what time it is: the host's by default, a simulated network's in tests. */
	udp?: UdpOpener;
	clock?: Clock;
}

/**
 * One transaction in flight, its state in fields and its steps in StunSocket's methods: a sweep
 * has thousands in flight, and a dozen closures and their scopes each were most of what a port
 * held while it waited (and of the garbage the GC promoted). Two closures remain, made once.
 */
interface Transaction {
	readonly plan: RequestPlan;
	readonly key: string;
	readonly datagram: Buffer;
	readonly started: number;
	/** Every send's time; their count is the number of sends, the last one the RTT's start. */
	readonly sendTimes: number[];
	readonly wrongSource: Common['wrongSource'];
	readonly resolve: (result: RequestResult) => void;
	timer: TimerHandle | undefined;
	settled: boolean;
	/** Set once the request waits on the signal; settling stops watching. */
	stopWatching: (() => void) | undefined;
	/** The next send (or the timeout), for the timer. */
	next: () => void;
	/** A send that failed on the way out. */
	sendFailed: (error: Error) => void;
}

/**
 * One bound UDP socket that runs STUN transactions. A reply counts only when its transaction
 * key matches a request in flight and its source is one the request accepts; everything else
 * is dropped and counted, so forged or stray datagrams cannot decide a verdict.
 */
export class StunSocket {
	static async open(options: OpenOptions): Promise<OpenResult> {
		const family = options.family ?? (options.address && isIPv6(options.address) ? 6 : 4);
		const opened = await (options.udp ?? openNodeUdp)({port: options.port, address: options.address, family});
		return opened.ok ? {ok: true, socket: new StunSocket(opened.socket, options.clock ?? systemClock)} : opened;
	}

	readonly counters: SocketCounters = {sent: 0, garbage: 0, unknownTransaction: 0, wrongSource: 0};
	readonly #socket: UdpSocket;
	readonly #clock: Clock;
	readonly #pending = new Map<string, Transaction>();
	/** Answered transactions that were retransmitted and want to hear of a second answer, oldest first. */
	readonly #answeredResent = new Map<string, {at: number; plan: RequestPlan; hear: () => void}>();
	#closed = false;
	/** Hears a well-formed reply that matches no transaction of this socket, before it is counted and dropped. */
	onUnmatched: ((message: StunMessage, from: TransportAddress) => void) | undefined;

	private constructor(socket: UdpSocket, clock: Clock) {
		this.#socket = socket;
		this.#clock = clock;
		socket.onMessage((data, from) => {
			this.#receive(data, from);
		});
	}

	get localPort(): number {
		return this.#socket.local().port;
	}

	get localAddress(): string {
		return this.#socket.local().address;
	}

	/** Run one Binding transaction: send, retransmit on the plan's schedule, settle once. */
	async request(plan: RequestPlan): Promise<RequestResult> {
		const transactionId = plan.transactionId ?? newTransactionId();
		const key = transactionKeyOf(undefined, transactionId);
		const datagram = encodeMessage({method: Method.binding, messageClass: 'request', transactionId, attributes: plan.attributes});
		const started = this.#clock.now();

		return new Promise<RequestResult>(resolve => {
			const transaction: Transaction = {
				plan,
				key,
				datagram,
				started,
				sendTimes: [],
				wrongSource: [],
				resolve,
				timer: undefined,
				settled: false,
				stopWatching: undefined,
				next: () => {
					void this.#sendNext(transaction);
				},
				sendFailed: (error: Error) => {
					if (!transaction.settled) {
						this.#settle(transaction, {ok: false, reason: 'send-error', detail: error.message, ...this.#common(transaction)});
					}
				},
			};
			if (plan.signal?.aborted || this.#closed) {
				this.#abort(transaction);
				return;
			}

			transaction.stopWatching = plan.signal
				? watchAbort(plan.signal, () => {
						this.#abort(transaction);
					})
				: undefined;
			this.#pending.set(key, transaction);
			transaction.next();
		});
	}

	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		await this.#socket.close();
	}

	#settle(transaction: Transaction, result: RequestResult): void {
		if (transaction.settled) {
			return;
		}

		transaction.settled = true;
		this.#clock.clearTimeout(transaction.timer);
		this.#pending.delete(transaction.key);
		transaction.stopWatching?.();
		transaction.resolve(result);
	}

	#common(transaction: Transaction): Common {
		const {sendTimes, started, wrongSource} = transaction;
		return {sends: sendTimes.length, sendTimes, elapsedMs: this.#clock.now() - started, wrongSource};
	}

	#abort(transaction: Transaction): void {
		this.#settle(transaction, {ok: false, reason: 'aborted', ...this.#common(transaction)});
	}

	#reply(transaction: Transaction, response: StunMessage, from: TransportAddress): void {
		const {plan, sendTimes, key} = transaction;
		const {onLateAnswer} = plan;
		if (onLateAnswer && sendTimes.length > 1) {
			this.#expectLateAnswer(key, plan, () => {
				onLateAnswer(sendTimes);
			});
		}

		this.#settle(transaction, {
			ok: true,
			response,
			from,
			rttMs: this.#clock.now() - (sendTimes.at(-1) ?? transaction.started),
			...this.#common(transaction),
		});
	}

	async #sendNext(transaction: Transaction): Promise<void> {
		if (transaction.settled) {
			return;
		}

		const {plan, sendTimes} = transaction;
		if (sendTimes.length >= plan.maxSends) {
			this.#settle(transaction, {ok: false, reason: 'timeout', ...this.#common(transaction)});
			return;
		}

		await plan.beforeSend?.();
		if (transaction.settled || plan.signal?.aborted || this.#closed) {
			this.#abort(transaction);
			return;
		}

		const index = sendTimes.length;
		sendTimes.push(this.#clock.now());
		const via = plan.sendVia ?? this;
		if (via.#closed) {
			this.#abort(transaction);
			return;
		}

		via.counters.sent++;
		via.#socket.send(transaction.datagram, plan.to, transaction.sendFailed);
		transaction.timer = this.#clock.setTimeout(transaction.next, plan.waitAfter(index));
	}

	/** Listen for a second answer to `key` for a while (ten seconds: far longer than any answer takes). */
	#expectLateAnswer(key: string, plan: RequestPlan, hear: () => void): void {
		const now = this.#clock.now();
		for (const [oldKey, {at}] of this.#answeredResent) {
			if (now - at < 10_000) {
				break;
			}

			this.#answeredResent.delete(oldKey);
		}

		this.#answeredResent.set(key, {at: now, plan, hear});
	}

	#receive(data: Buffer, from: TransportAddress): void {
		const decoded = decodeMessage(data);
		if (!decoded.ok || (decoded.message.messageClass !== 'success' && decoded.message.messageClass !== 'error')) {
			this.counters.garbage++;
			return;
		}

		const pending = this.#pending.get(decoded.message.transactionKey);
		if (!pending) {
			const late = this.#answeredResent.get(decoded.message.transactionKey);
			if (late?.plan.accept(from)) {
				this.#answeredResent.delete(decoded.message.transactionKey);
				late.hear();
			}

			this.onUnmatched?.(decoded.message, from);
			this.counters.unknownTransaction++;
			return;
		}

		if (!pending.plan.accept(from)) {
			this.counters.wrongSource++;
			pending.wrongSource.push({from, message: decoded.message});
			return;
		}

		this.#reply(pending, decoded.message, from);
	}
}

/** Accept replies from exactly this address. */
export const fromAddress =
	(expected: TransportAddress) =>
	(from: TransportAddress): boolean =>
		from.port === expected.port && normalizeIp(from.address) === normalizeIp(expected.address);

/** Accept replies from this IP, any port. */
export const fromIp =
	(ip: string) =>
	(from: TransportAddress): boolean =>
		normalizeIp(from.address) === normalizeIp(ip);
