// The router's own view, read-only: NAT-PMP's public address, PCP ANNOUNCE, and UPnP IGD's external
// address and mapping list, asked in parallel with short bounds. Only --router-probe-map (probeMap)
// makes a change: one PCP MAP with a short lifetime, deleted at once.
import {english} from '../catalog/index.js';
import {randomBytes} from 'node:crypto';
import {isIPv4} from 'node:net';
import {findGateway} from './gateway.js';
import {fetchDescription, findWanService, listMappings, soapCall} from './igd.js';
import {decodeExternalAddressReply, encodeExternalAddressRequest, NAT_PMP_PORT, natPmpResultText} from './nat-pmp.js';
import {decodePcpResponse, encodeAnnounce, encodeMap, PCP_OPCODE, pcpResultText} from './pcp.js';
import {type RouterEnvironment, realRouterEnvironment} from './router-environment.js';
import {discoverIgd} from './ssdp.js';
import type {RouterMapping, RouterProtocol, RouterView} from './types.js';
import {routerUdpExchange} from './router-udp-exchange.js';

export interface RouterViewOptions {
	/** Default: the default route's gateway. */
	gateway?: string;
	/** This host's address towards the gateway (PCP carries it). Default: asked of the kernel. */
	localAddress?: string;
	/** NAT-PMP and PCP port (tests use a fake router on another port). */
	pmpPort?: number;
	/** SSDP destinations (tests); default the multicast group and the gateway. */
	ssdpTargets?: Array<{address: string; port: number}>;
	/** Bound for each UDP exchange and for SSDP discovery. */
	timeoutMs?: number;
	/** Bound for the UPnP mapping list, all entries together. */
	listDeadlineMs?: number;
	maxMappings?: number;
	/** --router-probe-map: one PCP MAP for this UDP port, short lifetime, deleted at once. */
	probeMap?: {internalPort: number; lifetimeSeconds?: number};
	/** Bind sockets here (tests on 127.0.0.x). */
	localBind?: string;
}

/** A router on the LAN answers in milliseconds; one that has not within a second will not. */
const DEFAULT_TIMEOUT_MS = 1000;

const validWan = (ip: string | undefined): ip is string => ip !== undefined && isIPv4(ip) && ip !== '0.0.0.0';

type Part = {answered?: RouterProtocol; wanAddress?: string; notes: string[]; mappings?: RouterMapping[]};

async function askNatPmp(gateway: string, options: RouterViewOptions, environment: RouterEnvironment): Promise<Part> {
	const result = await routerUdpExchange(
		{
			address: gateway,
			port: options.pmpPort ?? NAT_PMP_PORT,
			request: encodeExternalAddressRequest(),
			accept: decodeExternalAddressReply,
			timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			localAddress: options.localBind,
		},
		environment,
	);
	if (!result.ok) return {notes: []};
	const {resultCode, address} = result.reply;
	if (resultCode !== 0) {
		const why = natPmpResultText[resultCode] ?? `result ${resultCode}`;
		return {answered: 'nat-pmp', notes: [english.notes.natPmpNoAddress(why)]};
	}

	return {answered: 'nat-pmp', wanAddress: validWan(address) ? address : undefined, notes: []};
}

type PcpAnswer = {pcp: ReturnType<typeof decodePcpResponse> & object} | {natPmpOnly: true};

/** A PCP response, or a NAT-PMP server's "unsupported version" to our PCP request. */
const acceptPcp =
	(opcode: number) =>
	(packet: Buffer): PcpAnswer | undefined => {
		const pcp = decodePcpResponse(packet);
		if (pcp?.opcode === opcode) return {pcp};
		return packet.length >= 4 && packet[0] === 0 && packet[1]! >= 128 && packet.readUInt16BE(2) === 1
			? {natPmpOnly: true}
			: undefined;
	};

async function askPcp(
	gateway: string,
	localAddress: string,
	options: RouterViewOptions,
	environment: RouterEnvironment,
): Promise<Part> {
	const result = await routerUdpExchange(
		{
			address: gateway,
			port: options.pmpPort ?? NAT_PMP_PORT,
			request: encodeAnnounce(localAddress),
			accept: acceptPcp(PCP_OPCODE.announce),
			timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			localAddress: options.localBind,
		},
		environment,
	);
	if (!result.ok || 'natPmpOnly' in result.reply) return {notes: []};
	return {answered: 'pcp', notes: []};
}

