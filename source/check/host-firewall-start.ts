// Whether and how a check reads this host's firewall: the family its packets use, and the reader
// the command line hands the view. The read itself waits for a failure (host-firewall-need.ts):
// a check where everything passes never needs it. The modules that read it load here, at the
// first request, not with the engine.
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
 * This host's rules read for each request, their programs run by `run` (a worker thread's, so that
 * loading execa and forking hold up no round trip of the sweep). Nothing runs before a request;
 * every request (the check's, `r`, a watch round) reads the rules again: the admin may just have
 * opened the ports this host blocked. Never rejects: a reading that fails is the note.
 */
export const hostFirewallReader =
	(config: CheckConfig, run?: Runner): HostFirewallReader =>
	async request => {
		const module = await import('../system/this-host-firewall.js');
		return module.startReadingThisHostFirewall({family: hostFirewallFamily(config), run})(request);
	};
