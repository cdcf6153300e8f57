// The checked ports decided through the Windows Firewall. A rule limited to a program applies to
// that program's sockets only, so whether it lets the PBX's traffic in depends on who holds the
// port: given that executable, the rule applies or not; without it the range is `unknown` and names
// the program, rather than `allowed`, which would promise what only that program gets (Windows'
// own prompt creates exactly such any-port program rules, for whatever the user once allowed).
import {formatRange} from '../ports/ranges.js';
import type {HostFirewallRange} from './decide-ranges.js';
import {inPrefix} from './address-match.js';
import type {Decision} from './model.js';
import {fatesByRun} from './segments.js';
import {
	profileLabel,
	windowsProfileNames,
	type WindowsFirewall,
	type WindowsProfile,
	type WindowsProfileName,
	type WindowsRule,
} from './windows-model.js';

interface WindowsFate {
	decision: Decision;
	rule: string | null;
	sources: readonly string[];
	construct?: string;
	/** The block rule that wins, so the fix can name it instead of adding an allow rule in vain. */
	blockingRule?: WindowsRule;
}

export const windowsRuleText = (rule: WindowsRule): string =>
	`Windows Firewall rule "${rule.name}" (${rule.action}${rule.program ? `, program ${rule.program}` : ''}${rule.service ? `, service ${rule.service}` : ''})`;

const appliesTo = (rule: WindowsRule, profile: WindowsProfileName, protocol: 'udp' | 'tcp', port: number): boolean =>
	rule.direction === undefined && appliesAnyWay(rule, profile, protocol, port);

/** Profile, protocol and local port: what a rule of either direction tests first. */
const appliesAnyWay = (rule: WindowsRule, profile: WindowsProfileName, protocol: 'udp' | 'tcp', port: number): boolean =>
	(rule.profiles === 'any' || rule.profiles.includes(profile)) &&
	(rule.protocol === 'any' || rule.protocol === protocol) &&
	(rule.localPorts === 'any' || rule.localPorts.some(span => span.from <= port && port <= span.to));

const fromAnywhere = (rule: WindowsRule): boolean => rule.remoteAddresses === 'any';

/**
 * Paths compared as Windows does, without case. By file name only when one side is a bare name
 * (tasklist gives only "3CXMediaServer.exe") or holds %SystemRoot% and the like, not expanded here.
 */
export const sameProgram = (a: string, b: string): boolean => {
	const norm = (path: string) => path.replaceAll('/', '\\').toLowerCase();
	const bare = (path: string) => path.includes('%') || !/[\\/]/.test(path);
	if (bare(a) || bare(b)) {
		return norm(a).split('\\').at(-1) === norm(b).split('\\').at(-1);
	}

	return norm(a) === norm(b);
};

/**
 * How a rule limited to a program or service bears on the packet, given the executable that holds
 * the port (when the caller knows it): it applies to that program alone. A service rule is never
 * settled, since which service owns a socket is not known here.
 */
const programLimit = (rule: WindowsRule, program: string | null): 'none' | 'applies' | 'not-this-program' | 'unknown' => {
	if (rule.program === null && rule.service === null) {
		return 'none';
	}

	if (program !== null && rule.program !== null && !sameProgram(rule.program, program)) {
		return 'not-this-program';
	}

	return program !== null && rule.program !== null && rule.service === null ? 'applies' : 'unknown';
};

const programOf = (rule: WindowsRule): string => rule.program ?? `service ${rule.service}`;

/**
 * One port in one profile, with Windows' precedence: firewall off lets everything in; an enabled
 * block rule wins over any allow rule; an allow rule lets the packet in; otherwise the profile's
 * default inbound action decides.
 */
