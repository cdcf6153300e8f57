// This host's own firewall, read and never changed: the kernel's ruleset as nft and iptables-save
// print it, decided for the ports a check is about.
import {english} from '../catalog/index.js';
import {readFile} from 'node:fs/promises';
import {networkInterfaces} from 'node:os';
import {allowCommands, recogniseTool} from '../host-firewall/allow-command.js';
import {type HostFirewallRange, decideRanges} from '../host-firewall/decide-ranges.js';
import {decodeIptablesSave} from '../host-firewall/iptables-save.js';
import type {FirewallTool, Ruleset} from '../host-firewall/model.js';
import type {PortHolders} from '../host-firewall/windows-decide.js';
import {decodeNftRuleset} from '../host-firewall/nft-json.js';
import {type CommandRun, type Runner, defaultRunner, runCommand} from './run-command.js';
import {type BytesRunner, type WindowsFirewallRead, decideWindowsFirewall, readWindowsRules} from './windows-firewall.js';

export interface HostFirewallReport {
	/** False when the rules could not be read (not root, no tool): `note` says why. */
	checked: boolean;
	/** The tool that manages the rules, named for the admin: ufw, firewalld, nftables, …. */
	tool: FirewallTool | null;
	/** One line: what was read, or why not. */
	note: string;
	ranges: HostFirewallRange[];
	/** For each blocked range, the commands that would let it in (or, `direction: 'out'`, out). */
	fixes: Array<{protocol: 'udp' | 'tcp'; ports: string; direction?: 'out'; commands: string[]}>;
	/** Every command run, for the drill-down. */
	runs: CommandRun[];
}

/**
 * What the outbound decision needs, known once the sweep is done: the UDP ports whose Test 1 got
 * no answer, and where Test 1 went (the STUN server) from which address of this host.
 */
export interface OutboundRequest {
	udpPorts: readonly number[];
	destination: string | null;
	destinationPort: number | null;
	source: string | null;
}

export interface ReadHostFirewallOptions {
	udpPorts: readonly number[];
	tcpPorts?: readonly number[];
	family?: 'ipv4' | 'ipv6';
	/**
	 * This host's address toward the internet (the STUN server): its interface is where packets
	 * arrive. A promise lets the commands start before the sweep has learnt it.
	 */
	localAddress?: string | null | PromiseLike<string | null>;
	/** Injected so the decoding can be tested on recorded output. */
	run?: Runner;
	/** Whether legacy iptables tables exist (legacyTablesInKernel); injected for tests. */
	legacyTables?: (family: 'ipv4' | 'ipv6') => Promise<boolean | undefined>;
	/** win32 reads the Windows Firewall instead (windows-firewall.ts); injected for tests. */
	platform?: NodeJS.Platform;
	/** netsh's output in the console's code page, for the Windows fallback. */
	runBytes?: BytesRunner;
	/** Windows: the executable holding the checked ports, as its firewall rules may name one. */
	program?: string | null;
	/**
	 * Windows: the executable holding each port, known once the sweep has run (busy ports' owners);
	 * wins over `program`. The rules are read meanwhile.
	 */
	holders?: PortHolders | PromiseLike<PortHolders>;
	/** The ports to decide outbound too, known once the sweep is done; none when absent or null. */
	outbound?: OutboundRequest | null | PromiseLike<OutboundRequest | null>;
	timeoutMs?: number;
}

const defaultTimeoutMs = 2000;

/** The interface holding `address`, from the kernel's own list (no command). */
export const interfaceOf = (address: string | null | undefined): string | null => {
	if (!address) {
		return null;
	}

	for (const [name, entries] of Object.entries(networkInterfaces())) {
		if (entries?.some(entry => entry.address === address)) {
			return name;
		}
	}

	return null;
};

const notRoot = (run: CommandRun): boolean =>
	/not permitted|permission denied|must be root/i.test(`${run.error ?? ''} ${run.output}`);

const notInstalled = (run: CommandRun): boolean => (run.error ?? '').includes('not installed');

/** iptables-save prints which backend it is: "(nf_tables)" or "(legacy)" in its first comment. */
const backendOf = (output: string): 'iptables' | 'iptables-legacy' | null =>
	/\(nf_tables\)/.test(output) ? 'iptables' : /\(legacy\)/.test(output) ? 'iptables-legacy' : null;

/** iptables-nft warns when the legacy backend holds rules too: both then see every packet. */
const legacyAlsoPresent = (run: CommandRun): boolean => /iptables-legacy tables present/.test(run.output);

/**
 * Whether the legacy iptables backend holds tables in this network namespace: the kernel lists
 * them in /proc/net/ip_tables_names (ip6_tables_names), the file iptables-nft itself reads before
 * warning of them. Absent file: the legacy modules are not even loaded. Undefined when unreadable.
 */
