// The Windows Firewall, read and never changed. PowerShell first: its JSON names profiles,
// actions and protocols in English whatever the language of Windows, and it is the only source of
// the active profile and of rule ids. netsh is the fallback (PowerShell missing, blocked by
// policy, or its NetSecurity module absent, as on Server Core without it): its text is localized
// and printed in the console's code page, so windows-netsh.ts reads it by structure.
import {english} from '../catalog/index.js';
import type {HostFirewallRange} from '../host-firewall/decide-ranges.js';
import {
	type PortHolders,
	type WindowsRangeDecision,
	decideWindowsRanges,
	windowsAllowCommands,
} from '../host-firewall/windows-decide.js';
import type {WindowsFirewall} from '../host-firewall/windows-model.js';
import {decodeConsoleBytes, decodeNetshProfiles, decodeNetshRules} from '../host-firewall/windows-netsh.js';
import {decodePowerShellFirewall} from '../host-firewall/windows-powershell.js';
import {loadExeca} from './load-execa.js';
import {type CommandRun, type Runner, defaultRunner, runCommand} from './run-command.js';

/** Runs a program and hands back its stdout as bytes, for output in a console code page. */
export type BytesRunner = (file: string, args: string[], options: {timeoutMs: number}) => Promise<{stdout: Uint8Array}>;

export const defaultBytesRunner: BytesRunner = async (file, args, {timeoutMs}) => {
	const {execa} = await loadExeca();
	const {stdout} = await execa(file, args, {timeout: timeoutMs, reject: true, encoding: 'buffer'});
	return {stdout};
};

/**
 * What the Windows reader found: readHostFirewall's report without `tool`, which it fills in (the
 * report's type lives with readHostFirewall, which calls this module, not the other way round).
 */
export interface WindowsFirewallRead {
	/** False when neither PowerShell nor netsh could be read: `note` says why. */
	checked: boolean;
	note: string;
	ranges: HostFirewallRange[];
	fixes: Array<{protocol: 'udp' | 'tcp'; ports: string; direction?: 'out'; commands: string[]}>;
	runs: CommandRun[];
}

export interface ReadWindowsFirewallOptions {
	udpPorts: readonly number[];
	tcpPorts?: readonly number[];
	/**
	 * The executable that holds the checked ports (a full path, as rules name programs), when known:
	 * a rule limited to another program does not apply, one limited to this program does. Unknown,
	 * such rules leave their ports unknown, naming the program.
	 */
	program?: string | null;
	/** The executable holding each port, when they differ (a busy port's owner, fwcheck for the rest); wins over `program`. */
	holders?: PortHolders;
	/** The UDP ports whose Test 1 failed and where it went: decided outbound too. */
	outbound?: {udpPorts: readonly number[]; destination: string | null; destinationPort: number | null} | null;
	/** Injected so both paths can be tested on recorded output from any OS. */
	run?: Runner;
	runBytes?: BytesRunner;
	timeoutMs?: number;
}

// Filters fetched once each and joined by InstanceID: a Get-Net*Filter call per rule costs a
// CIM query each, seconds on a host with hundreds of rules. Enums are cast to their names.
export const powershellScript = [
	"$ErrorActionPreference = 'Stop'",
	'[Console]::OutputEncoding = [Text.Encoding]::UTF8',
	'$ports = @{}; Get-NetFirewallPortFilter -All -PolicyStore ActiveStore | ForEach-Object { $ports[$_.InstanceID] = $_ }',
	'$addresses = @{}; Get-NetFirewallAddressFilter -All -PolicyStore ActiveStore | ForEach-Object { $addresses[$_.InstanceID] = $_ }',
	'$programs = @{}; Get-NetFirewallApplicationFilter -All -PolicyStore ActiveStore | ForEach-Object { $programs[$_.InstanceID] = $_ }',
	'$services = @{}; Get-NetFirewallServiceFilter -All -PolicyStore ActiveStore | ForEach-Object { $services[$_.InstanceID] = $_ }',
	'$rules = @(Get-NetFirewallRule -Enabled True -PolicyStore ActiveStore | ForEach-Object { [pscustomobject]@{ Name = $_.Name; DisplayName = $_.DisplayName; Direction = [string]$_.Direction; Action = [string]$_.Action; Profile = [string]$_.Profile; Protocol = $ports[$_.InstanceID].Protocol; LocalPort = $ports[$_.InstanceID].LocalPort; RemotePort = $ports[$_.InstanceID].RemotePort; RemoteAddress = $addresses[$_.InstanceID].RemoteAddress; Program = $programs[$_.InstanceID].Program; Service = $services[$_.InstanceID].Service } })',
	'$profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object { [pscustomobject]@{ Name = [string]$_.Name; Enabled = [string]$_.Enabled; DefaultInboundAction = [string]$_.DefaultInboundAction; DefaultOutboundAction = [string]$_.DefaultOutboundAction; AllowInboundRules = [string]$_.AllowInboundRules } })',
	'[pscustomobject]@{ ActiveProfile = [string](Get-NetFirewallSetting -PolicyStore ActiveStore).ActiveProfile; Profiles = $profiles; Rules = $rules } | ConvertTo-Json -Depth 4 -Compress',
].join('; ');

