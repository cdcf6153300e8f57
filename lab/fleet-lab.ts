// The fleet lab: three PBX sites, each a PBX behind its own router, and a controller that reaches
// every PBX over SSH, as Ansible does. Same prefix and lock as the main lab (never at once).
//
//   ctl m1 10.99.1.1 ── mgmt0 10.99.1.2 pbx1 192.168.77.10 ── rtr1 203.0.113.1 ── srv1 203.0.113.30,.31
//   ctl m2 10.99.2.1 ── mgmt0 10.99.2.2 pbx2 ...           ── rtr2 ...          ── srv2 ...
//   ctl m3 10.99.3.1 ── mgmt0 10.99.3.2 pbx3 ...           ── rtr3 ...          ── srv3 ...
//
// Each site has its own "internet" (a veth from its router to its own `fwcheck serve`), so the
// router scenarios of lab/scenarios.ts, written for one public address, apply unchanged to each.
// The management links carry SSH only; the check's traffic takes the PBX's default route.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, rmSync, rmdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ADDR, IF, PREFIX, STUN_PORT} from './addresses.js';
import {newRunDir, onEmergency, releaseLock, takeLock} from './lifecycle.js';
import {destroyLabSync, nsRun, run, which} from './netns.js';
import {type LabProcess, spawnInNs} from './process.js';
import {FULL_CONE_TABLE, type RouterScenario, nftDocument, restoreDocument, routerRules} from './scenarios.js';

export const FLEET_TOOLS = [
	'ip',
	'iptables-restore',
	'nft',
	'conntrack',
	'sysctl',
	'sshd',
	'ssh-keygen',
	'ss',
	'unshare',
	'nsenter',
	'ansible-playbook',
];

export interface FleetSite {
	/** The inventory name: what the merged table calls this PBX. */
	name: string;
	router: RouterScenario;
}

export interface FleetSiteNs {
	pbx: string;
	rtr: string;
	srv: string;
	/** The PBX's address on its management link, where its sshd listens. */
	sshAddress: string;
}

export const FLEET_CTL = `${PREFIX}f-ctl`;

/** Our own `fwcheck serve` at every site, on the main lab's addresses for it. */
export const FLEET_STUN = ADDR.own[0];

export const fleetSiteNs = (index: number): FleetSiteNs => ({
	pbx: `${PREFIX}f-pbx${index + 1}`,
	rtr: `${PREFIX}f-rtr${index + 1}`,
	srv: `${PREFIX}f-srv${index + 1}`,
	sshAddress: `10.99.${index + 1}.2`,
});

/** `ip` argument lists; every veth is made with both ends already in their namespaces. */
export function fleetTopologyCommands(sites: number): string[][] {
	const cmds: string[][] = [
		['netns', 'add', FLEET_CTL],
		['-n', FLEET_CTL, 'link', 'set', 'lo', 'up'],
	];
	const addr = (ns: string, dev: string, cidr: string): string[] => ['-n', ns, 'addr', 'add', cidr, 'dev', dev];
	const up = (ns: string, dev: string): string[] => ['-n', ns, 'link', 'set', dev, 'up'];
	for (let index = 0; index < sites; index++) {
		const {pbx, rtr, srv, sshAddress} = fleetSiteNs(index);
		const management = `m${index + 1}`;
		for (const ns of [pbx, rtr, srv]) cmds.push(['netns', 'add', ns], up(ns, 'lo'));
		cmds.push(
			['link', 'add', IF.lan, 'netns', pbx, 'type', 'veth', 'peer', 'name', IF.lan, 'netns', rtr],
			['link', 'add', IF.wan, 'netns', rtr, 'type', 'veth', 'peer', 'name', IF.host, 'netns', srv],
			['link', 'add', management, 'netns', FLEET_CTL, 'type', 'veth', 'peer', 'name', 'mgmt0', 'netns', pbx],
			addr(pbx, IF.lan, `${ADDR.pbx}/${ADDR.lanPrefix}`),
			up(pbx, IF.lan),
			['-n', pbx, 'route', 'add', 'default', 'via', ADDR.routerLan],
			addr(pbx, 'mgmt0', `${sshAddress}/24`),
			up(pbx, 'mgmt0'),
			addr(FLEET_CTL, management, `10.99.${index + 1}.1/24`),
			up(FLEET_CTL, management),
			addr(rtr, IF.lan, `${ADDR.routerLan}/${ADDR.lanPrefix}`),
			addr(rtr, IF.wan, `${ADDR.publicIp}/${ADDR.wanPrefix}`),
			up(rtr, IF.lan),
			up(rtr, IF.wan),
			...ADDR.own.map(address => addr(srv, IF.host, `${address}/${ADDR.wanPrefix}`)),
			up(srv, IF.host),
		);
	}

	return cmds;
}

