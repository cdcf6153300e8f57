/**
 * The router lab (root only): a PBX behind a real miniupnpd router (nftables backend, NAT-PMP, PCP,
 * UPnP IGD) in three topologies (router-topology.ts): at the edge, behind an ISP modem (double
 * NAT), behind a carrier-grade NAT. coturn stands on the "internet". One topology at a time, built
 * fresh, in namespaces named `<prefix>u-*`; it shares the main lab's lock (one lab per prefix).
 *
 *   const lab = await createRouterLab({topology: 'edge'});
 *   try { await lab.seedMappings(); ... } finally { await lab.teardown(); }
 *
 * Reference clients: upnpcList()/upnpcExternalIp() (miniupnpc), natpmpcPublicAddress() (natpmpc).
 * resetRouter() stops miniupnpd, flushes its chains and conntrack and starts it again: it leaves
 * its rules behind otherwise.
 */
import {rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {STUN_PORT} from './addresses.js';
import {newRunDir, onEmergency, releaseLock, takeLock} from './lifecycle.js';
import {destroyLabSync, nsRun, run, which} from './netns.js';
import type {RunOptions, RunResult} from './netns.js';
import {spawnInNs} from './process.js';
import type {LabProcess} from './process.js';
import {MINIUPNPD_CHAINS, miniupnpdConfig, natRuleset, RADDR, RNS, routerTopologyCommands} from './router-topology.js';
import type {RouterLabNs, RouterTopology} from './router-topology.js';
import {coturnArgs} from './servers.js';
import {BIN} from './tools.js';

export * from './router-topology.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const PCP_MAP_BIN = fileURLToPath(new URL('bin/pcp-map.mjs', import.meta.url));
const VIEW_BIN = fileURLToPath(new URL('bin/router-view.ts', import.meta.url));
const CLI = path.join(REPO, 'dist', 'cli.js');
export const ROUTER_LAB_TOOLS = ['ip', 'nft', 'conntrack', 'sysctl', 'miniupnpd', 'upnpc', 'natpmpc', 'turnserver', 'tracepath'];

export function routerLabSupport(): {ok: true} | {ok: false; reason: string} {
	if (process.platform !== 'linux') return {ok: false, reason: `needs Linux network namespaces (platform ${process.platform})`};
	if (process.getuid?.() !== 0) return {ok: false, reason: 'needs root (network namespaces, nftables)'};
	const missing = ROUTER_LAB_TOOLS.filter(tool => !which(tool));
	if (missing.length > 0) {
		return {
			ok: false,
			reason: `missing tools: ${missing.join(', ')} (apt-get install miniupnpd miniupnpc natpmpc nftables iputils-tracepath coturn conntrack)`,
		};
	}

	return {ok: true};
}

export interface UpnpcMapping {
	protocol: string;
	externalPort: number;
	internalHost: string;
	internalPort: number;
	description: string;
}

/** `upnpc -l` rows: " 1 UDP  9500->192.168.77.50:9500  'libminiupnpc' '' 604798". */
export function parseUpnpcList(text: string): UpnpcMapping[] {
	const rows: UpnpcMapping[] = [];
	for (const line of text.split('\n')) {
		const match = /^\s*\d+\s+(UDP|TCP)\s+(\d+)->([\d.]+):(\d+)\s+'([^']*)'/.exec(line);
		if (match) {
			rows.push({
				protocol: match[1]!,
				externalPort: Number(match[2]),
				internalHost: match[3]!,
				internalPort: Number(match[4]),
				description: match[5]!,
			});
		}
	}

	return rows;
}

export interface RouterLab {
	readonly topology: RouterTopology;
	readonly runDir: string;
	exec(ns: RouterLabNs, file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
	/** Edge: UPnP (two, one to another LAN host), NAT-PMP and PCP mappings for ports 9000-9003. */
	seedMappings(): Promise<void>;
	upnpcList(): Promise<UpnpcMapping[]>;
	upnpcExternalIp(): Promise<string | undefined>;
	natpmpcPublicAddress(): Promise<{address: string | undefined; output: string}>;
	/** The router's nftables ruleset (miniupnpd's chains included), for before/after comparisons. */
	routerRules(): Promise<string>;
	resetRouter(): Promise<void>;
	/** lab/bin/router-view.ts in the PBX namespace: fwcheck's router view, hops and path. */
	runView(options?: {mapped?: string; probeMapPort?: number; hairpinPort?: number}): Promise<unknown>;
	/** Edge: let the router hairpin UDP `port` for LAN hosts (DNAT on the LAN side, masquerade back). */
	enableHairpin(port: number): Promise<void>;
	/** `node dist/cli.js ...args` in the PBX namespace (JSON parsed when it parses). */
	runFwcheck(args: readonly string[], options?: {timeoutMs?: number}): Promise<RunResult & {json: unknown}>;
	/** A STUN Binding from the PBX (lab/bin/stun-probe.mjs), optionally from a given port. */
	stunFromPbx(options?: {port?: number; change?: 'none' | 'both'}): Promise<{ok: boolean; from?: string; mapped?: string}>;
	teardown(): Promise<void>;
}

export async function createRouterLab(options: {topology: RouterTopology; miniupnpdStun?: boolean}): Promise<RouterLab> {
	const support = routerLabSupport();
	if (!support.ok) throw new Error(`router lab unavailable: ${support.reason}`);
	takeLock();
	const lab = new RouterLabImpl(options.topology, options.miniupnpdStun ?? false, newRunDir());
	try {
		destroyLabSync(); // whatever a crashed run left behind
		await lab.build();
		return lab;
	} catch (error) {
		await lab.teardown();
		throw error;
	}
}

class RouterLabImpl implements RouterLab {
	private readonly processes = new Set<LabProcess>();
	private miniupnpd: LabProcess | undefined;
	private tornDown = false;
	private readonly undoEmergency: () => void;

