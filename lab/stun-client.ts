// Debian's `stun` client (stun-client 0.97, RFC 3489 NAT classification): an independent second
// opinion on what a router scenario does. It uses local ports P and P+1.
import {NS} from './addresses.js';
import {nsRun} from './netns.js';

export type NatClass =
	| 'open'
	| 'independent-filter'
	| 'address-dependent-filter'
	| 'port-dependent-filter'
	| 'dependent-mapping'
	| 'firewall'
	| 'blocked'
	| 'unknown';

export type DebianStunResult = {
	/** The "Primary: ..." line, e.g. "Independent Mapping, Port Dependent Filter, preserves ports, no hairpin". */
	primary: string | undefined;
	nat: NatClass;
	preservesPorts: boolean | undefined;
	hairpin: boolean | undefined;
	/** Verbose flags: "test I", "test II", "test III", "test I(2)", "is nat", "mapped IP same", ... */
	tests: Record<string, number>;
	exitCode: number | undefined;
	output: string;
};

// Longest prefixes first: "Independent Mapping, ..." must not be read as "Dependent Mapping".
const CLASSES: [string, NatClass][] = [
	['Independent Mapping, Independent Filter', 'independent-filter'],
	['Independent Mapping, Address Dependent Filter', 'address-dependent-filter'],
	['Independent Mapping, Port Dependent Filter', 'port-dependent-filter'],
	['Dependent Mapping', 'dependent-mapping'],
	['Blocked', 'blocked'],
	['Firewall', 'firewall'],
	['Open', 'open'],
];

export function parseDebianStun(output: string, exitCode?: number): DebianStunResult {
	const primary = /^Primary: (.*?)\s*$/m.exec(output)?.[1];
	const nat = CLASSES.find(([prefix]) => primary?.startsWith(prefix))?.[1] ?? 'unknown';
	const tests: Record<string, number> = {};
	for (const match of output.matchAll(
		/^(test I\(2\)|test III|test II|test I|is nat|mapped IP same|hairpin|preserver port)\s*=\s*(\d+)/gm,
	)) {
		if (match[1] !== undefined && match[2] !== undefined) tests[match[1]] = Number(match[2]);
	}
	return {
		primary,
		nat,
		preservesPorts: primary === undefined ? undefined : primary.includes('preserves ports'),
		hairpin: primary === undefined ? undefined : primary.includes('will hairpin'),
		tests,
		exitCode,
		output,
	};
}

/** Runs `stun <server> -v -p <localPort>` in the PBX namespace. */
export async function debianStun(server: string, localPort: number, timeoutMs = 20_000): Promise<DebianStunResult> {
	const r = await nsRun(NS.pbx, 'stun', [server, '-v', '-p', String(localPort)], {timeoutMs, reject: false});
	return parseDebianStun(`${r.stdout}\n${r.stderr}`, r.exitCode);
}
