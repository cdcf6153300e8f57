// Builds the lab network (see the picture at the top of lab.ts). Each veth is created with both
// ends already in their namespaces, so nothing is ever added to the root namespace.
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {ADDR, HOSTS_FILE, IF, NS, RESOLV_CONF, SERVER_ADDRS} from './addresses.js';
import {nsRun, run} from './netns.js';

const ETC_PBX = `/etc/netns/${NS.pbx}`;

export function topologyCommands(): string[][] {
	const ip = (...args: string[]): string[] => args;
	const cmds: string[][] = [];
	for (const ns of Object.values(NS)) cmds.push(ip('netns', 'add', ns), ip('-n', ns, 'link', 'set', 'lo', 'up'));
	cmds.push(
		ip('link', 'add', IF.lan, 'netns', NS.pbx, 'type', 'veth', 'peer', 'name', IF.lan, 'netns', NS.rtr),
		ip('-n', NS.inet, 'link', 'add', IF.bridge, 'type', 'bridge'),
		ip('link', 'add', IF.wan, 'netns', NS.rtr, 'type', 'veth', 'peer', 'name', 'p-rtr', 'netns', NS.inet),
		ip('link', 'add', IF.host, 'netns', NS.srv, 'type', 'veth', 'peer', 'name', 'p-srv', 'netns', NS.inet),
		ip('link', 'add', IF.host, 'netns', NS.atk, 'type', 'veth', 'peer', 'name', 'p-atk', 'netns', NS.inet),
	);
	for (const port of ['p-rtr', 'p-srv', 'p-atk']) cmds.push(ip('-n', NS.inet, 'link', 'set', port, 'master', IF.bridge, 'up'));
	cmds.push(ip('-n', NS.inet, 'link', 'set', IF.bridge, 'up'));
	const addr = (ns: string, dev: string, cidr: string): string[] => ip('-n', ns, 'addr', 'add', cidr, 'dev', dev);
	cmds.push(
		addr(NS.pbx, IF.lan, `${ADDR.pbx}/${ADDR.lanPrefix}`),
		ip('-n', NS.pbx, 'link', 'set', IF.lan, 'up'),
		ip('-n', NS.pbx, 'route', 'add', 'default', 'via', ADDR.routerLan),
		addr(NS.rtr, IF.lan, `${ADDR.routerLan}/${ADDR.lanPrefix}`),
		addr(NS.rtr, IF.wan, `${ADDR.publicIp}/${ADDR.wanPrefix}`),
		ip('-n', NS.rtr, 'link', 'set', IF.lan, 'up'),
		ip('-n', NS.rtr, 'link', 'set', IF.wan, 'up'),
		...SERVER_ADDRS.map(a => addr(NS.srv, IF.host, `${a}/${ADDR.wanPrefix}`)),
		ip('-n', NS.srv, 'link', 'set', IF.host, 'up'),
		addr(NS.atk, IF.host, `${ADDR.attacker}/${ADDR.wanPrefix}`),
		ip('-n', NS.atk, 'link', 'set', IF.host, 'up'),
	);
	return cmds;
}

export async function buildTopology(): Promise<void> {
	for (const cmd of topologyCommands()) await run('ip', cmd);
	// IPv6 off: keeps the bridge quiet (no DAD/RS chatter) and every path IPv4 like the tests.
	const noV6 = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
	await Promise.all(Object.values(NS).map(ns => nsRun(ns, 'sysctl', ['-qw', ...noV6])));
	await nsRun(NS.rtr, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
	// `ip netns exec fwl-pbx` bind-mounts these over /etc/hosts and /etc/resolv.conf.
	mkdirSync(ETC_PBX, {recursive: true});
	writeFileSync(path.join(ETC_PBX, 'hosts'), HOSTS_FILE);
	writeFileSync(path.join(ETC_PBX, 'resolv.conf'), RESOLV_CONF);
}
