// This host's own firewall, read and never changed: the kernel's ruleset as nft and iptables-save
// print it, decided for the ports a check is about.
import {networkInterfaces} from 'node:os';
import {allowCommands, recogniseTool} from '../host-firewall/allow-command.js';
import {type HostFirewallRange, decideRanges} from '../host-firewall/decide-ranges.js';
import {decodeIptablesSave} from '../host-firewall/iptables-save.js';
import type {FirewallTool, Ruleset} from '../host-firewall/model.js';
import {decodeNftRuleset} from '../host-firewall/nft-json.js';
import {type CommandRun, type Runner, defaultRunner, runCommand} from './run-command.js';
import {type BytesRunner, readWindowsFirewall} from './windows-firewall.js';

export interface HostFirewallReport {
	/** False when the rules could not be read (not root, no tool): `note` says why. */
	checked: boolean;
	/** The tool that manages the rules, named for the admin: ufw, firewalld, nftables, …. */
	tool: FirewallTool | null;
	/** One line: what was read, or why not. */
	note: string;
	ranges: HostFirewallRange[];
	/** For each blocked range, the commands that would let it in. */
	fixes: Array<{protocol: 'udp' | 'tcp'; ports: string; commands: string[]}>;
	/** Every command run, for the drill-down. */
	runs: CommandRun[];
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
	/** win32 reads the Windows Firewall instead (windows-firewall.ts); injected for tests. */
	platform?: NodeJS.Platform;
	/** netsh's output in the console's code page, for the Windows fallback. */
	runBytes?: BytesRunner;
	/** Windows: the executable holding the checked ports, as its firewall rules may name one. */
	program?: string | null;
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
 * Read the rules (nft, iptables-save and, where its tables also hold rules, iptables-legacy-save,
 * all at once) and decide every checked port. Never throws: a command that fails is a note.
 */
export const readHostFirewall = async (options: ReadHostFirewallOptions): Promise<HostFirewallReport> => {
	if ((options.platform ?? process.platform) === 'win32') {
		const read = await readWindowsFirewall(options);
		return {...read, tool: read.checked ? 'windows-firewall' : null};
	}

	const run = options.run ?? defaultRunner;
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const family = options.family ?? 'ipv4';
	const save = family === 'ipv6' ? 'ip6tables-save' : 'iptables-save';
	const [nftRun, saveRun] = await Promise.all([
		runCommand(run, 'nft', ['-j', 'list', 'ruleset'], timeoutMs),
		runCommand(run, save, [], timeoutMs),
	]);
	const runs = [nftRun, saveRun];
	const failed = (note: string): HostFirewallReport => ({checked: false, tool: null, note, ranges: [], fixes: [], runs});
	if ([nftRun, saveRun].some(item => notRoot(item))) {
		return failed("This host's firewall was not read: that needs root (run fwcheck with sudo).");
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
	// tables goes to stderr): the legacy tables may then hold every rule.
	const saveEmpty = !saveRun.error && saveRun.output.trim() === '';
	if ((saveBackend === 'iptables' && legacyAlsoPresent(saveRun)) || saveEmpty) {
		const legacyRun = await runCommand(run, `${save.replace('-save', '')}-legacy-save`, [], timeoutMs);
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
		const why = notInstalled(nftRun) && notInstalled(saveRun) ? 'neither nft nor iptables-save is installed' : nftRun.error;
		return failed(`This host's firewall was not read: ${why}.`);
	}

	const backend: FirewallTool = rulesets.some(ruleset => ruleset.backend === 'nftables' && ruleset.chains.length > 0)
		? 'nftables'
		: (rulesets.find(ruleset => ruleset.chains.length > 0)?.backend ?? 'nftables');
	const tool = recogniseTool(names, backend);
	const inputInterface = interfaceOf(await options.localAddress);
	const ranges = [
		...decideRanges(rulesets, options.udpPorts, {protocol: 'udp', family, inputInterface}),
		...(options.tcpPorts && options.tcpPorts.length > 0
			? decideRanges(rulesets, options.tcpPorts, {protocol: 'tcp', family, inputInterface})
			: []),
	];
	const fixes = ranges
		.filter(range => range.decision === 'blocked')
		.map(range => ({protocol: range.protocol, ports: range.ports, commands: allowCommands(tool, range, family)}));
	const blocked = ranges.filter(range => range.decision === 'blocked').length;
	const note =
		nftNote ||
		(blocked > 0
			? `This host's firewall (${tool}) blocks inbound traffic to ${blocked === 1 ? 'one range' : `${blocked} ranges`} of the checked ports.`
			: `This host's firewall (${tool}) lets the checked ports in.`);
	return {checked: true, tool, note, ranges, fixes, runs};
};
