// SSDP discovery of an Internet Gateway Device on the LAN (UPnP Device Architecture 1.1 §1.3):
// one M-SEARCH to the multicast group and one straight to the gateway, replies collected for a
// bounded time. Only a reply whose LOCATION names the host that sent it is followed.
import type {RouterEnvironment} from './router-environment.js';

export const SSDP_GROUP = '239.255.255.250';
export const SSDP_PORT = 1900;
export const IGD_SEARCH_TARGETS = [
	'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
	'urn:schemas-upnp-org:device:InternetGatewayDevice:2',
] as const;
const MAX_REPLY_BYTES = 2048;

export const buildMSearch = (searchTarget: string, mx = 1): Buffer =>
	Buffer.from(
		[
			'M-SEARCH * HTTP/1.1',
			`HOST: ${SSDP_GROUP}:${SSDP_PORT}`,
			'MAN: "ssdp:discover"',
			`MX: ${mx}`,
			`ST: ${searchTarget}`,
			'',
			'',
		].join('\r\n'),
	);

/** Header names lower-cased; undefined unless it is an "HTTP/1.x 200" reply of sane size. */
export function parseSsdpReply(packet: Buffer): Map<string, string> | undefined {
	if (packet.length > MAX_REPLY_BYTES) return undefined;
	const lines = packet.toString('latin1').split(/\r?\n/);
	if (!/^HTTP\/1\.[01] 200\b/i.test(lines[0] ?? '')) return undefined;
	const headers = new Map<string, string>();
	for (const line of lines.slice(1)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}

	return headers;
}

export interface SsdpFound {
	from: string;
	location: URL;
	server: string | undefined;
}

export interface SsdpOptions {
	gateway: string | undefined;
	timeoutMs: number;
	/** Tests point discovery at a fake device; default the SSDP group plus the gateway. */
	targets?: Array<{address: string; port: number}>;
	localAddress?: string;
}

/** The first usable IGD reply, preferring the gateway's; notes explain replies that were ignored. */
export async function discoverIgd(
	options: SsdpOptions,
	{udp, clock}: Pick<RouterEnvironment, 'udp' | 'clock'>,
): Promise<{found: SsdpFound | undefined; notes: string[]}> {
	const targets = options.targets ?? [
		{address: SSDP_GROUP, port: SSDP_PORT},
		...(options.gateway ? [{address: options.gateway, port: SSDP_PORT}] : []),
	];
	const bound = await udp({port: 0, family: 4, ...(options.localAddress ? {address: options.localAddress} : {})});
	if (!bound.ok) return {found: undefined, notes: [`SSDP: ${bound.detail}`]};
	const {socket} = bound;
	const notes: string[] = [];
	const found: SsdpFound[] = [];
	return new Promise(resolve => {
		let done = false;
		const finish = (): void => {
			if (done) return;
			done = true;
			clock.clearTimeout(timer);
			void socket.close();
			const preferred = found.find(item => item.from === options.gateway) ?? found[0];
			resolve({found: preferred, notes});
		};

		const timer = clock.setTimeout(finish, options.timeoutMs);
		socket.onMessage((packet, from) => {
			const headers = parseSsdpReply(packet);
			const raw = headers?.get('location');
			if (!headers || !raw) return;
			let location: URL;
			try {
				location = new URL(raw);
			} catch {
				return;
			}

			if (location.protocol !== 'http:' || location.hostname !== from.address) {
				if (notes.length < 4) notes.push(`SSDP: ignored ${from.address}'s reply pointing at another host (${location.host})`);
				return;
			}

			if (!found.some(item => item.from === from.address))
				found.push({from: from.address, location, server: headers.get('server')});
			if (from.address === options.gateway || options.gateway === undefined) finish();
		});
		for (const target of targets) {
			for (const searchTarget of IGD_SEARCH_TARGETS) {
				socket.send(buildMSearch(searchTarget), {family: 4, ...target}, error => {
					if (notes.length < 4) notes.push(`SSDP to ${target.address}: ${error.message}`);
				});
			}
		}
	});
}