const fateIn = (
	firewall: WindowsFirewall,
	profile: WindowsProfile,
	protocol: 'udp' | 'tcp',
	port: number,
	program: string | null,
): WindowsFate => {
	if (!profile.enabled) {
		return {decision: 'allowed', rule: null, sources: []};
	}

	const label = profileLabel(profile.name);
	if (profile.blockAllInbound) {
		return {decision: 'blocked', rule: `Windows Firewall ${label} profile: block all incoming connections`, sources: []};
	}

	const rules = firewall.rules.filter(
		rule =>
			rule.action !== 'bypass' &&
			appliesTo(rule, profile.name, protocol, port) &&
			programLimit(rule, program) !== 'not-this-program',
	);
	// Settled: no program limit, or limited to the very program holding the port.
	const settled = (rule: WindowsRule) => programLimit(rule, program) !== 'unknown';
	// A block rule limited to some senders does not stop an arbitrary internet host.
	const blocks = rules.filter(rule => rule.action === 'block' && fromAnywhere(rule));
	const block = blocks.find(rule => settled(rule));
	if (block) {
		return {decision: 'blocked', rule: windowsRuleText(block), sources: [], blockingRule: block};
	}

	const programBlock = blocks.find(rule => !settled(rule));
	if (programBlock) {
		return {
			decision: 'unknown',
			rule: windowsRuleText(programBlock),
			sources: [],
			construct: `blocks only ${programOf(programBlock)}`,
		};
	}

	const allows = rules.filter(rule => rule.action === 'allow');
	if (allows.some(rule => fromAnywhere(rule) && settled(rule))) {
		return {decision: 'allowed', rule: null, sources: []};
	}

	const programAllow = allows.find(rule => fromAnywhere(rule) && !settled(rule));
	if (programAllow) {
		return {
			decision: 'unknown',
			rule: windowsRuleText(programAllow),
			sources: [],
			construct: `allows only ${programOf(programAllow)}`,
		};
	}

	if (profile.defaultInbound === 'allow') {
		return {decision: 'allowed', rule: null, sources: []};
	}

	const sources = allows.flatMap(rule => (rule.remoteAddresses === 'any' || !settled(rule) ? [] : rule.remoteAddresses));
	return {
		decision: 'blocked',
		rule: `Windows Firewall ${label} profile: default inbound action block`,
		sources: [...new Set(sources)],
	};
};

/** Where Test 1's request goes: the STUN server's address and port, when known. */
export interface WindowsDestination {
	address: string | null;
	port: number | null;
}

/** "203.0.113.0/255.255.255.0" (as the address filter prints a scope) → "203.0.113.0/24"; others as they are. */
const withPrefixLength = (scope: string): string => {
	const match = /^([\d.]+)\/(\d+\.\d+\.\d+\.\d+)$/.exec(scope);
	if (!match) return scope;
	const bits = match[2]!
		.split('.')
		.reduce((count, octet) => count + (Number(octet) >>> 0).toString(2).replaceAll('0', '').length, 0);
	return `${match[1]}/${bits}`;
};

/**
 * Whether an outbound rule's remote scope and ports take in the server: `maybe` when the server is
 * not known or a scope is a keyword (LocalSubnet, DNS, …) whose addresses are not read here.
 */
const reachesServer = (rule: WindowsRule, destination: WindowsDestination): 'yes' | 'no' | 'maybe' => {
	const ports = rule.remotePorts ?? 'any';
	if (ports !== 'any') {
		if (destination.port === null) return 'maybe';
		const port = destination.port;
		if (!ports.some(span => span.from <= port && port <= span.to)) return 'no';
	}

	if (rule.remoteAddresses === 'any') return 'yes';
	if (destination.address === null) return 'maybe';
	const answers = rule.remoteAddresses.map(scope => inPrefix(withPrefixLength(scope), destination.address!));
	return answers.includes(true) ? 'yes' : answers.includes(undefined) ? 'maybe' : 'no';
};

/**
 * Test 1's request leaving from one port in one profile, with Windows' precedence: firewall off
 * lets it out; an enabled outbound block rule that takes in the server wins; an allow rule lets it
 * out; otherwise the profile's default outbound action (allow, unless set to block) decides.
 */
