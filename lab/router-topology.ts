// The router lab's network, pure: names, addresses, the `ip` commands that build each topology, the
// nftables ruleset and miniupnpd's config. lab/router-lab.ts runs them. 11.22.33.0/24 plays the
// internet here (miniupnpd refuses documentation ranges as a WAN address); it exists only inside
// these namespaces, which have no route out.
//
//   edge        pbx 192.168.77.10 ── rtr 192.168.77.1 | wan0 11.22.33.44 ─┐
//   double-nat  pbx ── rtr | wan0 192.168.1.2 ── out (modem) 192.168.1.1 | 11.22.33.44 ─┤ inet br0 ── srv 11.22.33.10,.11 (coturn)
//   cgnat       pbx ── rtr | wan0 100.64.0.2  ── out (carrier NAT) 100.64.0.1 | 11.22.33.44 ─┘
import {PREFIX} from './addresses.js';

export type RouterTopology = 'edge' | 'double-nat' | 'cgnat';

/** Separate names from the main lab's (same prefix, same lock: the two never run at once). */
export const RNS = {
	pbx: `${PREFIX}u-pbx`,
	rtr: `${PREFIX}u-rtr`,
	out: `${PREFIX}u-out`,
	inet: `${PREFIX}u-inet`,
	srv: `${PREFIX}u-srv`,
} as const;

export type RouterLabNs = keyof typeof RNS;

export const RADDR = {
	pbx: '192.168.77.10',
	/** Another LAN host (an old PBX, a phone): mappings may point at it; nothing runs there. */
	otherLanHost: '192.168.77.50',
	routerLan: '192.168.77.1',
	/** The public address as the internet sees it, whichever box holds it. */
	publicIp: '11.22.33.44',
	coturn: ['11.22.33.10', '11.22.33.11'],
	modemLan: '192.168.1.1',
	routerWanBehindModem: '192.168.1.2',
	carrierNat: '100.64.0.1',
	routerWanBehindCarrier: '100.64.0.2',
} as const;

/** The router's WAN address and, behind a second NAT, the outer box's inner address. */
export function wanOf(topology: RouterTopology): {routerWan: string; outerInner?: string} {
	if (topology === 'double-nat') return {routerWan: RADDR.routerWanBehindModem, outerInner: RADDR.modemLan};
	if (topology === 'cgnat') return {routerWan: RADDR.routerWanBehindCarrier, outerInner: RADDR.carrierNat};
	return {routerWan: RADDR.publicIp};
}

export function namespacesOf(topology: RouterTopology): string[] {
	return topology === 'edge' ? [RNS.pbx, RNS.rtr, RNS.inet, RNS.srv] : Object.values(RNS);
}

/** `ip` argument lists; every veth is created with both ends already in their namespaces. */
export function routerTopologyCommands(topology: RouterTopology): string[][] {
	const {routerWan, outerInner} = wanOf(topology);
	const edgeBox = topology === 'edge' ? RNS.rtr : RNS.out;
	const cmds: string[][] = [];
	for (const ns of namespacesOf(topology)) cmds.push(['netns', 'add', ns], ['-n', ns, 'link', 'set', 'lo', 'up']);
	const up = (ns: string, dev: string): string[] => ['-n', ns, 'link', 'set', dev, 'up'];
	const addr = (ns: string, dev: string, cidr: string): string[] => ['-n', ns, 'addr', 'add', cidr, 'dev', dev];
	cmds.push(
		['link', 'add', 'lan0', 'netns', RNS.pbx, 'type', 'veth', 'peer', 'name', 'lan0', 'netns', RNS.rtr],
		['-n', RNS.inet, 'link', 'add', 'br0', 'type', 'bridge'],
		['link', 'add', 'wan0', 'netns', edgeBox, 'type', 'veth', 'peer', 'name', 'p-edge', 'netns', RNS.inet],
		['link', 'add', 'eth0', 'netns', RNS.srv, 'type', 'veth', 'peer', 'name', 'p-srv', 'netns', RNS.inet],
		['-n', RNS.inet, 'link', 'set', 'p-edge', 'master', 'br0', 'up'],
		['-n', RNS.inet, 'link', 'set', 'p-srv', 'master', 'br0', 'up'],
		up(RNS.inet, 'br0'),
		addr(RNS.pbx, 'lan0', `${RADDR.pbx}/24`),
		up(RNS.pbx, 'lan0'),
		['-n', RNS.pbx, 'route', 'add', 'default', 'via', RADDR.routerLan],
		addr(RNS.rtr, 'lan0', `${RADDR.routerLan}/24`),
		up(RNS.rtr, 'lan0'),
		addr(edgeBox, 'wan0', `${RADDR.publicIp}/24`),
		up(edgeBox, 'wan0'),
		...RADDR.coturn.map(a => addr(RNS.srv, 'eth0', `${a}/24`)),
		up(RNS.srv, 'eth0'),
	);
	if (outerInner) {
		cmds.push(
			['link', 'add', 'wan0', 'netns', RNS.rtr, 'type', 'veth', 'peer', 'name', 'lan1', 'netns', RNS.out],
			addr(RNS.rtr, 'wan0', `${routerWan}/24`),
			up(RNS.rtr, 'wan0'),
			['-n', RNS.rtr, 'route', 'add', 'default', 'via', outerInner],
			addr(RNS.out, 'lan1', `${outerInner}/24`),
			up(RNS.out, 'lan1'),
		);
	}

	return cmds;
}

