import {type Endpoint, type EndpointLayout, planLayout} from '../server/endpoints.js';
import {respond} from '../server/respond.js';
import {AttributeType, decodeMessage, encodeMessage, findAttribute} from '../stun/index.js';
import type {Clock} from '../net/clock.js';
import {type OfferedServices, encodeServices} from '../wire/index.js';
import type {VirtualHost, VirtualNetwork, VirtualSocket} from './virtual-network.js';

export type ServerBehaviour =
	/** RFC 5780: answers CHANGE-REQUEST from the other IP and port. */
	| 'honours-change'
	/** Answers every request from the address it arrived on, whatever CHANGE-REQUEST says. */
	| 'ignores-change'
	/** Never answers: its address exists, nothing listens. */
	| 'down';

export interface VirtualStunServerOptions {
	name: string;
	primary: string;
	/** No alternate: a one-address server (no OTHER-ADDRESS, CHANGE-REQUEST gets 420). */
	alternate?: string;
	port?: number;
	altPort?: number;
	behaviour?: ServerBehaviour;
	/** Honour CHANGE-REQUEST this many times, then ignore it: a server that changes its mind mid-run. */
	honourChangeFor?: number;
	/** What it does with RESPONSE-PORT (default: honours it, as fwcheck serve and coturn do). */
	responsePort?: ResponsePortBehaviour;
}

export type ResponsePortBehaviour =
	| 'honours'
	/** Never answers a request that carries it (stund, measured). */
	| 'drops'
	/** Answers at the request's source port, as if it were not there. */
	| 'ignores'
	/** Answers 420 Unknown Attribute, as a plain RFC 5389 server must. */
	| 'refuses';

/**
 * fwcheck's own server logic (source/server/respond.ts) on virtual sockets: the replies are the
 * real server's bytes; only which socket they leave from can be made to misbehave.
 */
export class VirtualStunServer {
	readonly host: VirtualHost;
	/** Requests received, and CHANGE-REQUESTs among them. */
	requests = 0;
	changeRequests = 0;
	/** The FWCHECK-SERVICES answer to discovery; none until services are offered. */
	#services: Buffer | undefined;
	readonly #sockets = new Map<Endpoint, VirtualSocket>();

	private constructor(
		host: VirtualHost,
		readonly options: VirtualStunServerOptions,
	) {
		this.host = host;
	}

	static async start(network: VirtualNetwork<Clock>, options: VirtualStunServerOptions): Promise<VirtualStunServer> {
		const ips = options.alternate ? [options.primary, options.alternate] : [options.primary];
		const server = new VirtualStunServer(network.addHost(options.name, ips), options);
		network.names.set(options.name, options.primary);
		if (options.behaviour !== 'down') {
			await server.#listen();
		}

		return server;
	}

	/** Answer discovery with `offer` from now on, as `fwcheck serve` does with its services running. */
	offerServices(offer: OfferedServices): void {
		this.#services = Buffer.from(encodeServices(offer), 'utf8');
	}

	async #listen(): Promise<void> {
		const {primary, alternate, port = 3478, altPort = 3479} = this.options;
		const layout: EndpointLayout = planLayout({family: 4, primary, alternate, port, altPort});
		const settings = {layout, software: 'virtual'};
		for (const endpoint of layout.endpoints) {
			const bound = await this.host.bind({port: endpoint.port, address: endpoint.address, family: 4});
			if (!bound.ok) {
				throw new Error(bound.detail);
			}

			const socket = bound.socket as VirtualSocket;
			this.#sockets.set(endpoint, socket);
			socket.onMessage((data, source) => {
				const ruled = this.#withResponsePortRule(data);
				if (!ruled) {
					return;
				}

				if ('refuse' in ruled) {
					this.requests++;
					socket.send(ruled.refuse, source, () => undefined);
					return;
				}

				const decision = respond({data: ruled.data, source, receivedOn: endpoint}, {...settings, services: this.#services});
				if (decision.action === 'drop') {
					return;
				}

				this.requests++;
				let from = decision.from;
				if (decision.change !== 'none') {
					this.changeRequests++;
					if (!this.#honoursChange()) {
						from = endpoint;
					}
				}

				this.#sockets.get(from)?.send(decision.datagram, decision.to, () => undefined);
			});
		}
	}

	/**
	 * The request as this server treats it: unchanged when it honours RESPONSE-PORT (or none is
	 * there); otherwise undefined when it stays silent, an error reply, or the request without it.
	 */
	#withResponsePortRule(data: Buffer): {data: Buffer} | {refuse: Buffer} | undefined {
		const behaviour = this.options.responsePort ?? 'honours';
		const decoded = behaviour === 'honours' ? undefined : decodeMessage(data);
		if (!decoded?.ok || !decoded.message.attributes.some(attribute => attribute.type === AttributeType.responsePort)) {
			return {data};
		}

		const request = decoded.message;
		switch (behaviour) {
			case 'drops': {
				return undefined;
			}

			case 'refuses': {
				const refuse = encodeMessage({
					method: request.method,
					messageClass: 'error',
					transactionId: request.transactionId,
					attributes: [
						{kind: 'error-code', code: 420, reason: 'Unknown Attribute'},
						{kind: 'unknown-attributes', types: [AttributeType.responsePort]},
					],
				});
				return {refuse};
			}

			default: {
				const change = findAttribute(request, 'change-request');
				const stripped = encodeMessage({
					method: request.method,
					messageClass: 'request',
					transactionId: request.transactionId,
					attributes: change ? [{kind: 'change-request', changeIp: change.changeIp, changePort: change.changePort}] : [],
				});
				return {data: stripped};
			}
		}
	}

	#honoursChange(): boolean {
		const {behaviour = 'honours-change', honourChangeFor} = this.options;
		return behaviour === 'honours-change' && (honourChangeFor === undefined || this.changeRequests <= honourChangeFor);
	}
}
