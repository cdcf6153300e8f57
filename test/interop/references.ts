// Reference STUN servers from Debian, started on loopback for side-by-side comparisons:
// stund (RFC 3489) and coturn's turnserver in STUN-only mode (RFC 5780).
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ALTERNATE, type Background, PRIMARY, findCommand, findFreePortPair, startBackground, waitForStun} from './support.js';

export interface ReferenceServer {
	readonly name: string;
	readonly port: number;
	readonly commandLine: string[];
	stop(): Promise<void>;
}

export type ReferenceKind = 'stund' | 'coturn' | 'coturn-single';

const commandFor = (kind: ReferenceKind, port: number, runDir: string): [string, string[]] => {
	if (kind === 'stund') {
		return ['stund', ['-h', PRIMARY, '-a', ALTERNATE, '-p', String(port), '-o', String(port + 1)]];
	}

	return [
		'turnserver',
		[
			'-n', // No config file: Debian's /etc/turnserver.conf turns RFC 5780 off.
			'--stun-only',
			'--no-cli',
			'--no-tls',
			'--no-dtls',
			'--listening-port',
			String(port),
			'--alt-listening-port',
			String(port + 1),
			'-L',
			PRIMARY,
			...(kind === 'coturn' ? ['-L', ALTERNATE] : []),
			'--log-file',
			'stdout',
			'--simple-log',
			// The default pid file is shared by every instance on the machine.
			'--pidfile',
			path.join(runDir, 'turnserver.pid'),
		],
	];
};

/**
 * Start a reference server on a free port pair and wait until it answers on the primary and,
 * for two-address servers, on the opposite corner. Three attempts, each bounded.
 */
export const startReference = async (kind: ReferenceKind): Promise<ReferenceServer> => {
	const runDir = await mkdtemp(path.join(tmpdir(), `fwcheck-${kind}-`));
	const failures: string[] = [];
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await findFreePortPair([PRIMARY, ALTERNATE]);
		const [name, args] = commandFor(kind, port, runDir);
		const file = findCommand(name) ?? name;
		const process: Background = startBackground(kind, file, args);
		const ready = (await waitForStun(PRIMARY, port)) && (kind === 'coturn-single' || (await waitForStun(ALTERNATE, port + 1)));
		if (ready) {
			return {
				name: kind,
				port,
				commandLine: [file, ...args],
				async stop() {
					await process.stop();
					await rm(runDir, {recursive: true, force: true});
				},
			};
		}

		await process.stop();
		failures.push(`port ${port}: ${process.output().slice(-500)}`);
	}

	await rm(runDir, {recursive: true, force: true});
	throw new Error(`${kind} did not start:\n${failures.join('\n')}`);
};
