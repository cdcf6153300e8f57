// Names and addresses of the lab network. Everything lives in namespaces whose names start with
// PREFIX, so a crashed run leaves nothing that the next run cannot find and remove.
// Only documentation (203.0.113.0/24) and private (192.168.77.0/24) ranges, only inside the lab.

/**
 * FWCHECK_LAB_PREFIX gives a second lab its own names (e.g. "fwb-"), so two checkouts can run
 * their labs side by side: namespaces isolate the addresses, only the names and the lock clash.
 */
const labPrefix = (value: string | undefined): string => {
	if (value === undefined || value === '') {
		return 'fwl-';
	}

	if (!/^[a-z]{2,5}-$/.test(value)) {
		throw new Error(`FWCHECK_LAB_PREFIX must be 2 to 5 lowercase letters and a dash, like "fwb-", not "${value}"`);
	}

	return value;
};

export const PREFIX = labPrefix(process.env.FWCHECK_LAB_PREFIX);

export const NS = {
	pbx: `${PREFIX}pbx`,
	rtr: `${PREFIX}rtr`,
	inet: `${PREFIX}inet`,
	srv: `${PREFIX}srv`,
	atk: `${PREFIX}atk`,
} as const;

export type LabNs = keyof typeof NS;

// Interface names. The same name may appear in two namespaces (each veth end lives in its own).
export const IF = {
	lan: 'lan0', // pbx <-> rtr
	wan: 'wan0', // rtr's end of the WAN link; its peer is enslaved to the bridge in inet
	bridge: 'br0', // in inet: the "internet" switch
	host: 'eth0', // srv's and atk's end of their link to the bridge
} as const;

export const ADDR = {
	pbx: '192.168.77.10',
	routerLan: '192.168.77.1',
	lanPrefix: 24,
	/** Router's WAN address: the PBX's public IP as the internet sees it. */
	publicIp: '203.0.113.1',
	wanPrefix: 24,
	attacker: '203.0.113.66',
	/** Two-address coturn (RFC 5780): first -L is the primary, second the alternate. */
	coturn: ['203.0.113.10', '203.0.113.11'],
	/** stund (RFC 3489): -h primary, -a alternate. */
	stund: ['203.0.113.20', '203.0.113.21'],
	/** Free pair for our own STUN server (bench, future tests). */
	own: ['203.0.113.30', '203.0.113.31'],
	/** coturn with one -L address: no second address to answer CHANGE-REQUEST from. */
	single: '203.0.113.40',
} as const;

/** Every address configured on srv's interface. */
export const SERVER_ADDRS: readonly string[] = [...ADDR.coturn, ...ADDR.stund, ...ADDR.own, ADDR.single];

export const STUN_PORT = 3478;
export const STUN_ALT_PORT = 3479;

// Lab host names as the PBX namespace resolves them (/etc/netns/fwl-pbx/hosts). The .test TLD is
// reserved (RFC 2606), and resolv.conf points at 127.0.0.1 inside the namespace, where nothing
// listens, so any other name (e.g. HOSTS.missing) fails fast without leaving the lab.
export const HOSTS = {
	coturn: 'coturn.fwl.test',
	coturnAlt: 'coturn-alt.fwl.test',
	stund: 'stund.fwl.test',
	own: 'own.fwl.test',
	single: 'single.fwl.test',
	missing: 'missing.fwl.test',
} as const;

export const HOSTS_FILE = [
	'127.0.0.1 localhost',
	`${ADDR.coturn[0]} ${HOSTS.coturn}`,
	`${ADDR.coturn[1]} ${HOSTS.coturnAlt}`,
	`${ADDR.stund[0]} ${HOSTS.stund}`,
	`${ADDR.own[0]} ${HOSTS.own}`,
	`${ADDR.single} ${HOSTS.single}`,
	'',
].join('\n');

export const RESOLV_CONF = 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n';