const outboundFateIn = (
	firewall: WindowsFirewall,
	profile: WindowsProfile,
	protocol: 'udp' | 'tcp',
	port: number,
	program: string | null,
	destination: WindowsDestination,
): WindowsFate => {
	if (!profile.enabled) {
		return {decision: 'allowed', rule: null, sources: []};
	}

	const rules = firewall.rules
		.filter(
			rule =>
				rule.direction === 'out' &&
				rule.action !== 'bypass' &&
				appliesAnyWay(rule, profile.name, protocol, port) &&
				programLimit(rule, program) !== 'not-this-program',
		)
		.map(rule => ({rule, reaches: reachesServer(rule, destination), settled: programLimit(rule, program) !== 'unknown'}))
		.filter(({reaches}) => reaches !== 'no');
	const blocks = rules.filter(({rule}) => rule.action === 'block');
	const block = blocks.find(({reaches, settled}) => reaches === 'yes' && settled);
	if (block) {
		return {decision: 'blocked', rule: windowsRuleText(block.rule), sources: [], blockingRule: block.rule};
	}

	if (blocks[0]) {
		return onlySome(blocks[0], 'blocks');
	}

	const allows = rules.filter(({rule}) => rule.action === 'allow');
	if ((profile.defaultOutbound ?? 'allow') === 'allow' || allows.some(({reaches, settled}) => reaches === 'yes' && settled)) {
		return {decision: 'allowed', rule: null, sources: []};
	}

	if (allows[0]) {
		return onlySome(allows[0], 'allows');
	}

	return {
		decision: 'blocked',
		rule: `Windows Firewall ${profileLabel(profile.name)} profile: default outbound action block`,
		sources: [],
	};
};

/** A rule that may or may not apply to Test 1's request: only some remote parties, or some program's. */
const onlySome = (
	{rule, settled}: {rule: WindowsRule; settled: boolean},
	verb: 'blocks' | 'allows',
): {decision: 'unknown'; rule: string; sources: []; construct: string} => ({
	decision: 'unknown',
	rule: windowsRuleText(rule),
	sources: [],
	construct: settled ? `${verb} only remote ${scopeText(rule)}` : `${verb} only ${programOf(rule)}`,
});

const scopeText = (rule: WindowsRule): string =>
	[
		rule.remoteAddresses === 'any' ? '' : rule.remoteAddresses.join(','),
		rule.remotePorts === undefined || rule.remotePorts === 'any'
			? ''
			: `port ${rule.remotePorts.map(span => formatRange(span)).join(',')}`,
	]
		.filter(part => part !== '')
		.join(' ');

const keyOf = (fate: WindowsFate): string =>
	[fate.decision, fate.rule ?? '', fate.construct ?? '', fate.sources.join(',')].join('\u0001');

/**
 * One port through every active profile. A host on two networks meets each under its own profile,
 * and traffic from the internet arrives on one of them, which is not known here: when the profiles
 * disagree the port is unknown, and the construct says which profile does what.
 */
const portFate = (firewall: WindowsFirewall, fateOf: (profile: WindowsProfile) => WindowsFate): WindowsFate => {
	const names = firewall.active.length > 0 ? firewall.active : windowsProfileNames;
	const profiles = firewall.profiles.filter(profile => names.includes(profile.name));
	if (profiles.length === 0) {
		return {decision: 'unknown', rule: null, sources: [], construct: 'no firewall profile was read'};
	}

	const fates = profiles.map(profile => ({profile, fate: fateOf(profile)}));
	const first = fates[0]!.fate;
	if (fates.every(({fate}) => keyOf(fate) === keyOf(first))) {
		return first;
	}

	const blocked = fates.find(({fate}) => fate.decision === 'blocked');
	return {
		decision: 'unknown',
		rule: blocked?.fate.rule ?? null,
		sources: [],
		construct: `the active profiles disagree: ${fates.map(({profile, fate}) => `${profileLabel(profile.name)} ${fate.decision}`).join(', ')}`,
	};
};

/** Port numbers where some rule's answer can change: ports between two of them fare alike. */
const portBoundaries = (firewall: WindowsFirewall): number[] => {
	const bounds = new Set<number>([1, 65_536]);
	for (const rule of firewall.rules) {
		if (rule.localPorts !== 'any') {
			for (const {from, to} of rule.localPorts) {
				bounds.add(Math.max(1, from));
				bounds.add(Math.min(65_536, to + 1));
			}
		}
	}

	return [...bounds].sort((a, b) => a - b);
};

