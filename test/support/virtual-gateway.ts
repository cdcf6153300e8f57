// A home router's own services on the simulated network, for the router-view tests: NAT-PMP and
// PCP on UDP 5351 and SSDP on UDP 1900, answered with router/'s own codecs, and the UPnP IGD
// description and SOAP behind an HTTP requester handed to the router view (the simulated network
// carries no TCP). The XML is miniupnpd's, recorded (test/fixtures/router). Everything asked is logged.
import {readFileSync} from 'node:fs';
import type {HttpResult} from '../../source/router/http-request.js';
import {
	NAT_PMP_PORT,
	encodeExternalAddressReply,
	encodeUnsupportedVersion,
	isExternalAddressRequest,
} from '../../source/router/nat-pmp.js';
import {PCP_OPCODE, decodePcpRequest, encodePcpResponse} from '../../source/router/pcp.js';
import type {HttpRequester} from '../../source/router/router-environment.js';
import {SSDP_PORT} from '../../source/router/ssdp.js';
import type {RouterMapping} from '../../source/router/types.js';
import type {VirtualHost, VirtualSocket} from '../../source/sim/virtual-network.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/router/${name}`, import.meta.url), 'utf8');

/** Where miniupnpd serves its description: the port it picked in the lab recordings. */
export const IGD_HTTP_PORT = 5000;
const PCP_ADDRESS_MISMATCH = 12;

export interface VirtualGatewayOptions {
	/** The router's own outside address, as it reports it: public at the edge, private or shared behind another NAT. */
	wanAddress: string;
	/** Which protocols it speaks; one it does not speak is silent, as a router with it off is. */
	natPmp?: boolean;
	pcp?: boolean;
	upnp?: boolean;
	/** NAT-PMP's result: 3 (network failure) is what miniupnpd says when it has no public address. */
	natPmpResult?: number;
	/** PCP MAP's result: 0 grants, 8 (NO_RESOURCES) refuses, as miniupnpd does behind a second NAT. */
	mapResult?: number;
	/** The UPnP mapping list, in order. */
	mappings?: RouterMapping[];
	/** The mapping-list entry the router never answers (a router that hangs midway). */
	hangAtEntry?: number;
}

type HttpReply = {status: number; body: string} | 'hang';

const escapeXml = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The recorded entry with its values replaced: the bytes miniupnpd sends for `mapping`. */
const entryXml = (mapping: RouterMapping): string => {
	const values: Record<string, string> = {
		NewExternalPort: String(mapping.externalPort),
		NewProtocol: mapping.protocol,
		NewInternalPort: String(mapping.internalPort),
		NewInternalClient: mapping.internalHost,
		NewPortMappingDescription: escapeXml(mapping.description),
	};
	return Object.entries(values).reduce(
		(xml, [name, value]) => xml.replace(new RegExp(`<${name}>[^<]*</${name}>`), `<${name}>${value}</${name}>`),
		fixture('miniupnpd-mapping-entry-0.xml'),
	);
};

export class VirtualGateway {
	readonly pmpRequests: Buffer[] = [];
	readonly ssdpRequests: string[] = [];
	readonly httpRequests: Array<{method: string; path: string; soapAction: string; body: string}> = [];
	readonly options: Required<Omit<VirtualGatewayOptions, 'hangAtEntry'>> & Pick<VirtualGatewayOptions, 'hangAtEntry'>;
	readonly location: string;
	readonly #host: VirtualHost;

	private constructor(host: VirtualHost, options: VirtualGatewayOptions) {
		this.#host = host;
		this.options = {natPmp: true, pcp: true, upnp: true, natPmpResult: 0, mapResult: 0, mappings: [], ...options};
		this.location = `http://${this.address}:${IGD_HTTP_PORT}/rootDesc.xml`;
	}

	get address(): string {
		return this.#host.ips[0]!;
	}

	/** Listens on 5351 and 1900 of `host` (a LAN host of the simulated router) and answers what its options say. */
	static async start(host: VirtualHost, options: VirtualGatewayOptions): Promise<VirtualGateway> {
		const gateway = new VirtualGateway(host, options);
		const pmp = await gateway.#bind(NAT_PMP_PORT);
		pmp.onMessage((packet, from) => {
			gateway.pmpRequests.push(packet);
			const reply = gateway.#answerPmp(packet, from.address);
			if (reply) pmp.send(reply, from, () => undefined);
		});
		const ssdp = await gateway.#bind(SSDP_PORT);
		ssdp.onMessage((packet, from) => {
			const text = packet.toString('latin1');
			gateway.ssdpRequests.push(text);
			if (gateway.options.upnp && text.startsWith('M-SEARCH') && text.includes('InternetGatewayDevice')) {
				const reply = fixture('miniupnpd-ssdp-reply.txt').replace('http://192.168.77.1:5000/rootDesc.xml', gateway.location);
				ssdp.send(Buffer.from(reply, 'latin1'), from, () => undefined);
			}
		});
		return gateway;
	}

