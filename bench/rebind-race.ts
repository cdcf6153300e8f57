// How often the kernel refuses to bind a UDP port again right after this process closed it, while
// a worker thread spawns programs (as the firewall read does beside the sweep): a child between
// fork and exec holds a copy of every socket. port-sockets.ts retries such a rebind briefly.
// Loopback only, bounded in time.
//   node --import tsx bench/rebind-race.ts [--seconds 4] [--port 47003]
import dgram from 'node:dgram';
import process from 'node:process';
import {parseArgs} from 'node:util';
import {Worker} from 'node:worker_threads';

const {values} = parseArgs({options: {seconds: {type: 'string', default: '4'}, port: {type: 'string', default: '47003'}}});
const seconds = Math.min(Number(values.seconds), 30);
const port = Number(values.port);

// A heap the size of a check of 2000 ports: fork copies the page tables, so the window grows with it.
const ballast = Array.from({length: 100}, () => Buffer.alloc(1 << 20, 1));

const spawner = new Worker(
	`const {spawn} = require('node:child_process');
	const {parentPort, workerData} = require('node:worker_threads');
	let spawned = 0;
	const end = Date.now() + workerData.ms;
	const next = () => {
		if (Date.now() > end) return parentPort.postMessage(spawned);
		spawned++;
		spawn('true', [], {stdio: 'ignore'}).on('exit', () => setImmediate(next));
	};
	for (let i = 0; i < 4; i++) next();`,
	{eval: true, workerData: {ms: seconds * 1000 + 500}},
);
const spawned = new Promise<number>(resolve => spawner.once('message', resolve));

const bind = async (): Promise<dgram.Socket | string> =>
	new Promise(resolve => {
		const socket = dgram.createSocket({type: 'udp4', reuseAddr: false});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			socket.close();
			resolve(error.code ?? error.message);
		});
		socket.bind({port, address: '127.0.0.1', exclusive: true}, () => resolve(socket));
	});

let binds = 0;
let refused = 0;
const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
	const socket = await bind();
	binds++;
	if (typeof socket === 'string') {
		if (socket !== 'EADDRINUSE') throw new Error(`bind ${port}: ${socket}`);
		refused++;
		await new Promise(resolve => setTimeout(resolve, 1));
		continue;
	}

	socket.close();
}

process.stdout.write(
	`${binds} close-and-rebind cycles of 127.0.0.1:${port} in ${seconds} s while a worker thread spawned ${await spawned} programs: ` +
		`${refused} refused with EADDRINUSE (1 in ${refused === 0 ? '∞' : Math.round(binds / refused)}); ballast ${ballast.length} MB\n`,
);
await spawner.terminate();
