// Which program held each checked port during the check, for the Windows Firewall's rules that are
// limited to one program: the owner the OS named for a busy port, fwcheck itself for every port it
// bound (the check's own packets are what those rules met).
import type {PortHolders} from '../host-firewall/windows-decide.js';
import type {PortOwner} from '../system/port-owner.js';
import type {CheckReport} from './types.js';

/** An owner's executable as tasklist names it; null when the OS named none. */
const nameOf = (owner: PortOwner | null | undefined): string | null => (owner?.name ? owner.name : null);

/**
 * The holder of each port the check is about, from its report. Null (not known) for a busy port
 * whose owner has no name, and for a port the check never reached (cancelled, skipped).
 */
export const portHolders =
	(report: CheckReport, ownProgram: string): PortHolders =>
	(protocol, port) => {
		const sip = report.sipService?.port === port ? report.sipService : undefined;
		if (sip?.held) return nameOf(sip.process);
		if (protocol === 'udp') {
			const result = report.ports.find(item => item.port === port);
			if (result) {
				if (result.status === 'busy') return nameOf(result.owner);
				return result.status === 'skipped' ? null : ownProgram;
			}

			return sip ? ownProgram : null;
		}

		const tcp = report.tcp?.find(item => item.port === port);
		if (tcp) {
			if (tcp.status === 'busy') return nameOf(tcp.process);
			return tcp.status === 'skipped' ? null : ownProgram;
		}

		return sip ? ownProgram : null;
	};