	constructor(
		readonly topology: RouterTopology,
		private readonly miniupnpdStun: boolean,
		readonly runDir: string,
	) {
		this.undoEmergency = onEmergency(() => this.teardownSync());
	}

	exec(ns: RouterLabNs, file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
		return nsRun(RNS[ns], file, args, options);
	}

	async build(): Promise<void> {
		for (const cmd of routerTopologyCommands(this.topology)) await run('ip', cmd);
		const boxes: RouterLabNs[] = this.topology === 'edge' ? ['rtr'] : ['rtr', 'out'];
		for (const box of boxes) {
			await this.exec(box, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
			await this.exec(box, 'nft', ['-f', '-'], {input: natRuleset(box === 'rtr', box === 'rtr' ? 'lan0' : 'lan1')});
		}

		this.start('srv', 'coturn', 'turnserver', coturnArgs(RADDR.coturn[0], RADDR.coturn[1], STUN_PORT, this.runDir));
		const answered = await this.waitFor(async () => (await this.stunFromPbx()).ok, 5000);
		if (!answered) throw new Error('coturn did not answer the PBX within 5 s');
		await this.startMiniupnpd();
	}

	private start(ns: RouterLabNs, name: string, file: string, args: string[]): LabProcess {
		const proc = spawnInNs(RNS[ns], file, args, {name, logFile: path.join(this.runDir, `${name}.log`), timeoutMs: 900_000});
		this.processes.add(proc);
		void proc.exited.then(() => this.processes.delete(proc));
		return proc;
	}

	private async waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (await check()) return true;
			await new Promise(resolve => setTimeout(resolve, 100));
		}

		return false;
	}

	private async startMiniupnpd(): Promise<void> {
		const config = path.join(this.runDir, 'miniupnpd.conf');
		writeFileSync(config, miniupnpdConfig(this.runDir, {stun: this.miniupnpdStun}));
		const proc = this.start('rtr', 'miniupnpd', 'miniupnpd', ['-d', '-f', config, '-P', path.join(this.runDir, 'miniupnpd.pid')]);
		this.miniupnpd = proc;
		// With its STUN option, miniupnpd first spends up to ~12 s on a NAT type test.
		const ready = await this.waitFor(
			async () => /Listening for NAT-PMP\/PCP/.test(await proc.log()),
			this.miniupnpdStun ? 20_000 : 5000,
		);
		if (!ready) throw new Error(`miniupnpd did not start:\n${await proc.log()}`);
	}

	async seedMappings(): Promise<void> {
		const upnpc = async (host: string, port: number, description: string): Promise<void> => {
			const r = await this.exec('pbx', 'upnpc', ['-e', description, '-a', host, String(port), String(port), 'UDP'], {
				reject: false,
			});
			if (!/is redirected to internal/.test(r.stdout)) throw new Error(`upnpc -a ${host} ${port}: ${r.stdout}${r.stderr}`);
		};

		await upnpc(RADDR.pbx, 9000, 'fwcheck lab pbx');
		await upnpc(RADDR.otherLanHost, 9001, 'old pbx');
		const pmp = await this.exec('pbx', 'natpmpc', ['-g', RADDR.routerLan, '-a', '9002', '9002', 'udp', '3600'], {reject: false});
		if (!/Mapped public port 9002/.test(pmp.stdout)) throw new Error(`natpmpc -a 9002: ${pmp.stdout}${pmp.stderr}`);
		const pcp = await this.exec('pbx', process.execPath, [
			PCP_MAP_BIN,
			'--gateway',
			RADDR.routerLan,
			'--client',
			RADDR.pbx,
			'--port',
			'9003',
		]);
		const answer = JSON.parse(pcp.stdout.trim()) as {ok: boolean; result?: number};
		if (!answer.ok || answer.result !== 0) throw new Error(`PCP MAP 9003: ${pcp.stdout}`);
	}

