/**
 * Network lab for fwcheck's end-to-end tests: a PBX behind a Linux router, STUN servers and an
 * attacker on a small fake "internet", all in network namespaces (root needed). No traffic leaves
 * the lab: documentation/private addresses only, inside namespaces only.
 *
 *   fwl-pbx  lan0 192.168.77.10/24, default via .1 ── fwl-rtr lan0 192.168.77.1/24
 *                                                     fwl-rtr wan0 203.0.113.1/24 (public IP)
 *   fwl-inet br0 bridges rtr wan0, srv eth0 and atk eth0 (no address of its own)
 *   fwl-srv  eth0 203.0.113.10,.11 (coturn), .20,.21 (stund), .30,.31 (free), .40 (single coturn)
 *            on-link /24 only: no route to the LAN, exactly like a server on the internet
 *   fwl-atk  eth0 203.0.113.66 (sprays forged replies and garbage at the public IP)
 *   The PBX resolves the lab names in HOSTS (addresses.ts); other names fail fast.
 *
 * API (see the types below for options):
 *   labSupport(): {ok: true} | {ok: false; reason}   root, Linux, tools present, netns works
 *   requireLab(t): boolean     true if usable; else t.skip(reason), or throws when CI=true
 *   setUpLab(): LabFixture       registers before(createLab)/after(teardown); fixture(t) does
 *                              requireLab(t) and returns the lab (undefined: skipped, return);
 *                              await fixture.ready in your own before hooks
 *   createLab(): Promise<Lab>  removes stale fwl-* state first; one lab per machine (lock file)
 *   createLabWhenFree({tries, intervalMs, onWait?})  the same, waiting while another process holds it
 *   lab.teardown()                         idempotent; also run on exit/SIGINT/SIGTERM
 *   lab.exec(ns, file, args, options?)     `ip netns exec fwl-<ns> file ...args` (execa, timeout)
 *   lab.spawn(ns, name, file, args, opts?) long-running process, stopped at teardown
 *   lab.startCoturn(primary?, alternate?, options?)   RFC 5780 coturn, default .10/.11
 *                                                    (primary alone: one-address coturn)
 *   lab.startSingleCoturn(address?, options?)        one-address coturn, default .40
 *   lab.startStund(primary?, alternate?, options?)   stund, default .20/.21
 *   lab.startOwn(primary?, alternate?, options?)     our `fwcheck serve`, default .30/.31
 *     each resolves once the server answers (and, with two addresses, answers
 *     CHANGE-REQUEST from the alternate) and returns a StunServer handle with stop()
 *   lab.setRouter(scenario)    replace rtr's nat+filter rules (scenarios.ts), flush conntrack
 *   lab.flushConntrack()       forget rtr's NAT mappings (e.g. between two runs of a test)
 *   lab.routerState()          iptables-save + conntrack -L of rtr, for failure messages
 *   lab.probe(server, opts?)   one STUN Binding transaction (default from atk)
 *   lab.debianStun(server, localPort)   Debian's `stun` client run in the PBX namespace
 *   lab.spray(options)         forged STUN/garbage from atk at the public IP (bounded)
 *   lab.holdPort(port, opts?)  bind UDP port in the PBX namespace and count arrivals
 *   lab.runFwcheck(args, opts?)  `node dist/cli.js ...args` in the PBX namespace
 *   lab/services.ts: the kernel SIP helper and TCP forwards as scenarios, a SIP UA answering on
 *     the PBX, a TCP listener standing in for another service, a one-shot SIP sender
 *
 * One lab per name prefix (default fwl-; FWCHECK_LAB_PREFIX=fwb- names a second one): run lab test
 * files with --test-concurrency=1 (as `npm test` does).
 */
