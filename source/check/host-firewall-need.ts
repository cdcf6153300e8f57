// When a check needs this host's firewall. It is read to say whether this machine is what blocks
// a port or service that failed; a check where nothing failed never needs it, and reading it
// (a worker thread, nft, iptables-save) competes with the sweep for the host's cores. So the
// read starts at the first sign of a failure in the sweep's events, or at the end when the report
// has one that no event showed. Busy ports are no such failure: another program holds them, so
// they were not checked.
import {english} from '../catalog/index.js';
import type {HostFirewallReport} from '../system/host-firewall.js';
import type {CheckReport, ServiceStatus, SweepEvent} from './types.js';

const failed = (checks: ReadonlyArray<{status: ServiceStatus | 'busy'; alg?: boolean}>): boolean =>
	checks.some(check => check.status === 'fail' || check.alg === true);

/** The service checks (SIP ALG, SIP service, TCP ports) of an event or a report. */
const serviceChecks = ({sip, sipService, tcp}: Pick<CheckReport, 'sip' | 'sipService' | 'tcp'>) => [
	...(sip ? [sip.udp, sip.tcp] : []),
	...(sipService ? [sipService.udp, sipService.tcp] : []),
	...(tcp ?? []),
];

/** Whether this event is the first sign of a failure this host's firewall may explain. */
export const eventShowsFailure = (event: SweepEvent): boolean => {
	switch (event.type) {
		case 'test3-port': {
			return event.outcome === 'fail';
		}

		case 'confirming': {
			return event.ports.length > 0;
		}

		case 'port-finished': {
			return event.result.status === 'fail';
		}

		case 'services-finished': {
			return failed(serviceChecks(event));
		}

		default: {
			return false;
		}
	}
};

/**
 * Whether the finished check needs the firewall read: a port or a service check failed, or no
 * server could be used (then no port was checked, and this host may be what stops the requests).
 */
export const reportNeedsHostFirewall = (report: CheckReport): boolean =>
	report.status === 'error' || failed(report.ports) || failed(serviceChecks(report));

/** The report's part when the firewall was not read because nothing failed. */
export const hostFirewallNotNeeded = (report: CheckReport): HostFirewallReport => ({
	checked: false,
	tool: null,
	note: report.status === 'cancelled' ? english.notes.firewallNotNeededCancelled : english.notes.firewallNotNeeded,
	ranges: [],
	fixes: [],
	runs: [],
});

const notNeededNotes: ReadonlySet<string> = new Set([english.notes.firewallNotNeeded, english.notes.firewallNotNeededCancelled]);

/** Whether `findings` say the firewall was not read because nothing failed (a re-run's, say). */
export const readNotNeeded = (findings: HostFirewallReport | undefined): boolean =>
	findings?.checked === false && notNeededNotes.has(findings.note);