/** sshd's own config for one PBX: key login as root, on the management address only. */
export function sshdConfig(options: {address: string; hostKey: string; authorizedKeys: string; pidFile: string}): string {
	return [
		`ListenAddress ${options.address}`,
		'Port 22',
		`HostKey ${options.hostKey}`,
		`AuthorizedKeysFile ${options.authorizedKeys}`,
		`PidFile ${options.pidFile}`,
		'PermitRootLogin prohibit-password',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		// The keys live in a temp dir whose owner and modes sshd would otherwise refuse.
		'StrictModes no',
		// No PAM session: nothing of the host's login stack runs for the lab.
		'UsePAM no',
		// Ansible copies files over SFTP.
		'Subsystem sftp internal-sftp',
		'',
	].join('\n');
}

export interface FleetLab {
	/** Keys, configs, logs; removed at teardown unless FWL_LAB_KEEP=1. */
	readonly runDir: string;
	readonly sites: ReadonlyArray<FleetSite & FleetSiteNs>;
	/** The client key that every PBX's sshd accepts for root. */
	readonly privateKey: string;
	/** A command in the controller's namespace. */
	controller(
		file: string,
		args: readonly string[],
		options?: {env?: Record<string, string>; timeoutMs?: number; cwd?: string},
	): ReturnType<typeof nsRun>;
	teardown(): Promise<void>;
}

const FWCHECK_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Debian's sshd needs its privilege separation directory; made here only when missing. */
const PRIVSEP_DIR = '/run/sshd';

export function fleetLabSupport(): {ok: true} | {ok: false; reason: string} {
	if (process.platform !== 'linux') return {ok: false, reason: `needs Linux network namespaces (platform ${process.platform})`};
	if (process.getuid?.() !== 0) return {ok: false, reason: 'needs root (network namespaces, sshd)'};
	const missing = FLEET_TOOLS.filter(tool => !which(tool));
	if (missing.length > 0) {
		return {
			ok: false,
			reason: `missing tools: ${missing.join(', ')} (apt-get install iproute2 iptables nftables conntrack openssh-server ansible-core)`,
		};
	}

	if (!existsSync(FWCHECK_CLI)) return {ok: false, reason: `${FWCHECK_CLI} missing: run \`npm run build\` first`};
	return {ok: true};
}

