// Which ports the TUI bench checks and where its server listens: free ones on this machine.
import dgram from 'node:dgram';
import {readFileSync} from 'node:fs';
import {DEFAULT_FROM, PORT_COUNT} from './config.js';
import type {PortRange} from './config.js';

/** UDP ports bound on this machine (this network namespace), IPv4 and IPv6. */
function boundUdpPorts(): Set<number> {
	const ports = new Set<number>();
	for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
		let text = '';
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const row of text.split('\n').slice(1)) {
			const local = row.trim().split(/\s+/)[1];
			const hex = local?.split(':').at(-1);
			if (hex) ports.add(Number.parseInt(hex, 16));
		}
	}
	return ports;
}

/** 9000-10999 when free, else the first free 2000-port block below the ephemeral range. */
export function chooseRange(): PortRange & {note: string} {
	const busy = boundUdpPorts();
	const busyIn = (from: number): number[] => [...busy].filter(p => p >= from && p < from + PORT_COUNT).sort((a, b) => a - b);
	const taken = busyIn(DEFAULT_FROM);
	if (taken.length === 0)
		return {from: DEFAULT_FROM, to: DEFAULT_FROM + PORT_COUNT - 1, note: 'the default range, free on this machine'};
	for (let from = DEFAULT_FROM + PORT_COUNT; from + PORT_COUNT <= 32_768; from += PORT_COUNT) {
		if (busyIn(from).length === 0) {
			return {
				from,
				to: from + PORT_COUNT - 1,
				note: `9000-10999 has busy ports on this machine (${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ', …' : ''}), so another free block`,
			};
		}
	}
	throw new Error('no free block of 2000 UDP ports below 32768');
}

function canBind(address: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', () => {
			socket.close();
			resolve(false);
		});
		socket.bind(port, address, () => socket.close(() => resolve(true)));
	});
}

/** A primary port P with P and P+1 free on both loopback addresses, outside the checked range. */
export async function freeServerPort(avoid: PortRange): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = 40_000 + Math.floor(Math.random() * 20_000);
		if (port + 1 >= avoid.from && port <= avoid.to) continue;
		const checks = await Promise.all(
			['127.0.0.1', '127.0.0.2'].flatMap(address => [canBind(address, port), canBind(address, port + 1)]),
		);
		if (checks.every(Boolean)) return port;
	}
	throw new Error('no free UDP port pair for the server on 127.0.0.1/127.0.0.2');
}