export const legacyTablesInKernel = async (family: 'ipv4' | 'ipv6'): Promise<boolean | undefined> => {
	try {
		const names = await readFile(`/proc/net/${family === 'ipv6' ? 'ip6' : 'ip'}_tables_names`, 'utf8');
		return names.trim() !== '';
	} catch (error: unknown) {
		return (error as {code?: unknown}).code === 'ENOENT' ? false : undefined;
	}
};

export interface ReadRulesOptions {
	family?: 'ipv4' | 'ipv6';
	/** Injected so the decoding can be tested on recorded output. */
	run?: Runner;
	/** Whether legacy iptables tables exist (legacyTablesInKernel); injected for tests. */
	legacyTables?: (family: 'ipv4' | 'ipv6') => Promise<boolean | undefined>;
	timeoutMs?: number;
}

/** The rules as read, before any port is decided: what the commands printed, decoded. */
export interface RulesRead {
	family: 'ipv4' | 'ipv6';
	/** Set when the rules could not be read: the report's note. */
	failure?: string;
	rulesets: Ruleset[];
	tool: FirewallTool;
	/** Why nft's output could not be decoded, when it could not. */
	nftNote: string;
	runs: CommandRun[];
}

/**
 * Read the rules: nft, iptables-save and, when the kernel lists legacy tables, iptables-legacy-save,
 * all at once (none of them depends on the checked ports, so this may start before they are
 * known). Never throws: a command that fails is a note.
 */
export const readRules = async (options: ReadRulesOptions = {}): Promise<RulesRead> => {
	const run = options.run ?? defaultRunner;
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const family = options.family ?? 'ipv4';
	const save = family === 'ipv6' ? 'ip6tables-save' : 'iptables-save';
	const legacySave = `${save.replace('-save', '')}-legacy-save`;
	const legacyTables = await (options.legacyTables ?? legacyTablesInKernel)(family);
	const [nftRun, saveRun, earlyLegacyRun] = await Promise.all([
		runCommand(run, 'nft', ['-j', 'list', 'ruleset'], timeoutMs),
		runCommand(run, save, [], timeoutMs),
		legacyTables === true ? runCommand(run, legacySave, [], timeoutMs) : undefined,
	]);
	const runs = [nftRun, saveRun];
	const failed = (failure: string): RulesRead => ({family, failure, rulesets: [], tool: 'nftables', nftNote: '', runs});
	if ([nftRun, saveRun, earlyLegacyRun].some(item => item && notRoot(item))) {
		return failed(english.notes.firewallNeedsRoot);
	}

	const rulesets: Ruleset[] = [];
	const names = {tables: [] as string[], chains: [] as string[]};
	const saveBackend = saveRun.error ? null : backendOf(saveRun.output);
	const iptablesTables = new Set<string>();
	if (saveBackend) {
		const decoded = decodeIptablesSave(saveRun.output, family, saveBackend);
		rulesets.push(decoded.ruleset);
		names.tables.push(...decoded.tables);
		names.chains.push(...decoded.chainNames);
		if (saveBackend === 'iptables') {
			// Read from iptables-save instead: nft shows their matches as opaque xt expressions.
			for (const table of decoded.tables) {
				iptablesTables.add(`${family === 'ipv6' ? 'ip6' : 'ip'} ${table}`);
			}
		}
	}

	// With no nf_tables tables at all, iptables-save prints nothing on stdout (its warning of legacy
	// tables goes to stderr): the legacy tables may then hold every rule. When iptables-save is the
	// legacy one itself, it has printed them already. Where the kernel's list could not be read,
	// iptables-save's warning (or its silence) is the only sign.
	const saveEmpty = !saveRun.error && saveRun.output.trim() === '';
	const legacyWanted =
		legacyTables === undefined ? (saveBackend === 'iptables' && legacyAlsoPresent(saveRun)) || saveEmpty : legacyTables;
	if (legacyWanted && saveBackend !== 'iptables-legacy') {
		const legacyRun = earlyLegacyRun ?? (await runCommand(run, legacySave, [], timeoutMs));
		runs.push(legacyRun);
		if (!legacyRun.error) {
			const decoded = decodeIptablesSave(legacyRun.output, family, 'iptables-legacy');
			rulesets.push(decoded.ruleset);
			names.chains.push(...decoded.chainNames);
		}
	}

	let nftNote = '';
	if (!nftRun.error) {
		const decoded = decodeNftRuleset(nftRun.output, iptablesTables);
		if (decoded.ok) {
			rulesets.push(decoded.ruleset);
			names.tables.push(...decoded.tables);
			names.chains.push(...decoded.chainNames);
		} else {
			nftNote = decoded.error;
		}
	}

	if (nftRun.error && (saveRun.error || !saveBackend)) {
		const why = notInstalled(nftRun) && notInstalled(saveRun) ? english.notes.firewallNoTool : nftRun.error;
		return failed(english.notes.firewallNotRead(why ?? ''));
	}

	const backend: FirewallTool = rulesets.some(ruleset => ruleset.backend === 'nftables' && ruleset.chains.length > 0)
		? 'nftables'
		: (rulesets.find(ruleset => ruleset.chains.length > 0)?.backend ?? 'nftables');
	return {family, rulesets, tool: recogniseTool(names, backend), nftNote, runs};
};

