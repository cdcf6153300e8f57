// This host's own firewall, read beside the sweep once a port or service fails (host-firewall-need.ts
// says when): the decision waits for the address the sweep learns (its interface is where packets
// arrive), and the sweep's 'done' is held until the reading is in, so every output gets one
// report. A check where nothing failed reads nothing, and says so. Reading never fails the check.
import process from 'node:process';
import type {PortHolders} from '../host-firewall/windows-decide.js';
import type {HostFirewallReport, OutboundRequest} from '../system/host-firewall.js';
import type {HostFirewallReader} from '../system/this-host-firewall.js';
import {realEnvironment} from './environment.js';
import {eventShowsFailure, hostFirewallNotNeeded, reportNeedsHostFirewall} from './host-firewall-need.js';
import {hostFirewallFamily, wantsHostFirewall} from './host-firewall-start.js';
import {outboundRequest} from './outbound-request.js';
import {portHolders} from './port-holders.js';
import type {SweepRunner} from './sweep.js';
import type {CheckConfig, CheckReport, SweepEvent} from './types.js';

export interface HostFirewallViewOptions {
	/** False with --no-host-firewall. */
	enabled: boolean;
	/** The reader the command line made (hostFirewallReader, on a worker thread); else the environment's. */
	read?: HostFirewallReader;
	/** The executable this check runs as (the holder of every port it binds); process.execPath unless a test says. */
	ownProgram?: string;
}

/** The ports the check is about, per protocol: the swept UDP ports, the --tcp ports and the SIP port over both. */
export const hostFirewallPorts = (config: CheckConfig): {udpPorts: number[]; tcpPorts: number[]} => {
	const sip = config.services?.sip ? [config.services.sipPort] : [];
	return {
		udpPorts: [...new Set([...config.ports, ...sip])],
		tcpPorts: [...new Set([...(config.services?.tcp ?? []), ...sip])],
	};
};

export const withHostFirewall =
	(run: SweepRunner, options: HostFirewallViewOptions): SweepRunner =>
	async (config, sweepOptions) => {
		const read = options.read ?? (sweepOptions.environment ?? realEnvironment).hostFirewall;
		// Across loopback nothing arrives from the internet: the inbound rules say nothing about it.
		if (!read || !wantsHostFirewall(config, options.enabled)) return run(config, sweepOptions);
		let setLocal: (address: string | null) => void = () => undefined;
		const localAddress = new Promise<string | null>(resolve => (setLocal = resolve));
		if (config.bindAddress) setLocal(config.bindAddress);
		// Windows' program rules need who held each port: known from the report, once the sweep is done.
		let setHolders: (holders: PortHolders) => void = () => undefined;
		const holders = new Promise<PortHolders>(resolve => (setHolders = resolve));
		// The ports whose Test 1 failed are decided outbound too: known from the report, like the holders.
		let setOutbound: (request: OutboundRequest | null) => void = () => undefined;
		const outbound = new Promise<OutboundRequest | null>(resolve => (setOutbound = resolve));
		const request = {...hostFirewallPorts(config), family: hostFirewallFamily(config), localAddress, holders, outbound};
		let reading: Promise<HostFirewallReport | undefined> | undefined;
		const startReading = () => {
			reading ??= read(request).then(
				report => report,
				() => undefined, // never the check's failure: the report just lacks the firewall
			);
		};

		let held: SweepEvent | undefined;
		const report = await run(config, {
			...sweepOptions,
			onEvent(event) {
				if (event.type === 'server-ready') setLocal(event.localAddress);
				if (eventShowsFailure(event)) startReading();
				if (event.type === 'done') held = event;
				else sweepOptions.onEvent(event);
			},
		});
		if (reportNeedsHostFirewall(report)) startReading();
		setLocal(report.localAddress);
		setHolders(portHolders(report, options.ownProgram ?? process.execPath));
		setOutbound(outboundRequest(report));
		const hostFirewall = reading ? await reading : hostFirewallNotNeeded(report);
		const full: CheckReport = hostFirewall ? {...report, hostFirewall} : report;
		if (held) sweepOptions.onEvent({type: 'done', report: full});
		return full;
	};