/** Masquerade out of wan0 and a forward chain that drops unsolicited inbound unless a rule allows it. */
export function natRuleset(withMiniupnpd: boolean, lanDev: string): string {
	const upnp = (line: string): string => (withMiniupnpd ? line : '');
	return [
		'table inet lab_filter {',
		upnp('  chain miniupnpd {\n  }'),
		'  chain forward {',
		'    type filter hook forward priority 0; policy drop;',
		'    ct state established,related accept',
		`    iifname "${lanDev}" oifname "wan0" accept`,
		upnp('    jump miniupnpd'),
		'  }',
		'}',
		'table inet lab_nat {',
		upnp('  chain prerouting_miniupnpd {\n  }\n  chain postrouting_miniupnpd {\n  }'),
		'  chain prerouting {',
		'    type nat hook prerouting priority -100; policy accept;',
		upnp('    jump prerouting_miniupnpd'),
		'  }',
		'  chain postrouting {',
		'    type nat hook postrouting priority 100; policy accept;',
		upnp('    jump postrouting_miniupnpd'),
		'    oifname "wan0" masquerade',
		'  }',
		'}',
		'',
	]
		.filter(line => line !== '')
		.join('\n');
}

/** The chains miniupnpd fills; flushed between runs because it leaves its rules behind. */
export const MINIUPNPD_CHAINS: ReadonlyArray<[string, string]> = [
	['lab_filter', 'miniupnpd'],
	['lab_nat', 'prerouting_miniupnpd'],
	['lab_nat', 'postrouting_miniupnpd'],
];

export const MINIUPNPD_HTTP_PORT = 5000;

/**
 * miniupnpd listens on the LAN side only (lan0, inside the router namespace). secure_mode off so
 * the lab can seed a mapping pointing at another LAN host; every state file lives in runDir.
 */
export function miniupnpdConfig(runDir: string, options: {stun: boolean}): string {
	return [
		'ext_ifname=wan0',
		'listening_ip=lan0',
		`http_port=${MINIUPNPD_HTTP_PORT}`,
		'enable_natpmp=yes',
		'enable_upnp=yes',
		'secure_mode=no',
		'ipv6_disable=yes',
		'system_uptime=yes',
		'uuid=6c0e5b2a-1f0d-4c36-9a57-11223344aabb',
		'upnp_table_name=lab_filter',
		'upnp_nat_table_name=lab_nat',
		'upnp_forward_chain=miniupnpd',
		'upnp_nat_chain=prerouting_miniupnpd',
		'upnp_nat_postrouting_chain=postrouting_miniupnpd',
		`lease_file=${runDir}/miniupnpd.leases`,
		`minissdpdsocket=${runDir}/minissdpd.sock`,
		...(options.stun ? ['ext_perform_stun=yes', `ext_stun_host=${RADDR.coturn[0]}`, 'ext_stun_port=3478'] : []),
		'allow 1024-65535 192.168.77.0/24 1024-65535',
		'deny 0-65535 0.0.0.0/0 0-65535',
		'',
	].join('\n');
}
