// STUN servers in the srv namespace: coturn (RFC 5780, two addresses, or one), stund (RFC 3489).
// A server counts as started only once it answers a Binding request from the atk namespace; for a
// two-address server we also check that CHANGE-REQUEST(ip+port) is answered from the alternate.
//
// Observed behaviour (coturn 4.6.1, stund 0.97), which tests may rely on:
// - coturn -L A -L B: RFC 5389 answers carry XOR-MAPPED, MAPPED, RESPONSE-ORIGIN, OTHER-ADDRESS
//   (B:3479); an RFC 3489 request (no cookie) gets MAPPED, SOURCE-ADDRESS, CHANGED-ADDRESS.
//   CHANGE-REQUEST(ip+port) sent to A:3478 is answered from B:3479. Only the first -L has a
//   distinct alternate: sent to B:3478, "change IP" is answered from B itself.
// - coturn with one -L (or --no-rfc5780): no OTHER-ADDRESS; RFC 3489 requests get
//   CHANGED-ADDRESS equal to its own address; any CHANGE-REQUEST gets a 420 error response
//   ("Unknown attribute: TURN server was configured without RFC 5780 support", no
//   UNKNOWN-ATTRIBUTES) from its own address. Nothing listens on port+1.
// - stund -h A -a B: MAPPED, SOURCE-ADDRESS, CHANGED-ADDRESS (B:3479), XOR-MAPPED as 0x8020
//   (always XORed with the RFC 5389 cookie, so wrong for RFC 3489 requests), SERVER-NAME 0x8022.
//   CHANGE-REQUEST is honoured from the right socket; but sent to B, its SOURCE-ADDRESS lies
//   (says A:3478 while the reply leaves A:3479).
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {STUN_PORT} from './addresses.js';
import type {LabProcess} from './process.js';
import {stunProbe} from './tools.js';
import type {ProbeResult} from './tools.js';

export type StunServerKind = 'coturn' | 'coturn-single' | 'stund' | 'fwcheck';

const FWCHECK_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export type StunServer = LabProcess & {
	readonly kind: StunServerKind;
	readonly primary: string;
	readonly alternate: string | undefined;
	readonly port: number;
	readonly altPort: number;
	/** host:port of the primary socket, ready for `--stun`. */
	readonly address: string;
	/** Full command line, for reports. */
	readonly commandLine: string[];
};

export type ServerOptions = {
	/** Primary port (default 3478); the alternate port is port + 1 (both servers' convention). */
	port?: number;
	/** coturn only: false adds --no-rfc5780 (then it answers CHANGE-REQUEST with 420). */
	rfc5780?: boolean;
	/** Bound on waiting for the first answer (default 5000 ms). */
	readyTimeoutMs?: number;
	/**
	 * fwcheck only: more `fwcheck serve` flags, e.g. --no-sip-echo for a second server on an
	 * address where another one already holds the SIP echo's port.
	 */
	serveArgs?: string[];
};

/** What the lab provides to start a tracked process with its output in a log file. */
export type Spawner = (name: string, file: string, args: string[], logFile: string) => LabProcess;

export function coturnArgs(
	primary: string,
	alternate: string | undefined,
	port: number,
	runDir: string,
	rfc5780 = true,
): string[] {
	return [
		'-n', // no config file: /etc/turnserver.conf on Debian sets no-rfc5780
		'-S', // STUN only
		'--no-cli',
		'--no-tls',
		'--no-dtls',
		'--listening-port',
		String(port),
		'-L',
		primary,
		...(alternate ? ['-L', alternate] : []),
		...(rfc5780 ? [] : ['--no-rfc5780']),
		'--log-file',
		'stdout',
		'--simple-log',
		// Default is /var/run/turnserver.pid, shared by every instance.
		'--pidfile',
		path.join(runDir, `coturn-${primary}-${port}.pid`),
	];
}

export function stundArgs(primary: string, alternate: string, port: number): string[] {
	return ['-h', primary, '-a', alternate, '-p', String(port), '-o', String(port + 1)];
}

async function waitAnswering(server: StunServer, timeoutMs: number): Promise<ProbeResult> {
	// One probe process retransmitting every 100 ms: no reply while the socket is not bound yet.
	const tries = Math.max(1, Math.ceil(timeoutMs / 100));
	const first = await Promise.race([
		stunProbe(server.address, {timeoutMs: 100, tries}),
		server.exited.then(exit => ({ok: false as const, error: `exited (${exit.exitCode ?? exit.signal})`, tries: 0})),
	]);
	if (!first.ok) {
		await server.stop();
		throw new Error(`${server.name} did not answer within ${timeoutMs} ms: ${first.error}\n${await server.log()}`);
	}
	return first;
}

async function checkChangeRequest(server: StunServer): Promise<void> {
	if (!server.alternate) return;
	const reply = await stunProbe(server.address, {change: 'both', timeoutMs: 300, tries: 5});
	const expected = `${server.alternate}:${server.altPort}`;
	const got = reply.ok ? `${reply.from.address}:${reply.from.port}` : reply.error;
	if (got !== expected) {
		await server.stop();
		throw new Error(`${server.name}: CHANGE-REQUEST(ip+port) answered from ${got}, expected ${expected}`);
	}
}

export async function startStunServer(
	spawn: Spawner,
	runDir: string,
	kind: StunServerKind,
	primary: string,
	alternate: string | undefined,
	options: ServerOptions = {},
): Promise<StunServer> {
	const port = options.port ?? STUN_PORT;
	const altPort = port + 1;
	let file: string;
	let args: string[];
	if (kind === 'stund') {
		if (!alternate) throw new Error('stund needs two addresses');
		file = 'stund';
		args = stundArgs(primary, alternate, port);
	} else if (kind === 'fwcheck') {
		// Our own server, the built CLI: `fwcheck serve`.
		file = process.execPath;
		args = [
			FWCHECK_CLI,
			'serve',
			'--primary',
			primary,
			...(alternate ? ['--alternate', alternate] : []),
			'--port',
			String(port),
			...(options.serveArgs ?? []),
		];
	} else {
		file = 'turnserver';
		args = coturnArgs(primary, alternate, port, runDir, options.rfc5780 ?? true);
	}
	const name = `${kind}@${primary}:${port}`;
	const proc = spawn(name, file, args, path.join(runDir, `${kind}-${primary}-${port}.log`));
	const server: StunServer = Object.assign(proc, {
		kind,
		primary,
		alternate,
		port,
		altPort,
		address: `${primary}:${port}`,
		commandLine: [file, ...args],
	});
	await waitAnswering(server, options.readyTimeoutMs ?? 5000);
	if (options.rfc5780 !== false) await checkChangeRequest(server);
	return server;
}