	/**
	 * HTTP to this gateway, as the router view's injected requester: an answer after two LAN round
	 * trips on the virtual clock, the real requester's bounds (plain http, size, deadline), and no
	 * answer from any other host.
	 */
	readonly http: HttpRequester = async options => {
		const {clock, lanLatencyMs} = this.#host.network;
		if (options.url.protocol !== 'http:') return {ok: false, error: `not plain http: ${options.url.protocol}`};
		const here = options.url.hostname === this.address && Number(options.url.port || 80) === IGD_HTTP_PORT;
		const soapAction = options.headers?.SOAPAction ?? '';
		const body = options.body ?? '';
		if (here) this.httpRequests.push({method: options.method ?? 'GET', path: options.url.pathname, soapAction, body});
		const reply: HttpReply = here && this.options.upnp ? this.#answerHttp(options.url.pathname, soapAction, body) : 'hang';
		// Connect, then request and answer: two LAN round trips.
		const roundTrips = 4 * lanLatencyMs;
		const late = reply === 'hang' || roundTrips > options.timeoutMs;
		const result: HttpResult = late
			? {ok: false, error: `no reply within ${options.timeoutMs} ms`}
			: Buffer.byteLength(reply.body) > options.maxBytes
				? {ok: false, error: `reply larger than ${options.maxBytes} bytes`}
				: {ok: true, status: reply.status, body: reply.body};
		return new Promise(resolve => {
			clock.setTimeout(() => resolve(result), late ? options.timeoutMs : roundTrips);
		});
	};

	async #bind(port: number): Promise<VirtualSocket> {
		const bound = await this.#host.bind({port, address: this.address, family: 4});
		if (!bound.ok) throw new Error(bound.detail);
		return bound.socket as VirtualSocket;
	}

	/** Seconds since the router started, as NAT-PMP and PCP carry it. */
	#epoch(): number {
		return Math.floor(this.#host.network.clock.now() / 1000);
	}

	#answerPmp(packet: Buffer, from: string): Buffer | undefined {
		const {natPmp, pcp, natPmpResult, mapResult, wanAddress} = this.options;
		if (packet[0] === 0) {
			if (!natPmp || !isExternalAddressRequest(packet)) return undefined;
			const address = natPmpResult === 0 ? wanAddress : '0.0.0.0';
			return encodeExternalAddressReply({resultCode: natPmpResult, epoch: this.#epoch(), address});
		}

		// RFC 6887 §9: a NAT-PMP-only router answers any other version with "unsupported version".
		if (!pcp) return natPmp ? encodeUnsupportedVersion(this.#epoch()) : undefined;
		const request = decodePcpRequest(packet);
		if (!request) return undefined;
		const mismatch = request.clientAddress !== from;
		if (request.opcode === PCP_OPCODE.announce) {
			return encodePcpResponse({
				opcode: request.opcode,
				resultCode: mismatch ? PCP_ADDRESS_MISMATCH : 0,
				lifetime: 0,
				epoch: this.#epoch(),
			});
		}

		if (request.opcode !== PCP_OPCODE.map || !request.map) return undefined;
		const resultCode = mismatch ? PCP_ADDRESS_MISMATCH : mapResult;
		const granted = resultCode === 0;
		return encodePcpResponse({
			opcode: request.opcode,
			resultCode,
			lifetime: granted ? request.lifetime : 0,
			epoch: this.#epoch(),
			map: {
				nonce: request.map.nonce,
				protocol: request.map.protocol,
				internalPort: request.map.internalPort,
				externalPort: granted ? request.map.suggestedExternalPort : 0,
				// miniupnpd names its WAN address even when it refuses (recorded behind a second NAT).
				externalAddress: wanAddress,
			},
		});
	}

	#answerHttp(path: string, soapAction: string, body: string): HttpReply {
		if (path === '/rootDesc.xml') return {status: 200, body: fixture('miniupnpd-rootDesc.xml')};
		if (path !== '/ctl/IPConn') return {status: 404, body: ''};
		if (soapAction.endsWith('#GetExternalIPAddress"')) {
			return {status: 200, body: fixture('miniupnpd-get-external-ip.xml').replace('11.22.33.44', this.options.wanAddress)};
		}

		if (soapAction.endsWith('#GetGenericPortMappingEntry"')) {
			const index = Number(/<NewPortMappingIndex>(\d+)</.exec(body)?.[1]);
			if (index === this.options.hangAtEntry) return 'hang';
			const mapping = this.options.mappings[index];
			return mapping ? {status: 200, body: entryXml(mapping)} : {status: 500, body: fixture('miniupnpd-mapping-fault-713.xml')};
		}

		return {status: 500, body: ''};
	}
}