export const powershellArgs = ['-NoProfile', '-NonInteractive', '-Command', powershellScript];
export const netshProfilesArgs = ['advfirewall', 'show', 'allprofiles'];
export const netshCurrentArgs = ['advfirewall', 'show', 'currentprofile'];
export const netshRulesArgs = ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose'];
export const netshOutboundRulesArgs = ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=out', 'verbose'];

const defaultTimeoutMs = 15_000;

/** Like runCommand, for bytes: the output decoded from the console's code page. */
const runBytesCommand = async (runBytes: BytesRunner, file: string, args: string[], timeoutMs: number): Promise<CommandRun> => {
	const bytesRun: Runner = async (name, list, options) => {
		const {stdout} = await runBytes(name, list, options);
		return {stdout: decodeConsoleBytes(stdout)};
	};

	return runCommand(bytesRun, file, args, timeoutMs);
};

const readWithNetsh = async (
	runBytes: BytesRunner,
	timeoutMs: number,
): Promise<{firewall?: WindowsFirewall; runs: CommandRun[]; error?: string; unreadable: number}> => {
	const runs = await Promise.all([
		runBytesCommand(runBytes, 'netsh', netshProfilesArgs, timeoutMs),
		runBytesCommand(runBytes, 'netsh', netshCurrentArgs, timeoutMs),
		runBytesCommand(runBytes, 'netsh', netshRulesArgs, timeoutMs),
		runBytesCommand(runBytes, 'netsh', netshOutboundRulesArgs, timeoutMs),
	]);
	const [profilesRun, currentRun, rulesRun, outboundRun] = runs;
	if (profilesRun.error) {
		return {runs, error: profilesRun.error, unreadable: 0};
	}

	const profiles = decodeNetshProfiles(profilesRun.output, currentRun.error ? '' : currentRun.output);
	if (!profiles) {
		return {runs, error: 'netsh printed no firewall profiles', unreadable: 0};
	}

	// Without any rule listed (none, or netsh failed) the profiles still decide: the note says so.
	const decoded = rulesRun.error ? {rules: [], unreadable: 0} : decodeNetshRules(rulesRun.output);
	// Outbound rules read or not, the inbound decision stands; without them outbound is the profiles' default.
	const outbound = outboundRun.error ? {rules: [], unreadable: 0} : decodeNetshRules(outboundRun.output, 'out');
	return {
		firewall: {...profiles, rules: [...decoded.rules, ...outbound.rules]},
		runs,
		unreadable: decoded.unreadable + outbound.unreadable,
	};
};

const ruleCountNote = (unreadable: number, rulesFailed: CommandRun | undefined): string =>
	rulesFailed?.error
		? ` ${english.notes.windowsRulesNotRead(rulesFailed.error)}`
		: unreadable > 0
			? ` ${unreadable === 1 ? english.notes.windowsOneRuleUnreadable : english.notes.windowsRulesUnreadable(String(unreadable))}`
			: '';

/** The Windows Firewall as read, before any port is decided. */
export interface WindowsRulesRead {
	firewall?: WindowsFirewall;
	/** Set when neither PowerShell nor netsh could be read: the report's note. */
	failure?: string;
	/** What the note adds about rules netsh could not read. */
	extra: string;
	runs: CommandRun[];
}