export async function createFleetLab(sites: FleetSite[]): Promise<FleetLab> {
	takeLock();
	const runDir = newRunDir();
	const processes: LabProcess[] = [];
	const madePrivsep = !existsSync(PRIVSEP_DIR);
	const utsFiles: string[] = [];
	let tornDown = false;
	const teardownSync = (): void => {
		if (tornDown) return;
		tornDown = true;
		// Kills every process left in our namespaces (the sshds, the servers, a stuck playbook).
		destroyLabSync();
		for (const file of utsFiles) spawnSync('umount', [file], {stdio: 'ignore', timeout: 5000});
		if (process.env.FWL_LAB_KEEP !== '1') rmSync(runDir, {recursive: true, force: true});
		if (madePrivsep) {
			try {
				rmdirSync(PRIVSEP_DIR);
			} catch {
				// not empty (another sshd started meanwhile) or gone: leave it
			}
		}

		undoEmergency();
		releaseLock();
	};

	const undoEmergency = onEmergency(teardownSync);
	try {
		destroyLabSync(); // whatever a crashed run left behind
		for (const cmd of fleetTopologyCommands(sites.length)) await run('ip', cmd);
		const placed = sites.map((site, index) => ({...site, ...fleetSiteNs(index)}));
		const noV6 = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
		for (const ns of [FLEET_CTL, ...placed.flatMap(site => [site.pbx, site.rtr, site.srv])]) {
			await nsRun(ns, 'sysctl', ['-qw', ...noV6]);
		}

		const keys = path.join(runDir, 'ssh');
		mkdirSync(keys, {recursive: true});
		const privateKey = path.join(keys, 'controller');
		await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'fwcheck-fleet-lab', '-f', privateKey]);
		await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(keys, 'host')]);
		await run('cp', [`${privateKey}.pub`, path.join(keys, 'authorized_keys')]);
		if (madePrivsep) mkdirSync(PRIVSEP_DIR, {mode: 0o755});

		for (const site of placed) {
			await nsRun(site.rtr, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
			await nsRun(site.rtr, 'iptables-restore', [], {input: restoreDocument(routerRules(site.router))});
			await nsRun(site.rtr, 'nft', ['delete', 'table', 'ip', FULL_CONE_TABLE], {reject: false});
			const nft = nftDocument(site.router);
			if (nft) await nsRun(site.rtr, 'nft', ['-f', '-'], {input: nft});
			const serve = [FWCHECK_CLI, 'serve', '--primary', ADDR.own[0], '--alternate', ADDR.own[1], '--port', String(STUN_PORT)];
			processes.push(
				spawnInNs(site.srv, process.execPath, serve, {name: `serve@${site.srv}`, logFile: path.join(runDir, `${site.srv}.log`)}),
			);
			const config = path.join(runDir, `sshd-${site.pbx}.conf`);
			writeFileSync(
				config,
				sshdConfig({
					address: site.sshAddress,
					hostKey: path.join(keys, 'host'),
					authorizedKeys: path.join(keys, 'authorized_keys'),
					pidFile: path.join(runDir, `sshd-${site.pbx}.pid`),
				}),
			);
			// Each PBX its own host name, as in a real fleet: the report's "host", the merged table's
			// first column. A UTS namespace kept by a bind mount on a file, entered for sshd.
			const uts = path.join(runDir, `uts-${site.pbx}`);
			writeFileSync(uts, '');
			utsFiles.push(uts);
			await run('unshare', [`--uts=${uts}`, 'hostname', site.name]);
			processes.push(
				spawnInNs(site.pbx, 'nsenter', [`--uts=${uts}`, which('sshd')!, '-D', '-e', '-f', config], {
					name: `sshd@${site.pbx}`,
					logFile: path.join(runDir, `sshd-${site.pbx}.log`),
				}),
			);
		}

		for (const site of placed) {
			await listening(site.pbx, 'tcp', `${site.sshAddress}:22`);
			await listening(site.srv, 'udp', `${ADDR.own[0]}:${STUN_PORT}`);
		}

		return {
			runDir,
			sites: placed,
			privateKey,
			controller: async (file, args, options = {}) =>
				nsRun(FLEET_CTL, file, args, {reject: false, timeoutMs: options.timeoutMs ?? 300_000, ...options}),
			async teardown() {
				await Promise.race([
					Promise.all(processes.map(async proc => proc.stop(1000))),
					new Promise(resolve => setTimeout(resolve, 3000)),
				]);
				teardownSync();
			},
		};
	} catch (error) {
		teardownSync();
		throw error;
	}
}

/** Waits, bounded (5 s), until something in `ns` listens on `address` (ss's "ip:port"). */
async function listening(ns: string, protocol: 'tcp' | 'udp', address: string): Promise<void> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const sockets = await nsRun(ns, 'ss', ['-Hln', protocol === 'tcp' ? '-t' : '-u'], {reject: false});
		if (sockets.stdout.split('\n').some(line => line.includes(` ${address} `))) return;
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	throw new Error(`nothing listens on ${protocol} ${address} in ${ns} after 5 s`);
}
