// This host's firewall read from the start of a check. Its commands need neither the ports nor the
// address the sweep learns, so they run while the engine's modules load and the sweep goes on;
// only the decision waits for those. The modules that read it load here, not with the engine.
import {isIP} from 'node:net';
import type {Runner} from '../system/run-command.js';
import type {HostFirewallReader} from '../system/this-host-firewall.js';
import {checksAcrossNetwork} from './across-network.js';
import type {CheckConfig} from './types.js';

/** The family the check's packets use, and so the rules that see them (iptables or ip6tables). */
export const hostFirewallFamily = (config: CheckConfig): 'ipv4' | 'ipv6' =>
	[config.bindAddress, config.servers[0]?.host].some(host => host !== undefined && isIP(host) === 6) ? 'ipv6' : 'ipv4';

/** Whether the check reads this host's firewall: not with --no-host-firewall, not across loopback. */
export const wantsHostFirewall = (config: CheckConfig, enabled: boolean): boolean => enabled && checksAcrossNetwork(config);

/**
 * Start reading this host's rules now, their programs run by `run` (a worker thread's, so that
 * loading execa and forking hold up no round trip of the sweep); the reader returned decides the
 * check's request through them once it comes. A later request (`r`, a watch round) reads the
 * rules again: the admin may just have opened the ports this host blocked. Never rejects: a
 * reading that fails is the note.
 */
export const startHostFirewallRead = (config: CheckConfig, run?: Runner): HostFirewallReader => {
	const startReading = async () =>
		import('../system/this-host-firewall.js').then(module =>
			module.startReadingThisHostFirewall({family: hostFirewallFamily(config), run}),
		);
	let early: ReturnType<typeof startReading> | undefined = startReading();
	return async request => {
		const reading = early ?? startReading();
		early = undefined;
		return (await reading)(request);
	};
};
