// Which box is the default gateway. Linux reads /proc/net/route; Windows parses `route print -4`;
// macOS and the BSDs `route -n get default`. The parsers are pure; the host comes injected.
import {isIPv4} from 'node:net';
import {type RouterEnvironment, realRouterEnvironment} from './router-environment.js';

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

/** Enough for a route table: the command either answers at once or not at all. */
const ROUTE_COMMAND_TIMEOUT_MS = 3000;

const routeCommands: Partial<Record<NodeJS.Platform, [args: string[], parse: (text: string) => string | undefined]>> = {
	win32: [['print', '-4'], parseRoutePrint],
	darwin: [['-n', 'get', 'default'], parseRouteGet],
	freebsd: [['-n', 'get', 'default'], parseRouteGet],
	openbsd: [['-n', 'get', 'default'], parseRouteGet],
};

/** The default gateway on this platform, or undefined when there is none or it cannot be read. */
export async function findGateway(
	host: Pick<RouterEnvironment, 'platform' | 'readRouteTable' | 'run'> = realRouterEnvironment,
): Promise<string | undefined> {
	try {
		if (host.platform === 'linux') return parseProcNetRoute(await host.readRouteTable());
		const command = routeCommands[host.platform];
		if (!command) return undefined;
		const [args, parse] = command;
		const result = await host.run('route', args, {timeoutMs: ROUTE_COMMAND_TIMEOUT_MS, stopWhen: () => false});
		return result.failed || result.notFound ? undefined : parse(result.stdout);
	} catch {
		// no route table to read: the gateway stays unknown
		return undefined;
	}
}