	async upnpcList(): Promise<UpnpcMapping[]> {
		return parseUpnpcList((await this.exec('pbx', 'upnpc', ['-l'], {reject: false})).stdout);
	}

	async upnpcExternalIp(): Promise<string | undefined> {
		const out = (await this.exec('pbx', 'upnpc', ['-s'], {reject: false})).stdout;
		return /ExternalIPAddress = ([\d.]+)/.exec(out)?.[1];
	}

	async natpmpcPublicAddress(): Promise<{address: string | undefined; output: string}> {
		const r = await this.exec('pbx', 'natpmpc', ['-g', RADDR.routerLan], {reject: false});
		return {address: /Public IP address : ([\d.]+)/.exec(r.stdout)?.[1], output: r.stdout + r.stderr};
	}

	async routerRules(): Promise<string> {
		return (await this.exec('rtr', 'nft', ['list', 'ruleset'])).stdout;
	}

	async resetRouter(): Promise<void> {
		await this.miniupnpd?.stop(2000);
		for (const [table, chain] of MINIUPNPD_CHAINS) await this.exec('rtr', 'nft', ['flush', 'chain', 'inet', table, chain]);
		for (const box of this.topology === 'edge' ? (['rtr'] as const) : (['rtr', 'out'] as const)) {
			await this.exec(box, 'conntrack', ['-F'], {reject: false});
		}

		rmSync(path.join(this.runDir, 'miniupnpd.leases'), {force: true});
		await this.startMiniupnpd();
	}

	async enableHairpin(port: number): Promise<void> {
		const rules = [
			`add rule inet lab_filter forward iifname "lan0" oifname "lan0" accept`,
			`add rule inet lab_nat prerouting iifname "lan0" ip daddr ${RADDR.publicIp} udp dport ${port} dnat ip to ${RADDR.pbx}`,
			`add rule inet lab_nat postrouting ip saddr 192.168.77.0/24 ip daddr ${RADDR.pbx} udp dport ${port} masquerade`,
		];
		await this.exec('rtr', 'nft', ['-f', '-'], {input: rules.join('\n') + '\n'});
	}

	async runView(options: {mapped?: string; probeMapPort?: number; hairpinPort?: number} = {}): Promise<unknown> {
		const args = ['--import', 'tsx', VIEW_BIN, '--target', RADDR.coturn[0]];
		if (options.mapped) args.push('--mapped', options.mapped);
		if (options.probeMapPort) args.push('--probe-map', String(options.probeMapPort));
		if (options.hairpinPort) args.push('--hairpin', String(options.hairpinPort));
		const r = await this.exec('pbx', process.execPath, args, {cwd: REPO, timeoutMs: 30_000});
		return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as unknown;
	}

	async runFwcheck(args: readonly string[], options: {timeoutMs?: number} = {}): Promise<RunResult & {json: unknown}> {
		const r = await this.exec('pbx', process.execPath, [CLI, ...args], {
			cwd: REPO,
			timeoutMs: options.timeoutMs ?? 120_000,
			reject: false,
			env: {NO_COLOR: '1', FORCE_COLOR: '0'},
		});
		let json: unknown;
		try {
			json = JSON.parse(r.stdout);
		} catch {
			json = undefined;
		}

		return {...r, json};
	}

	async stunFromPbx(
		options: {port?: number; change?: 'none' | 'both'} = {},
	): Promise<{ok: boolean; from?: string; mapped?: string}> {
		const args = [BIN.probe, '--server', `${RADDR.coturn[0]}:${STUN_PORT}`, '--bind', `0.0.0.0:${options.port ?? 0}`];
		args.push('--change', options.change ?? 'none', '--timeout', '300', '--tries', '3');
		const r = await this.exec('pbx', process.execPath, args, {reject: false, timeoutMs: 8000});
		try {
			const probe = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as {
				ok: boolean;
				from?: {address: string};
				attrs?: Record<string, {address: string} | undefined>;
			};
			const mapped = probe.attrs?.['XOR-MAPPED-ADDRESS'] ?? probe.attrs?.['MAPPED-ADDRESS'];
			return {ok: probe.ok, from: probe.from?.address, mapped: mapped?.address};
		} catch {
			return {ok: false};
		}
	}

	async teardown(): Promise<void> {
		if (this.tornDown) return;
		await Promise.race([
			Promise.all([...this.processes].map(proc => proc.stop(1000))),
			new Promise(resolve => setTimeout(resolve, 3000)),
		]);
		this.teardownSync();
	}

	private teardownSync(): void {
		if (this.tornDown) return;
		this.tornDown = true;
		destroyLabSync();
		if (process.env.FWL_LAB_KEEP !== '1') rmSync(this.runDir, {recursive: true, force: true});
		this.undoEmergency();
		releaseLock();
	}
}