import {existsSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before} from 'node:test';
import type {TestContext} from 'node:test';
import {spawnSync} from 'node:child_process';
import {ADDR, NS, PREFIX} from './addresses.js';
import type {LabNs} from './addresses.js';
import {LabBusyError, newRunDir, onEmergency, releaseLock, takeLock} from './lifecycle.js';
import {destroyLabSync, nsRun, which} from './netns.js';
import type {RunOptions, RunResult} from './netns.js';
import {spawnInNs} from './process.js';
import type {LabProcess, SpawnOptions} from './process.js';
import {FULL_CONE_TABLE, nftDocument, restoreDocument, routerRules} from './scenarios.js';
import type {RouterScenario} from './scenarios.js';
import {startStunServer} from './servers.js';
import type {ServerOptions, StunServer} from './servers.js';
import {debianStun} from './stun-client.js';
import type {DebianStunResult} from './stun-client.js';
import {buildTopology} from './topology.js';
import {BIN, lastJson, sprayArgs, stunProbe} from './tools.js';
import type {HoldHandle, HoldSummary, ProbeOptions, ProbeResult, SprayHandle, SprayOptions, SpraySummary} from './tools.js';

export * from './addresses.js';
export type {RouterScenario, PortRange, ScenarioOptions} from './scenarios.js';
export type {StunServer, ServerOptions} from './servers.js';
export type {DebianStunResult, NatClass} from './stun-client.js';
export type {HoldHandle, HoldSummary, ProbeResult, ProbeOptions, SprayHandle, SprayOptions, SpraySummary} from './tools.js';
export type {LabProcess} from './process.js';
export type {RunResult, RunOptions} from './netns.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CLI = path.join(REPO, 'dist', 'cli.js');
const REQUIRED_TOOLS = ['ip', 'nft', 'iptables-restore', 'iptables-save', 'conntrack', 'sysctl', 'turnserver', 'stund', 'stun'];

export type FwcheckResult = {
	exitCode: number | undefined;
	stdout: string;
	stderr: string;
	/** Parsed stdout when args include --json and it parses; see jsonError otherwise. */
	json: unknown;
	jsonError?: string;
	timedOut: boolean;
	durationMs: number;
};

