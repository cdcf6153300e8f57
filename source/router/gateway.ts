// Which box is the default gateway, and which local address faces it. Linux reads
// /proc/net/route; Windows parses `route print -4`; macOS and the BSDs `route -n get default`.
import dgram from 'node:dgram';
import {readFile} from 'node:fs/promises';
import {isIPv4} from 'node:net';
import {loadExeca} from '../system/load-execa.js';

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

/** /proc/net/route stores IPv4 addresses as little-endian hex. */
const hexToIp = (hex: string): string | undefined => {
	if (!/^[0-9a-f]{8}$/i.test(hex)) return undefined;
	const n = Number.parseInt(hex, 16);
	return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
};

/** The default route's gateway with the lowest metric, from /proc/net/route. */
export function parseProcNetRoute(text: string): string | undefined {
	let best: {gateway: string; metric: number} | undefined;
	for (const line of text.split('\n').slice(1)) {
		const [, destination, gatewayHex, flagsHex, , , metricText, mask] = line.trim().split(/\s+/);
		const flags = Number.parseInt(flagsHex ?? '', 16);
		const gateway = hexToIp(gatewayHex ?? '');
		const metric = Number(metricText);
		if (destination !== '00000000' || mask !== '00000000' || !gateway || gateway === '0.0.0.0') continue;
		if ((flags & RTF_UP) === 0 || (flags & RTF_GATEWAY) === 0 || !Number.isFinite(metric)) continue;
		if (!best || metric < best.metric) best = {gateway, metric};
	}

	return best?.gateway;
}

/** The default route's gateway with the lowest metric, from Windows' `route print -4`. */
export function parseRoutePrint(text: string): string | undefined {
	let best: {gateway: string; metric: number} | undefined;
	for (const line of text.split(/\r?\n/)) {
		const [destination, mask, gateway, , metricText] = line.trim().split(/\s+/);
		const metric = Number(metricText);
		if (destination !== '0.0.0.0' || mask !== '0.0.0.0' || !gateway || !isIPv4(gateway) || !Number.isFinite(metric)) continue;
		if (!best || metric < best.metric) best = {gateway, metric};
	}

	return best?.gateway;
}

/** "    gateway: 192.168.1.1" from `route -n get default` (macOS, BSD). */
export function parseRouteGet(text: string): string | undefined {
	const gateway = /^\s*gateway:\s*(\S+)\s*$/m.exec(text)?.[1];
	return gateway && isIPv4(gateway) ? gateway : undefined;
}

export interface GatewayOptions {
	platform?: NodeJS.Platform;
	readRouteTable?: () => Promise<string>;
	/** Runs the platform's route command (Windows, macOS, BSD); injected in tests. */
	runRoutePrint?: () => Promise<string>;
}

export async function findGateway(options: GatewayOptions = {}): Promise<string | undefined> {
	const platform = options.platform ?? process.platform;
	try {
		if (platform === 'linux')
			return parseProcNetRoute(await (options.readRouteTable ?? (() => readFile('/proc/net/route', 'utf8')))());
		if (platform === 'win32') {
			const run =
				options.runRoutePrint ??
				(async () => (await (await loadExeca()).execa('route', ['print', '-4'], {timeout: 3000})).stdout);
			return parseRoutePrint(await run());
		}

		if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') {
			const run =
				options.runRoutePrint ??
				(async () => (await (await loadExeca()).execa('route', ['-n', 'get', 'default'], {timeout: 3000})).stdout);
			return parseRouteGet(await run());
		}
	} catch {
		// no route table to read: the gateway stays unknown
	}

	return undefined;
}

/**
 * The local address the kernel would use towards `ip`. connect() on a UDP socket only picks a
 * route and a source address: nothing is sent.
 */
export async function localAddressToward(ip: string): Promise<string | undefined> {
	const socket = dgram.createSocket('udp4');
	return new Promise(resolve => {
		socket.on('error', () => {
			socket.close();
			resolve(undefined);
		});
		socket.connect(9, ip, () => {
			const {address} = socket.address();
			socket.close();
			resolve(address);
		});
	});
}
