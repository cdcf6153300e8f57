// `fwcheck serve` on 127.0.0.1 + 127.0.0.2 in its own process, so its CPU is not counted.
import {spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import process from 'node:process';
import {logger} from '../../scripts/support/log.js';
import {CLI, REPO} from '../../scripts/support/paths.js';
import type {PortRange} from './config.js';
import {freeServerPort} from './ports.js';

const log = logger('bench:tui');

export type Server = {child: ChildProcess; port: number; output: string[]};
let server: Server | undefined;

export async function startServer(avoid: PortRange): Promise<Server> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const port = await freeServerPort(avoid);
		const child = spawn(
			process.execPath,
			[CLI, 'serve', '--primary', '127.0.0.1', '--alternate', '127.0.0.2', '--port', String(port)],
			{
				cwd: REPO,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		const candidate: Server = {child, port, output: []};
		server = candidate;
		const ready = await new Promise<boolean>(resolve => {
			const timer = setTimeout(() => resolve(false), 10_000);
			const onData = (chunk: Buffer) => {
				for (const line of chunk.toString('utf8').split('\n')) {
					if (line.trim() === '') continue;
					candidate.output.push(line);
					if (candidate.output.length > 50) candidate.output.shift();
					if (/listening on/.test(line)) {
						clearTimeout(timer);
						resolve(true);
					}
				}
			};
			child.stdout?.on('data', onData);
			child.stderr?.on('data', onData);
			child.once('exit', () => {
				clearTimeout(timer);
				resolve(false);
			});
		});
		if (ready) return candidate;
		log(`server on port ${port} did not start: ${candidate.output.join(' | ')}`);
		stopServer();
	}
	throw new Error('fwcheck serve would not start');
}

/** True when the server started last has exited. */
export const serverDied = (): boolean => server?.child.exitCode !== null && server?.child.exitCode !== undefined;

export function stopServer(): void {
	const child = server?.child;
	server = undefined;
	if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