export interface WindowsRangeDecision {
	range: HostFirewallRange;
	/** The block rule that wins over every allow rule for this range, when one does. */
	blockingRule?: WindowsRule;
}

/**
 * The executable holding each checked port, when known (null: not known): a busy port's owner,
 * fwcheck itself for the ports it held. Only the Windows Firewall's rules name programs.
 */
export type PortHolders = (protocol: 'udp' | 'tcp', port: number) => string | null;

/** The rule boundaries, plus every checked port where the holder changes: segments keep one holder. */
const withHolderChanges = (
	bounds: readonly number[],
	ports: readonly number[],
	holderAt: (port: number) => string | null,
): number[] => {
	const sorted = [...new Set(ports)].sort((a, b) => a - b);
	const changes = sorted.filter((port, index) => index > 0 && holderAt(port) !== holderAt(sorted[index - 1]!));
	return [...new Set([...bounds, ...changes])].sort((a, b) => a - b);
};

/**
 * Decide each run of the checked ports as the Linux side does (the same HostFirewallRange), each
 * segment between two rule boundaries (and, given a holder per port, two holders) evaluated once.
 */
export const decideWindowsRanges = (
	firewall: WindowsFirewall,
	ports: readonly number[],
	protocol: 'udp' | 'tcp',
	/**
	 * The executable holding the ports (one for all, or one per port), when known: rules limited to
	 * another program then do not apply.
	 */
	program: string | null | ((port: number) => string | null) = null,
	/** Given, the ports are decided as Test 1's request leaving from them to this server. */
	outbound?: WindowsDestination,
): WindowsRangeDecision[] => {
	const holderAt = typeof program === 'function' ? program : () => program;
	const bounds =
		typeof program === 'function' ? withHolderChanges(portBoundaries(firewall), ports, holderAt) : portBoundaries(firewall);
	const fateOf = (port: number) =>
		portFate(firewall, profile =>
			outbound
				? outboundFateIn(firewall, profile, protocol, port, holderAt(port), outbound)
				: fateIn(firewall, profile, protocol, port, holderAt(port)),
		);
	const runs = fatesByRun(ports, bounds, fateOf, keyOf);
	return runs.map(({run, fate}) => ({
		range: {
			protocol,
			ports: formatRange(run),
			...(outbound ? {direction: 'out' as const} : {}),
			decision: fate.decision,
			rule: fate.rule,
			sources: fate.sources,
			...(fate.construct ? {construct: fate.construct} : {}),
		},
		...(fate.blockingRule ? {blockingRule: fate.blockingRule} : {}),
	}));
};

/**
 * The commands that would let a blocked range in. Against the default action, an allow rule (netsh,
 * and PowerShell's equivalent). Against a block rule an allow rule does nothing, since block wins:
 * the commands disable that rule instead, and the admin may rather narrow it.
 */
export const windowsAllowCommands = (decision: WindowsRangeDecision): string[] => {
	const {protocol, ports} = decision.range;
	const out = decision.range.direction === 'out';
	const dir = out ? 'out' : 'in';
	const block = decision.blockingRule;
	if (block) {
		return [
			`netsh advfirewall firewall set rule name="${block.name}" dir=${dir} new enable=no`,
			block.id ? `Disable-NetFirewallRule -Name "${block.id}"` : `Disable-NetFirewallRule -DisplayName "${block.name}"`,
		];
	}

	const upper = protocol.toUpperCase();
	const name = `fwcheck PBX ${upper} ${ports}${out ? ' out' : ''}`;
	return [
		`netsh advfirewall firewall add rule name="${name}" dir=${dir} action=allow protocol=${upper} localport=${ports}`,
		`New-NetFirewallRule -DisplayName "${name}" -Direction ${out ? 'Outbound' : 'Inbound'} -Action Allow -Protocol ${upper} -LocalPort ${ports}`,
	];
};
