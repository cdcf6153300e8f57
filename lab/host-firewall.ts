// The PBX's own firewall as a lab scenario: real nftables, iptables-legacy and ufw rules inside
// the PBX namespace, so fwcheck finds this machine in the way while the router forwards
// everything. Each namespace has its own ruleset; ufw also keeps files in /etc/ufw, which every
// namespace shares, so it runs in a private mount namespace over a copy (the machine's own
// configuration is never touched).
import type {Lab} from './lab.js';

export type HostFirewallScenario =
	/** nftables, input policy accept, UDP 9500-9599 dropped. */
	| {kind: 'nft-drop-range'}
	/** nftables, input policy drop, only UDP 9000-9999 accepted (and replies). */
	| {kind: 'nft-policy-drop'}
	/** iptables-legacy rejecting UDP 9500-9599. */
	| {kind: 'iptables-legacy-reject'}
	/** ufw itself: default deny incoming, UDP 9000-9499 allowed, 9500-9599 denied. */
	| {kind: 'ufw'}
	/** nftables, output policy accept, UDP leaving from 9500-9509 dropped: their Test 1 fails. */
	| {kind: 'nft-drop-out'}
	/** iptables-legacy dropping UDP leaving from 9500-9509 in OUTPUT. */
	| {kind: 'iptables-legacy-drop-out'};

const nftDropRange = `
table inet pbxfw {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 9500-9599 counter drop
	}
}
`;

const nftPolicyDrop = `
table inet pbxfw {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related accept
		iifname "lo" accept
		udp dport 9000-9999 accept
	}
}
`;

const nftDropOut = `
table inet pbxfw {
	chain output {
		type filter hook output priority 0; policy accept;
		udp sport 9500-9509 counter drop
	}
}
`;

// A shell script, run with `sh -c` and fixed text only: ufw needs its files in place, and a
// tmpfs over /etc/ufw exists only in the mount namespace `unshare -m` gives this one process.
const ufwScript = [
	'set -e',
	'copy=$(mktemp -d)',
	'cp -a /etc/ufw/. "$copy"/',
	'mount -t tmpfs tmpfs /etc/ufw',
	'cp -a "$copy"/. /etc/ufw/',
	'rm -rf "$copy"',
	'ufw --force reset >/dev/null',
	'ufw default deny incoming >/dev/null',
	'ufw allow 9000:9499/udp >/dev/null',
	'ufw deny 9500:9599/udp >/dev/null',
	'ufw allow 3478/udp >/dev/null',
	'ufw --force enable >/dev/null',
].join('\n');

/** Put the scenario's firewall on the PBX (after `clearHostFirewall`, which it runs first). */
export async function setHostFirewall(lab: Lab, scenario: HostFirewallScenario): Promise<void> {
	await clearHostFirewall(lab);
	switch (scenario.kind) {
		case 'nft-drop-range': {
			await lab.exec('pbx', 'nft', ['-f', '-'], {input: nftDropRange});
			break;
		}

		case 'nft-policy-drop': {
			await lab.exec('pbx', 'nft', ['-f', '-'], {input: nftPolicyDrop});
			break;
		}

		case 'iptables-legacy-reject': {
			await lab.exec('pbx', 'iptables-legacy', [
				'-A',
				'INPUT',
				'-p',
				'udp',
				'--dport',
				'9500:9599',
				'-j',
				'REJECT',
				'--reject-with',
				'icmp-port-unreachable',
			]);
			break;
		}

		case 'nft-drop-out': {
			await lab.exec('pbx', 'nft', ['-f', '-'], {input: nftDropOut});
			break;
		}

		case 'iptables-legacy-drop-out': {
			await lab.exec('pbx', 'iptables-legacy', ['-A', 'OUTPUT', '-p', 'udp', '--sport', '9500:9509', '-j', 'DROP']);
			break;
		}

		case 'ufw': {
			await lab.exec('pbx', 'unshare', ['-m', '--propagation', 'private', 'sh', '-c', ufwScript], {timeoutMs: 30_000});
			break;
		}
	}
}

/** Every rule of every backend on the PBX gone: the lab's PBX has no firewall of its own. */
export async function clearHostFirewall(lab: Lab): Promise<void> {
	await lab.exec('pbx', 'nft', ['flush', 'ruleset'], {reject: false});
	for (const program of ['iptables-legacy', 'ip6tables-legacy']) {
		await lab.exec('pbx', program, ['-F'], {reject: false});
		await lab.exec('pbx', program, ['-X'], {reject: false});
		await lab.exec('pbx', program, ['-P', 'INPUT', 'ACCEPT'], {reject: false});
		await lab.exec('pbx', program, ['-P', 'OUTPUT', 'ACCEPT'], {reject: false});
	}
}

/** The PBX's ruleset as text, to show that reading it changed nothing. */
export async function hostRuleset(lab: Lab): Promise<string> {
	// Stateless (-s): counters count the check's own packets; they are traffic, not rules.
	const nft = await lab.exec('pbx', 'nft', ['-s', 'list', 'ruleset'], {reject: false});
	const legacy = await lab.exec('pbx', 'iptables-legacy-save', [], {reject: false});
	// iptables-save stamps the time it ran and each chain's counters: compare the rules only.
	return `${nft.stdout}\n${legacy.stdout.replaceAll(/^#.*$/gm, '').replaceAll(/\[\d+:\d+\]/g, '[]')}`;
}