async function askUpnp(gateway: string | undefined, options: RouterViewOptions, environment: RouterEnvironment): Promise<Part> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const {found, notes} = await discoverIgd(
		{gateway, timeoutMs, targets: options.ssdpTargets, localAddress: options.localBind},
		environment,
	);
	if (!found) return {notes};
	const description = await fetchDescription(found.location, timeoutMs, environment);
	if ('error' in description)
		return {notes: [...notes, english.notes.upnpDescriptionUnreadable(found.location.href, description.error)]};
	const service = findWanService(description.xml, found.location);
	if (!service) return {notes: [...notes, english.notes.upnpNoWanService]};
	const external = await soapCall(service, 'GetExternalIPAddress', {}, timeoutMs, environment);
	const part: Part = {answered: 'upnp', notes};
	if (external.kind === 'ok') {
		const address = external.values.NewExternalIPAddress?.trim();
		if (validWan(address)) part.wanAddress = address;
		else notes.push(english.notes.upnpNoExternalAddress);
	} else {
		notes.push(
			`UPnP: GetExternalIPAddress failed (${external.kind === 'fault' ? `error ${external.errorCode ?? '?'}` : external.error})`,
		);
	}

	const list = await listMappings(
		service,
		{
			maxEntries: options.maxMappings ?? 256,
			deadlineMs: options.listDeadlineMs ?? 4000,
			perCallMs: timeoutMs,
		},
		environment,
	);
	part.mappings = list.mappings;
	if (list.stoppedEarly) notes.push(english.notes.upnpListStopped(list.stoppedEarly));
	return part;
}

/** --router-probe-map: MAP with a short lifetime, then the same MAP with lifetime 0 (delete). */
async function probeMap(
	gateway: string,
	localAddress: string,
	options: RouterViewOptions,
	environment: RouterEnvironment,
): Promise<Part> {
	const probe = options.probeMap!;
	const nonce = randomBytes(12);
	const ask = async (lifetime: number) =>
		routerUdpExchange(
			{
				address: gateway,
				port: options.pmpPort ?? NAT_PMP_PORT,
				request: encodeMap({
					nonce,
					protocol: 17,
					internalPort: probe.internalPort,
					suggestedExternalPort: probe.internalPort,
					lifetime,
					clientAddress: localAddress,
				}),
				accept: (packet: Buffer) => {
					const answer = acceptPcp(PCP_OPCODE.map)(packet);
					return answer && 'pcp' in answer && answer.pcp.map?.nonce.equals(nonce) === false ? undefined : answer;
				},
				timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				localAddress: options.localBind,
			},
			environment,
		);
	const made = await ask(probe.lifetimeSeconds ?? 30);
	if (!made.ok || 'natPmpOnly' in made.reply) return {notes: [english.notes.pcpNoAnswer]};
	const {pcp} = made.reply;
	const notes = [english.notes.pcpResult(pcpResultText[pcp.resultCode] ?? `result ${pcp.resultCode}`)];
	if (pcp.resultCode === 0) {
		const deleted = await ask(0);
		notes.push(deleted.ok ? english.notes.pcpDeleted : english.notes.pcpDeleteUnanswered);
	}

	const address = pcp.map?.externalAddress;
	return {answered: 'pcp', wanAddress: validWan(address) ? address : undefined, notes};
}

export async function readRouterView(
	options: RouterViewOptions = {},
	environment: RouterEnvironment = realRouterEnvironment,
): Promise<RouterView> {
	const gateway = options.gateway ?? (await findGateway(environment));
	if (!gateway) {
		return {
			gateway: undefined,
			wanAddress: undefined,
			wanSource: undefined,
			answered: [],
			mappings: undefined,
			notes: [english.notes.noGateway],
		};
	}

	const localAddress = options.localAddress ?? (await environment.localAddressToward(gateway)) ?? '0.0.0.0';
	const [natPmp, pcp, upnp] = await Promise.all([
		askNatPmp(gateway, options, environment),
		askPcp(gateway, localAddress, options, environment),
		askUpnp(gateway, options, environment),
	]);
	const view: RouterView = {
		gateway,
		wanAddress: undefined,
		wanSource: undefined,
		answered: [],
		mappings: upnp.mappings,
		notes: [],
	};
	for (const part of [natPmp, pcp, upnp]) {
		if (part.answered) view.answered.push(part.answered);
		view.notes.push(...part.notes);
	}

	if (natPmp.wanAddress) Object.assign(view, {wanAddress: natPmp.wanAddress, wanSource: 'nat-pmp'});
	else if (upnp.wanAddress) Object.assign(view, {wanAddress: upnp.wanAddress, wanSource: 'upnp'});
	if (natPmp.wanAddress && upnp.wanAddress && natPmp.wanAddress !== upnp.wanAddress) {
		view.notes.push(english.notes.wanAddressesDiffer(natPmp.wanAddress, upnp.wanAddress));
	}

	if (options.probeMap && view.answered.includes('pcp')) {
		const probed = await probeMap(gateway, localAddress, options, environment);
		view.notes.push(...probed.notes);
		if (!view.wanAddress && probed.wanAddress) Object.assign(view, {wanAddress: probed.wanAddress, wanSource: 'pcp-map'});
	}

	return view;
}