/** What a decision needs besides the rules: the checked ports, and where they arrive. */
export interface DecideRequest {
	udpPorts: readonly number[];
	tcpPorts?: readonly number[];
	/** The interface the check's packets arrive on (interfaceOf the local address); they leave through it too. */
	inputInterface: string | null;
	/** The ports whose Test 1 failed, to decide as Test 1's request leaving this host. */
	outbound?: OutboundRequest | null;
}

/** The ranges of the ports whose Test 1 failed, decided as Test 1's request leaving this host. */
const outboundRanges = (rules: RulesRead, request: DecideRequest): HostFirewallRange[] => {
	const outbound = request.outbound;
	if (!outbound || outbound.udpPorts.length === 0) {
		return [];
	}

	return decideRanges(rules.rulesets, outbound.udpPorts, {
		direction: 'out',
		protocol: 'udp',
		family: rules.family,
		destination: outbound.destination,
		destinationPort: outbound.destinationPort,
		source: outbound.source,
		outputInterface: request.inputInterface,
	});
};

/** Every checked port decided through rules already read. */
export const decideHostFirewall = (rules: RulesRead, request: DecideRequest): HostFirewallReport => {
	const {family, rulesets, tool, nftNote, runs} = rules;
	if (rules.failure !== undefined) {
		return {checked: false, tool: null, note: rules.failure, ranges: [], fixes: [], runs};
	}

	const {inputInterface} = request;
	const ranges = [
		...decideRanges(rulesets, request.udpPorts, {protocol: 'udp', family, inputInterface}),
		...(request.tcpPorts && request.tcpPorts.length > 0
			? decideRanges(rulesets, request.tcpPorts, {protocol: 'tcp', family, inputInterface})
			: []),
	];
	const outbound = outboundRanges(rules, request);
	const fixes = [...ranges, ...outbound]
		.filter(range => range.decision === 'blocked')
		.map(range => ({
			protocol: range.protocol,
			ports: range.ports,
			...(range.direction ? {direction: range.direction} : {}),
			commands: allowCommands(tool, range, family),
		}));
	return {
		checked: true,
		tool,
		note: readingNote(tool, [...ranges, ...outbound], nftNote),
		ranges: [...ranges, ...outbound],
		fixes,
		runs,
	};
};

/** The reading's one line: how many ranges it blocks, in and out (or nft's own note first). */
export const readingNote = (tool: FirewallTool, ranges: readonly HostFirewallRange[], nftNote?: string): string => {
	const blocked = ranges.filter(range => !range.direction && range.decision === 'blocked').length;
	const blockedOut = ranges.filter(range => range.direction === 'out' && range.decision === 'blocked').length;
	const note =
		nftNote ||
		(blocked > 0
			? blocked === 1
				? english.notes.firewallBlocksOne(tool)
				: english.notes.firewallBlocksMany(tool, String(blocked))
			: english.notes.firewallLetsIn(tool));
	const outNote =
		blockedOut === 0
			? ''
			: ` ${blockedOut === 1 ? english.notes.firewallBlocksOutboundOne(tool) : english.notes.firewallBlocksOutboundMany(tool, String(blockedOut))}`;
	return `${note}${outNote}`;
};

/** The Windows reader's finding as this host's report: its tool named when it was read. */
export const windowsReport = (read: WindowsFirewallRead): HostFirewallReport => ({
	...read,
	tool: read.checked ? 'windows-firewall' : null,
});

/**
 * Read the rules and decide every checked port; the commands run while the local address is still
 * being learnt. Never throws: a command that fails is a note.
 */
export const readHostFirewall = async (options: ReadHostFirewallOptions): Promise<HostFirewallReport> => {
	if ((options.platform ?? process.platform) === 'win32') {
		const [rules, holders, outbound] = await Promise.all([readWindowsRules(options), options.holders, options.outbound]);
		return windowsReport(decideWindowsFirewall(rules, {...options, holders, outbound}));
	}

	const [rules, localAddress, outbound] = await Promise.all([readRules(options), options.localAddress, options.outbound]);
	return decideHostFirewall(rules, {...options, inputInterface: interfaceOf(localAddress), outbound});
};
