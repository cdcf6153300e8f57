import {isIP} from 'node:net';
import {type TransportAddress, formatAddress, normalizeIp} from '../stun/address.js';
import {findAttribute} from '../stun/message.js';
import {fromAddress, fromIp} from '../stun/stun-socket.js';
import {type EngineEnvironment, openStunSocket} from './environment.js';
import {probeResponsePort} from './response-port-probe.js';
import type {RttEstimator} from './rtt.js';
import type {ServerInfo, ServerSpec} from './types.js';
import type {CheckErrorCode} from './verdicts.js';

export type ServerProbe =
	{ok: true; server: ServerInfo; localAddress: string | null} | {ok: false; code: CheckErrorCode; detail: string};

/** Parse "host", "host:port", "[v6]:port" or a bare IPv6 address. */
export const parseServerSpec = (text: string): ServerSpec | undefined => {
	const trimmed = text.trim();
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
	if (bracketed) {
		return withPort(bracketed[1]!, bracketed[2]);
	}

	if (isIP(trimmed) === 6) {
		return {host: trimmed, port: 3478};
	}

	const match = /^([^:\s]+)(?::(\d+))?$/.exec(trimmed);
	return match ? withPort(match[1]!, match[2]) : undefined;
};

const withPort = (host: string, port: string | undefined): ServerSpec | undefined => {
	const number = port === undefined ? 3478 : Number(port);
	return Number.isInteger(number) && number >= 1 && number <= 65_535 ? {host, port: number} : undefined;
};

/**
 * Resolve one server, send it one Binding request from an ephemeral port and learn its second
 * address. A server that cannot run Test 2 is told apart here: no second address, a "second"
 * address with its own IP (one-address coturn), or an answer to CHANGE-REQUEST from the primary.
 * Then whether it honours RESPONSE-PORT, which Test 3 needs.
 */
export const probeServer = async (
	spec: ServerSpec,
	options: {bindAddress?: string; rtt: RttEstimator; signal: AbortSignal; family?: 4 | 6; environment: EngineEnvironment},
): Promise<ServerProbe> => {
	const {environment} = options;
	const resolved = await environment.resolve(
		spec.host,
		options.bindAddress ? (isIP(options.bindAddress) === 6 ? 6 : 4) : options.family,
	);
	if (!resolved) {
		return {ok: false, code: 'stun-unresolvable', detail: `${spec.host} does not resolve`};
	}

	const address: TransportAddress = {...resolved, port: spec.port};
	const opened = await openStunSocket(environment, {port: 0, address: options.bindAddress, family: address.family});
	if (!opened.ok) {
		return {ok: false, code: 'stun-unreachable', detail: `cannot open a UDP socket: ${opened.detail}`};
	}

	const {socket} = opened;
	try {
		// Patient: 7 sends over about 4 s, so a lossy path still finds the server.
		const binding = await socket.request({
			to: address,
			accept: fromAddress(address),
			maxSends: 7,
			waitAfter: index => Math.min(250 * 1.5 ** index, 1000),
			signal: options.signal,
		});
		if (!binding.ok) {
			return {
				ok: false,
				code: 'stun-unreachable',
				detail: `${formatAddress(address)} did not answer ${binding.sends} Binding requests`,
			};
		}

		options.rtt.sample(binding.rttMs);
		const other =
			findAttribute(binding.response, 'other-address')?.address ?? findAttribute(binding.response, 'changed-address')?.address;
		if (!other) {
			return {ok: false, code: 'stun-no-second-address', detail: `${formatAddress(address)} reports no second address`};
		}

		if (normalizeIp(other.address) === normalizeIp(address.address) || other.family !== address.family) {
			return {
				ok: false,
				code: 'stun-no-second-address',
				detail: `${formatAddress(address)} gives ${formatAddress(other)} as its second address: the same IP, so it cannot answer from another one`,
			};
		}

		// A server that ignores CHANGE-REQUEST answers from the primary within one round trip. No
		// answer at all is normal here (this ephemeral port is not forwarded), so wait only a few
		// round trips; if this one answer is lost, the sweep's own Test 2 replies reveal it too.
		const change = await socket.request({
			to: address,
			attributes: [{kind: 'change-request', changeIp: true, changePort: true}],
			accept: () => true,
			maxSends: 1,
			waitAfter: () => Math.max(30, 3 * (options.rtt.srttMs ?? 50)),
			signal: options.signal,
		});
		if (change.ok && fromIp(address.address)(change.from)) {
			return {
				ok: false,
				code: 'stun-no-second-address',
				detail:
					change.response.messageClass === 'error'
						? `${formatAddress(address)} refused CHANGE-REQUEST (error ${findAttribute(change.response, 'error-code')?.code ?? '?'})`
						: `${formatAddress(address)} ignored CHANGE-REQUEST and answered from its primary address`,
			};
		}

		const responsePort = await probeResponsePort(socket, address, {
			bindAddress: options.bindAddress,
			rtt: options.rtt,
			signal: options.signal,
			environment,
		});
		return {
			ok: true,
			server: {
				host: spec.host,
				port: spec.port,
				address,
				otherAddress: other,
				software: findAttribute(binding.response, 'software')?.text,
				rttMs: Math.round(binding.rttMs * 100) / 100,
				responsePort,
			},
			localAddress: options.bindAddress ?? (await environment.localAddressToward(address)),
		};
	} finally {
		await socket.close();
	}
};
