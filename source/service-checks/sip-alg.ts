// The SIP ALG test: send an OPTIONS and then an INVITE, each with an SDP offer, to the server's
// SIP echo, and compare what we sent with what it received. Anything rewritten on the way (Via,
// Contact, c= ...) is a SIP ALG at work; an INVITE that never comes back is one dropping calls.
import {isIPv6} from 'node:net';
import type {EngineEnvironment} from '../check/environment.js';
import {decodeEcho} from '../wire/index.js';
import type {TransportAddress} from '../stun/address.js';
import type {SipAlgCheck, SipExchange, SipRewrite} from '../check/types.js';
import {verdictMessage} from '../check/verdicts.js';
import {compareSip} from './sip-compare.js';
import {buildProbeRequest, newCallId, newTag} from './sip-request.js';
import type {SipReply} from './sip-transport.js';
import {sipRequestOverUdp, tcpExchanges} from './sip-transport.js';

export interface SipAlgInput {
	transport: 'udp' | 'tcp';
	/** This host's LAN address (what a PBX here would write into its SIP). */
	lan: string;
	/** The server's SIP echo: its primary IP and advertised port. */
	target: TransportAddress;
	/** UDP only: the local port to send from when free (the SIP port: some ALGs watch the source port). */
	preferredPort?: number;
	/** --bind: send from this address. */
	bindAddress?: string;
	/** The SDP offers' audio ports: first for OPTIONS, second for INVITE. */
	mediaPorts: readonly [number, number];
	environment: EngineEnvironment;
	signal: AbortSignal;
}

const METHODS = ['OPTIONS', 'INVITE'] as const;

/** Rewrites counted once each, whichever request showed them (the ALG treats both alike). */
const uniqueRewrites = (lists: SipRewrite[][]): SipRewrite[] => {
	const seen = new Set<string>();
	const result: SipRewrite[] = [];
	for (const rewrite of lists.flat()) {
		const key = `${rewrite.header}\n${rewrite.sent}\n${rewrite.received}`;
		if (!seen.has(key)) {
			seen.add(key);
			result.push(rewrite);
		}
	}

	return result;
};

const exchangeOf = (
	method: SipExchange['method'],
	request: Buffer,
	reply: SipReply,
): {exchange: SipExchange; rewrites: SipRewrite[]} => {
	const echo = reply.response ? decodeEcho(reply.response) : undefined;
	const received = echo?.received;
	return {
		exchange: {
			method,
			sends: reply.sends,
			answered: reply.response !== null,
			statusLine: reply.response ? (reply.raw?.toString('latin1').split(/\r?\n/)[0] ?? null) : null,
			sourceSeen: echo?.source ?? null,
			sent: request.toString('utf8'),
			received: received ? received.toString('utf8') : null,
		},
		rewrites: received ? compareSip(request, received) : [],
	};
};

/** Headers named once each, in the order first seen: "Via, Contact and c=". */
const namesOf = (rewrites: SipRewrite[]): string => {
	const names = [...new Set(rewrites.map(rewrite => rewrite.header))];
	return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
};

/** The check's verdict from its two exchanges. */
export const classifySipAlg = (transport: 'udp' | 'tcp', exchanges: SipExchange[], rewritten: SipRewrite[]): SipAlgCheck => {
	const over = transport.toUpperCase();
	const [options, invite] = exchanges;
	const base = {transport, rewritten, exchanges};
	if (rewritten.length > 0) {
		const dropped = invite && !invite.answered ? ' The INVITE never came back.' : '';
		return {
			...base,
			status: 'fail',
			alg: true,
			code: 'sip-alg',
			message: `A SIP ALG rewrote ${namesOf(rewritten)} in the request over ${over}.${dropped}`,
		};
	}

	if (options?.answered && invite && !invite.answered) {
		return {
			...base,
			status: 'fail',
			alg: false,
			code: 'sip-invite-dropped',
			message: `${verdictMessage('sip-invite-dropped')} (${over})`,
		};
	}

	if (!exchanges.some(exchange => exchange.answered)) {
		// Not a verdict on the router: the echo may be blocked anywhere (or rate limited).
		return {
			...base,
			status: 'skipped',
			alg: false,
			code: 'sip-no-answer',
			message: `${verdictMessage('sip-no-answer')} (${over})`,
		};
	}

	if (!exchanges.some(exchange => exchange.received !== null)) {
		return {
			...base,
			status: 'skipped',
			alg: false,
			code: 'sip-no-answer',
			message: `The SIP echo answered over ${over} without the request it received.`,
		};
	}

	return {...base, status: 'pass', alg: false, code: null, message: `No SIP ALG over ${over}: the requests arrived as sent.`};
};

/** Run the test over one transport. Never throws. */
export const checkSipAlg = async (input: SipAlgInput): Promise<SipAlgCheck> => {
	const {environment, signal, transport, lan, target} = input;
	const callId = newCallId(lan);
	const fromTag = newTag();
	const requestFor = (index: number, port: number): Buffer =>
		buildProbeRequest({
			method: METHODS[index]!,
			transport,
			lan,
			port,
			target,
			mediaPort: input.mediaPorts[index]!,
			callId,
			cseq: index + 1,
			fromTag,
		});

	const results: Array<{exchange: SipExchange; rewrites: SipRewrite[]}> = [];
	if (transport === 'tcp') {
		const tcp = await tcpExchanges(target, port => METHODS.map((_method, index) => requestFor(index, port)), {
			tcp: environment.tcp,
			clock: environment.clock,
			signal,
			localAddress: input.bindAddress,
		});
		tcp.requests.forEach((request, index) => results.push(exchangeOf(METHODS[index]!, request, tcp.replies[index]!)));
	} else {
		const family = isIPv6(target.address) ? 6 : 4;
		const address = input.bindAddress;
		let opened = input.preferredPort ? await environment.udp({port: input.preferredPort, address, family}) : undefined;
		if (!opened?.ok) {
			opened = await environment.udp({port: 0, address, family});
		}

		if (!opened.ok) {
			return classifySipAlg(transport, [], []);
		}

		const {socket} = opened;
		try {
			const port = socket.local().port;
			for (const [index, method] of METHODS.entries()) {
				const request = requestFor(index, port);
				const reply = await sipRequestOverUdp(socket, target, request, {clock: environment.clock, signal});
				results.push(exchangeOf(method, request, reply));
			}
		} finally {
			await socket.close();
		}
	}

	return classifySipAlg(
		transport,
		results.map(result => result.exchange),
		uniqueRewrites(results.map(result => result.rewrites)),
	);
};