export type Lab = {
	/** Logs, pid files; removed at teardown unless FWL_LAB_KEEP=1. */
	readonly runDir: string;
	readonly timings: {setupMs: number; teardownMs: number | undefined};
	exec(ns: LabNs, file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
	spawn(ns: LabNs, name: string, file: string, args: readonly string[], options?: Omit<SpawnOptions, 'name'>): LabProcess;
	startCoturn(primary?: string, alternate?: string, options?: ServerOptions): Promise<StunServer>;
	startSingleCoturn(address?: string, options?: ServerOptions): Promise<StunServer>;
	startStund(primary?: string, alternate?: string, options?: ServerOptions): Promise<StunServer>;
	/** Our own `fwcheck serve` (dist/cli.js), default .30/.31; alternate null = single-address. */
	startOwn(primary?: string, alternate?: string | null, options?: ServerOptions): Promise<StunServer>;
	setRouter(scenario: RouterScenario): Promise<void>;
	flushConntrack(): Promise<void>;
	routerState(): Promise<string>;
	probe(server: string, options?: ProbeOptions): Promise<ProbeResult>;
	debianStun(server: string, localPort: number): Promise<DebianStunResult>;
	spray(options: SprayOptions): SprayHandle;
	holdPort(port: number, options?: {ns?: LabNs; address?: string; maxMs?: number}): Promise<HoldHandle>;
	runFwcheck(args: readonly string[], options?: {timeoutMs?: number; env?: Record<string, string>}): Promise<FwcheckResult>;
	teardown(): Promise<void>;
};

// ---------------------------------------------------------------------------------------------
// Support checks

let supportCache: {ok: true} | {ok: false; reason: string} | undefined;

export function labSupport(): {ok: true} | {ok: false; reason: string} {
	supportCache ??= checkSupport();
	return supportCache;
}

function checkSupport(): {ok: true} | {ok: false; reason: string} {
	if (process.platform !== 'linux') return {ok: false, reason: `needs Linux network namespaces (platform ${process.platform})`};
	if (process.getuid?.() !== 0) return {ok: false, reason: 'needs root (network namespaces, iptables)'};
	const missing = REQUIRED_TOOLS.filter(tool => !which(tool));
	if (missing.length > 0) {
		return {
			ok: false,
			reason: `missing tools: ${missing.join(', ')} (apt-get install iproute2 iptables nftables conntrack coturn stun-server stun-client)`,
		};
	}
	// Root inside an unprivileged container may still be refused a namespace.
	const probe = `${PREFIX}probe-${process.pid}`;
	const added = spawnSync('ip', ['netns', 'add', probe], {encoding: 'utf8', timeout: 5000});
	spawnSync('ip', ['netns', 'delete', probe], {stdio: 'ignore', timeout: 5000});
	if (added.status !== 0) return {ok: false, reason: `cannot create a network namespace: ${added.stderr.trim()}`};
	return {ok: true};
}

/** For node:test: true when the lab can run; otherwise skip the test (fail it when CI=true). */
export function requireLab(t: TestContext): boolean {
	const support = labSupport();
	if (support.ok) return true;
	if (process.env.CI === 'true') throw new Error(`network lab required in CI but unavailable: ${support.reason}`);
	t.diagnostic(`network lab unavailable: ${support.reason}`);
	t.skip(`network lab unavailable: ${support.reason}`);
	return false;
}

export type LabFixture = {
	/** In a test: requireLab(t), then the lab (undefined: the test was skipped, just return). */
	(t: TestContext): Lab | undefined;
	/** Settles once the lab is created (undefined when unsupported or creation failed). */
	readonly ready: Promise<Lab | undefined>;
};

/**
 * Registers before/after hooks creating and tearing down one lab; call at the top of a test file.
 * Node 20 starts top-level before hooks concurrently (tests wait for all of them): a before hook
 * of your own must `await fixture.ready`. After hooks run in registration order, so ones
 * registered after setUpLab() run after teardown.
 *   const lab = setUpLab();
 *   test('x', async (t) => { const l = lab(t); if (!l) return; ... });
 */
export function setUpLab(): LabFixture {
	let lab: Lab | undefined;
	let settle: (value: Lab | undefined) => void = () => undefined;
	const ready = new Promise<Lab | undefined>(resolve => (settle = resolve));
	before(async () => {
		try {
			if (labSupport().ok) lab = await createLab();
		} finally {
			settle(lab);
		}
	});
	after(async () => {
		await lab?.teardown();
	});
	const fixture = (t: TestContext): Lab | undefined => {
		if (!requireLab(t)) return undefined;
		if (!lab) throw new Error('lab not created (see the before hook error)');
		return lab;
	};
	return Object.assign(fixture, {ready});
}

let current: LabImpl | undefined;

/**
 * createLab, waiting while another process holds the lab (for scripts such as the bench, which
 * may start while `npm test` runs). Bounded: `tries` attempts, `intervalMs` apart.
 */
export async function createLabWhenFree(options: {
	tries: number;
	intervalMs: number;
	onWait?: (why: string, attempt: number) => void;
}): Promise<Lab> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await createLab();
		} catch (error) {
			if (!(error instanceof LabBusyError) || attempt >= options.tries) throw error;
			options.onWait?.(error.message.split(';')[0]!, attempt);
			await new Promise(resolve => {
				setTimeout(resolve, options.intervalMs);
			});
		}
	}
}

