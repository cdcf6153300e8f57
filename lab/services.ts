// Lab parts for the services only `fwcheck serve` offers: a SIP user agent that answers
// OPTIONS on the PBX (the port a real PBX holds), a TCP listener standing in for "some other
// service" a forward may point at, and router scenarios with the kernel's SIP helper and TCP
// forwards. The scenarios themselves are options of lab/scenarios.ts (sipHelper, tcpForwards).
import {fileURLToPath} from 'node:url';
import {ADDR} from './addresses.js';
import type {LabNs} from './addresses.js';
import type {Lab, LabProcess} from './lab.js';
import type {RouterScenario} from './scenarios.js';

const BIN = {
	sip: fileURLToPath(new URL('bin/sip-responder.mjs', import.meta.url)),
	accept: fileURLToPath(new URL('bin/tcp-accept.mjs', import.meta.url)),
	send: fileURLToPath(new URL('bin/sip-send.mjs', import.meta.url)),
};

/** A LAN address where nothing answers (an old PBX's): a forward to it gets no answer at all. */
export const GONE_LAN_HOST = '192.168.77.99';

/** TCP ports the services scenario forwards, and where each leads. */
export const TCP_PORTS = {
	/** To the PBX: fwcheck listening there is reached. */
	toPbx: 5001,
	/** To the router's own LAN address, where tcp-accept listens: "reached something else". */
	elsewhere: 5002,
	/** To GONE_LAN_HOST: no answer. */
	gone: 5003,
	/** Not forwarded: the router itself refuses (RST). */
	closed: 5004,
} as const;

/** Masquerade plus UDP+TCP 5060 and the TCP_PORTS forwarded; the SIP helper on or off. */
export function servicesScenario(sipHelper: boolean): RouterScenario {
	return {
		kind: 'forward-part',
		ports: [5060, 5060],
		sipHelper,
		tcpForwards: [
			{port: 5060},
			{port: TCP_PORTS.toPbx},
			{port: TCP_PORTS.elsewhere, to: ADDR.routerLan},
			{port: TCP_PORTS.gone, to: GONE_LAN_HOST},
		],
	};
}

/** Masquerade only, with or without the SIP helper: for the ALG test alone. */
export function sipHelperScenario(sipHelper: boolean): RouterScenario {
	return {kind: 'masquerade', sipHelper};
}

export type SipRequestSeen = {request: string; from: string; transport: 'udp' | 'tcp'};

export type SipResponder = {
	readonly process: LabProcess;
	/** Requests received so far, decoded. */
	requests(): Array<{text: string; from: string; transport: 'udp' | 'tcp'}>;
	stop(): Promise<void>;
};

/** A SIP UA answering every request on UDP+TCP `port` with `status`, its Contact at `contact`. */
export async function startSipResponder(
	lab: Lab,
	options: {ns?: LabNs; address?: string; port?: number; status: 200 | 401; contact: string},
): Promise<SipResponder> {
	const port = options.port ?? 5060;
	const args = [BIN.sip, '--port', String(port), '--address', options.address ?? '0.0.0.0'];
	args.push('--status', String(options.status), '--contact', options.contact);
	const proc = lab.spawn(options.ns ?? 'pbx', `sip:${port}`, process.execPath, args);
	const first = JSON.parse(await proc.waitForLine(line => /"(ready|error)"/.test(line), 5000)) as {error?: string};
	if (first.error) {
		await proc.stop();
		throw new Error(`sip-responder on ${port}: ${first.error}`);
	}
	return {
		process: proc,
		requests: () =>
			proc.lines
				.filter(line => line.includes('"request"'))
				.map(line => JSON.parse(line) as SipRequestSeen)
				.map(seen => ({
					text: Buffer.from(seen.request, 'base64').toString('latin1'),
					from: seen.from,
					transport: seen.transport,
				})),
		async stop() {
			await proc.stop();
		},
	};
}

export type TcpAcceptor = {
	readonly process: LabProcess;
	/** Connections so far: port, source and the first line received. */
	accepted(): Array<{accepted: number; from: string; line: string}>;
	stop(): Promise<void>;
};

/** Listens on TCP `ports` in `ns` (default the router, at its LAN address). */
export async function startTcpAccept(
	lab: Lab,
	ports: readonly number[],
	options: {ns?: LabNs; address?: string} = {},
): Promise<TcpAcceptor> {
	const args = [BIN.accept, '--ports', ports.join(','), '--address', options.address ?? ADDR.routerLan];
	const proc = lab.spawn(options.ns ?? 'rtr', `accept:${ports.join(',')}`, process.execPath, args);
	const first = JSON.parse(await proc.waitForLine(line => /"(ready|error)"/.test(line), 5000)) as {error?: string};
	if (first.error) {
		await proc.stop();
		throw new Error(`tcp-accept on ${ports.join(',')}: ${first.error}`);
	}
	return {
		process: proc,
		accepted: () =>
			proc.lines
				.map(line => JSON.parse(line) as {accepted?: unknown; from?: string; line?: string})
				.filter((entry): entry is {accepted: number; from: string; line: string} => typeof entry.from === 'string'),
		async stop() {
			await proc.stop();
		},
	};
}

/**
 * One SIP request with SDP from the PBX, Via/Contact/SDP at its LAN address and the sending port,
 * to `to`:5060. Returns the bytes sent and the status line of the answer (null: none).
 */
export async function sendSip(
	lab: Lab,
	options: {transport: 'udp' | 'tcp'; method: 'OPTIONS' | 'INVITE'; to: string; port: number; media: number},
): Promise<{sent: string; reply: string | null}> {
	const args = [BIN.send, '--transport', options.transport, '--method', options.method, '--to', options.to];
	args.push('--lan', ADDR.pbx, '--port', String(options.port), '--media', String(options.media));
	const r = await lab.exec('pbx', process.execPath, args, {timeoutMs: 5000});
	const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as {sent: string; reply: string | null};
	return {sent: Buffer.from(out.sent, 'base64').toString('latin1'), reply: out.reply};
}