/**
 * Read the profiles and inbound rules: PowerShell, or netsh when PowerShell fails. Nothing here
 * depends on the checked ports, so this may start before they are known. Never throws.
 */
export const readWindowsRules = async (
	options: Pick<ReadWindowsFirewallOptions, 'run' | 'runBytes' | 'timeoutMs'> = {},
): Promise<WindowsRulesRead> => {
	const run = options.run ?? defaultRunner;
	const runBytes = options.runBytes ?? defaultBytesRunner;
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
	const runs: CommandRun[] = [];
	const powershellRun = await runCommand(run, 'powershell.exe', powershellArgs, timeoutMs);
	runs.push(powershellRun);
	const fromPowerShell = powershellRun.error ? undefined : decodePowerShellFirewall(powershellRun.output);
	if (fromPowerShell?.ok) {
		return {firewall: fromPowerShell.firewall, extra: '', runs};
	}

	const netsh = await readWithNetsh(runBytes, timeoutMs);
	runs.push(...netsh.runs);
	if (!netsh.firewall) {
		return {failure: english.notes.windowsFirewallNotRead(netsh.error ?? 'netsh failed'), extra: '', runs};
	}

	return {firewall: netsh.firewall, extra: ruleCountNote(netsh.unreadable, netsh.runs[2]), runs};
};

/** Every checked port decided through the Windows Firewall already read. */
export const decideWindowsFirewall = (
	read: WindowsRulesRead,
	request: Pick<ReadWindowsFirewallOptions, 'udpPorts' | 'tcpPorts' | 'program' | 'holders' | 'outbound'>,
): WindowsFirewallRead => {
	const {firewall, runs} = read;
	if (!firewall) {
		return {checked: false, note: read.failure ?? english.notes.windowsFirewallNotReadPlain, ranges: [], fixes: [], runs};
	}

	const {holders} = request;
	const holderOf = (protocol: 'udp' | 'tcp') => (holders ? (port: number) => holders(protocol, port) : (request.program ?? null));
	const decisions: WindowsRangeDecision[] = [
		...decideWindowsRanges(firewall, request.udpPorts, 'udp', holderOf('udp')),
		...(request.tcpPorts && request.tcpPorts.length > 0
			? decideWindowsRanges(firewall, request.tcpPorts, 'tcp', holderOf('tcp'))
			: []),
	];
	const {outbound} = request;
	const outboundDecisions =
		outbound && outbound.udpPorts.length > 0
			? decideWindowsRanges(firewall, outbound.udpPorts, 'udp', holderOf('udp'), {
					address: outbound.destination,
					port: outbound.destinationPort,
				})
			: [];
	const ranges: HostFirewallRange[] = [...decisions, ...outboundDecisions].map(decision => decision.range);
	const blocked = decisions.filter(decision => decision.range.decision === 'blocked');
	const blockedOut = outboundDecisions.filter(decision => decision.range.decision === 'blocked');
	const fixes = [...blocked, ...blockedOut].map(decision => ({
		protocol: decision.range.protocol,
		ports: decision.range.ports,
		...(decision.range.direction ? {direction: decision.range.direction} : {}),
		commands: windowsAllowCommands(decision),
	}));
	const byRule = blocked.find(decision => decision.blockingRule)?.blockingRule;
	const count = String(blocked.length);
	const said = english.notes;
	const note =
		blocked.length === 0
			? said.windowsFirewallLetsIn
			: byRule
				? blocked.length === 1
					? said.windowsBlocksOneByRule(byRule.name)
					: said.windowsBlocksManyByRule(count, byRule.name)
				: blocked.length === 1
					? said.windowsBlocksOne
					: said.windowsBlocksMany(count);
	const outNote =
		blockedOut.length === 0
			? ''
			: ` ${blockedOut.length === 1 ? said.firewallBlocksOutboundOne('Windows Firewall') : said.firewallBlocksOutboundMany('Windows Firewall', String(blockedOut.length))}`;
	return {checked: true, note: `${note}${outNote}${read.extra}`, ranges, fixes, runs};
};

/**
 * Read the Windows Firewall and decide every checked port, as readHostFirewall does on Linux.
 * Never throws: a command that fails is a note.
 */
export const readWindowsFirewall = async (options: ReadWindowsFirewallOptions): Promise<WindowsFirewallRead> =>
	decideWindowsFirewall(await readWindowsRules(options), options);
