// Which reader of this host's firewall applies here: nftables and iptables on Linux, the Windows
// Firewall's profiles and rules on Windows (readHostFirewall turns to windows-firewall.ts there),
// both decided into the same ranges. Elsewhere the report says the firewall was not read.
import {type HostFirewallReport, type ReadHostFirewallOptions, readHostFirewall} from './host-firewall.js';

/** What the check asks of this host's firewall: the ports it is about, and where they arrive. */
export type HostFirewallRequest = Pick<ReadHostFirewallOptions, 'udpPorts' | 'tcpPorts' | 'family' | 'localAddress'>;

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
	return reader
		? reader(request)
		: notRead(`This host's firewall was not read: fwcheck reads it on Linux and Windows only (not on ${platform}).`);
};
