// Kernel UDP receive/send buffer drops in the lab's namespaces around one run: when a run was
// slow, they tell the kernel's losses from the tool's.
import type {Lab} from '../../lab/lab.js';

type UdpCounters = Record<string, number>;
type Snapshot = Record<'pbx' | 'srv', UdpCounters>;

/** The namespace's kernel UDP counters (/proc/net/snmp reflects the reader's namespace). */
async function udpCounters(lab: Lab, ns: 'pbx' | 'srv'): Promise<UdpCounters> {
	const r = await lab.exec(ns, 'cat', ['/proc/net/snmp'], {reject: false, timeoutMs: 5000});
	const [names, values] = r.stdout.split('\n').filter(line => line.startsWith('Udp:'));
	const counters: UdpCounters = {};
	if (!names || !values) return counters;
	const v = values.split(/\s+/).slice(1);
	names
		.split(/\s+/)
		.slice(1)
		.forEach((name, i) => (counters[name] = Number(v[i] ?? 0)));
	return counters;
}

export const udpSnapshot = async (lab: Lab): Promise<Snapshot> => ({
	pbx: await udpCounters(lab, 'pbx'),
	srv: await udpCounters(lab, 'srv'),
});

const UDP_ERRORS = ['RcvbufErrors', 'SndbufErrors', 'InErrors'];

/** Kernel UDP drops in the PBX and server namespaces between two snapshots. */
export function udpDropsText(before: Snapshot, after: Snapshot): string {
	const parts: string[] = [];
	for (const ns of ['pbx', 'srv'] as const) {
		const deltas = UDP_ERRORS.map(name => [name, (after[ns][name] ?? 0) - (before[ns][name] ?? 0)] as const).filter(
			([, d]) => d !== 0,
		);
		parts.push(`${ns} ${deltas.length === 0 ? 'none' : deltas.map(([name, d]) => `${name} ${d}`).join(' ')}`);
	}
	return `kernel UDP drops: ${parts.join(', ')}`;
}
