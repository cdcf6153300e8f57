// Which reader of this host's firewall applies here: nftables and iptables on Linux, the Windows
// Firewall's profiles and rules on Windows (readHostFirewall turns to windows-firewall.ts there),
// both decided into the same ranges. Elsewhere the report says the firewall was not read.
import {english} from '../catalog/index.js';
import {
	type HostFirewallReport,
	type ReadHostFirewallOptions,
	decideHostFirewall,
	interfaceOf,
	readHostFirewall,
	type ReadRulesOptions,
	readRules,
	windowsReport,
} from './host-firewall.js';
import type {Runner} from './run-command.js';
import {type BytesRunner, decideWindowsFirewall, readWindowsRules} from './windows-firewall.js';

/** netsh's output as bytes, through a Runner that hands them back as they came. */
const bytesOf =
	(run: Runner): BytesRunner =>
	async (file, args, options) => {
		const {stdout} = await run(file, args, options);
		return {stdout: typeof stdout === 'string' ? new TextEncoder().encode(stdout) : stdout};
	};

/** What the check asks of this host's firewall: the ports it is about, and where they arrive. */
export type HostFirewallRequest = Pick<
	ReadHostFirewallOptions,
	'udpPorts' | 'tcpPorts' | 'family' | 'localAddress' | 'holders' | 'outbound'
>;

export type HostFirewallReader = (request: HostFirewallRequest) => Promise<HostFirewallReport>;

const notRead = (note: string): HostFirewallReport => ({checked: false, tool: null, note, ranges: [], fixes: [], runs: []});

const readers: Partial<Record<NodeJS.Platform, HostFirewallReader>> = {
	linux: async request => readHostFirewall(request),
	win32: async request => readHostFirewall({...request, platform: 'win32'}),
};

/** This host's firewall read by the reader for `platform`; a one-line note where there is none. */
export const readThisHostFirewall = async (
	request: HostFirewallRequest,
	platform: NodeJS.Platform = process.platform,
): Promise<HostFirewallReport> => {
	const reader = readers[platform];
	return reader ? reader(request) : notRead(english.notes.firewallOtherPlatform(platform));
};

/**
 * Start reading this host's rules now, before the check knows its ports and address; the reader
 * returned decides each request through the rules read once (a request of the other family reads
 * afresh). Never rejects.
 */
export const startReadingThisHostFirewall = ({
	family,
	platform = process.platform,
	run,
	legacyTables,
}: {
	family: 'ipv4' | 'ipv6';
	platform?: NodeJS.Platform;
	/** Runs the programs (a worker thread's runner in the CLI); injected in tests. */
	run?: Runner;
	legacyTables?: ReadRulesOptions['legacyTables'];
}): HostFirewallReader => {
	if (platform === 'linux') {
		const rules = readRules({family, run, legacyTables});
		return async request =>
			(request.family ?? 'ipv4') === family
				? decideHostFirewall(await rules, {
						...request,
						inputInterface: interfaceOf(await request.localAddress),
						outbound: await request.outbound,
					})
				: readHostFirewall({...request, run, legacyTables});
	}

	if (platform === 'win32') {
		const rules = readWindowsRules({run, runBytes: run ? bytesOf(run) : undefined});
		return async request => {
			const [read, holders, outbound] = await Promise.all([rules, request.holders, request.outbound]);
			return windowsReport(decideWindowsFirewall(read, {...request, holders, outbound}));
		};
	}

	return async request => readThisHostFirewall(request, platform);
};