export async function createLab(): Promise<Lab> {
	const support = labSupport();
	if (!support.ok) throw new Error(`network lab unavailable: ${support.reason}`);
	if (current) throw new Error('a lab already exists in this process: tear it down first');
	const started = Date.now();
	takeLock();
	let lab: LabImpl | undefined;
	try {
		destroyLabSync(); // whatever a crashed run left behind
		lab = new LabImpl(newRunDir());
		current = lab;
		await buildTopology();
		await lab.setRouter({kind: 'masquerade'});
		lab.timings.setupMs = Date.now() - started;
		return lab;
	} catch (error) {
		if (lab) await lab.teardown();
		else releaseLock();
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------

class LabImpl implements Lab {
	readonly timings: {setupMs: number; teardownMs: number | undefined} = {setupMs: 0, teardownMs: undefined};
	private readonly processes = new Set<LabProcess>();
	private tornDown = false;
	private teardownPromise: Promise<void> | undefined;
	private readonly undoEmergency: () => void;

	constructor(readonly runDir: string) {
		this.undoEmergency = onEmergency(() => this.teardownSync());
	}

	exec(ns: LabNs, file: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
		return nsRun(NS[ns], file, args, options);
	}

	spawn(ns: LabNs, name: string, file: string, args: readonly string[], options: Omit<SpawnOptions, 'name'> = {}): LabProcess {
		if (this.tornDown) throw new Error('lab torn down');
		const proc = spawnInNs(NS[ns], file, args, {...options, name});
		this.processes.add(proc);
		void proc.exited.then(() => this.processes.delete(proc));
		return proc;
	}

	private startServer(
		kind: StunServer['kind'],
		primary: string,
		alternate: string | undefined,
		options?: ServerOptions,
	): Promise<StunServer> {
		const spawn = (name: string, file: string, args: string[], logFile: string): LabProcess =>
			this.spawn('srv', name, file, args, {logFile, timeoutMs: 3_600_000});
		return startStunServer(spawn, this.runDir, kind, primary, alternate, options);
	}

	startCoturn(primary?: string, alternate?: string, options?: ServerOptions): Promise<StunServer> {
		// No addresses: the .10/.11 pair. A primary alone: a one-address coturn on it.
		const [a, b] = primary === undefined ? ADDR.coturn : [primary, alternate];
		return this.startServer(b ? 'coturn' : 'coturn-single', a, b, options);
	}

	startSingleCoturn(address: string = ADDR.single, options?: ServerOptions): Promise<StunServer> {
		return this.startServer('coturn-single', address, undefined, options);
	}

	startStund(primary: string = ADDR.stund[0], alternate: string = ADDR.stund[1], options?: ServerOptions): Promise<StunServer> {
		return this.startServer('stund', primary, alternate, options);
	}

	startOwn(primary: string = ADDR.own[0], alternate: string | null = ADDR.own[1], options?: ServerOptions): Promise<StunServer> {
		return this.startServer('fwcheck', primary, alternate ?? undefined, options);
	}

	async setRouter(scenario: RouterScenario): Promise<void> {
		await nsRun(NS.rtr, 'iptables-restore', [], {input: restoreDocument(routerRules(scenario))});
		// The full-cone table (and the ports it remembers) goes with every switch.
		await nsRun(NS.rtr, 'nft', ['delete', 'table', 'ip', FULL_CONE_TABLE], {reject: false});
		const nft = nftDocument(scenario);
		if (nft) await nsRun(NS.rtr, 'nft', ['-f', '-'], {input: nft});
		await this.flushConntrack();
	}

	async flushConntrack(): Promise<void> {
		// Exit status 1 with "0 flow entries" on an empty table is not an error.
		const r = await nsRun(NS.rtr, 'conntrack', ['-F'], {reject: false});
		if (r.failed && !/flow entries|been emptied/.test(r.stderr + r.stdout)) throw new Error(`conntrack -F: ${r.stderr}`);
	}

	async routerState(): Promise<string> {
		const rules = await nsRun(NS.rtr, 'iptables-save', [], {reject: false});
		const flows = await nsRun(NS.rtr, 'conntrack', ['-L', '-p', 'udp'], {reject: false});
		const nft = await nsRun(NS.rtr, 'nft', ['list', 'table', 'ip', FULL_CONE_TABLE], {reject: false});
		return `${rules.stdout}\n${nft.stdout}\n${flows.stdout}${flows.stderr}`;
	}

	probe(server: string, options?: ProbeOptions): Promise<ProbeResult> {
		return stunProbe(server, options);
	}

	debianStun(server: string, localPort: number): Promise<DebianStunResult> {
		return debianStun(server, localPort);
	}

	spray(options: SprayOptions): SprayHandle {
		const proc = this.spawn('atk', 'spray', process.execPath, sprayArgs(options), {timeoutMs: 70_000});
		const done = proc.exited.then(exit => {
			const summary = lastJson<SpraySummary & {error?: string}>(proc.lines);
			if (!summary || summary.error) throw new Error(`spray failed: ${summary?.error ?? exit.stderr}`);
			return summary;
		});
		done.catch(() => undefined); // reported to whoever awaits it; never unhandled
		return {process: proc, done, stop: async () => (await proc.stop(), done)};
	}

	async holdPort(port: number, options: {ns?: LabNs; address?: string; maxMs?: number} = {}): Promise<HoldHandle> {
		const args = [
			BIN.hold,
			'--port',
			String(port),
			'--address',
			options.address ?? '0.0.0.0',
			'--max-ms',
			String(options.maxMs ?? 600_000),
		];
		const proc = this.spawn(options.ns ?? 'pbx', `hold:${port}`, process.execPath, args);
		const first = JSON.parse(await proc.waitForLine(line => /"(ready|error)"/.test(line), 5000)) as {error?: string};
		if (first.error) {
			await proc.stop();
			throw new Error(`cannot hold UDP port ${port}: ${first.error}`);
		}
		let snapshots = 0;
		const summaryOf = (line: string): HoldSummary => JSON.parse(line) as HoldSummary;
		return {
			pid: proc.pid,
			port,
			process: proc,
			async snapshot() {
				const seq = ++snapshots;
				proc.kill('SIGUSR1');
				return summaryOf(await proc.waitForLine(line => line.includes(`"snapshot":${seq},`), 2000));
			},
			async stop() {
				await proc.stop();
				const final = proc.lines.find(line => line.includes('"final":true'));
				if (!final) throw new Error(`hold-port ${port} ended without a summary`);
				return summaryOf(final);
			},
		};
	}

	async runFwcheck(
		args: readonly string[],
		options: {timeoutMs?: number; env?: Record<string, string>} = {},
	): Promise<FwcheckResult> {
		if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` first`);
		const r = await nsRun(NS.pbx, process.execPath, [CLI, ...args], {
			timeoutMs: options.timeoutMs ?? 180_000,
			reject: false,
			cwd: REPO,
			// One check history per lab run: tests that mean to repeat a check do so within it.
			env: {NO_COLOR: '1', FORCE_COLOR: '0', FWCHECK_STATE_DIR: path.join(this.runDir, 'state'), ...options.env},
		});
		const result: FwcheckResult = {
			exitCode: r.exitCode,
			stdout: r.stdout,
			stderr: r.stderr,
			json: undefined,
			timedOut: r.timedOut,
			durationMs: r.durationMs,
		};
		if (args.includes('--json')) {
			try {
				result.json = JSON.parse(r.stdout);
			} catch (error) {
				result.jsonError = (error as Error).message;
			}
		}
		return result;
	}

	teardown(): Promise<void> {
		this.teardownPromise ??= this.gracefulTeardown(); // concurrent callers share one run
		return this.teardownPromise;
	}

	private async gracefulTeardown(): Promise<void> {
		if (this.tornDown) return;
		const started = Date.now();
		// Graceful first (helper scripts print their summaries), bounded; then kill what is left.
		const stops = Promise.all([...this.processes].map(proc => proc.stop(1000)));
		await Promise.race([stops, new Promise(resolve => setTimeout(resolve, 3000))]);
		this.teardownSync();
		this.timings.teardownMs = Date.now() - started;
	}

	/** Synchronous part, also used from the exit/signal handlers. Idempotent. */
	teardownSync(): void {
		if (this.tornDown) return;
		this.tornDown = true;
		destroyLabSync();
		if (process.env.FWL_LAB_KEEP !== '1') rmSync(this.runDir, {recursive: true, force: true});
		this.undoEmergency();
		current = undefined;
		releaseLock();
	}
}
