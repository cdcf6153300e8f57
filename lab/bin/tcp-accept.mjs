// Listens on TCP --ports (comma-separated) at --address and stands in for "some other service"
// a forward may point at: prints {"ready":true} once all listen, {"accepted":port,"from","line"}
// per connection (the first line it sent, if any, within 1 s), {"final":true} on SIGTERM/SIGINT,
// or {"error":code}. Lives at most --max-ms.
// Usage: node tcp-accept.mjs --ports 5002,5003 [--address 0.0.0.0]
import net from 'node:net';
import process from 'node:process';
import {clearTimeout, setTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const opts = readOptions({address: '0.0.0.0', ports: '', 'max-ms': '600000'});
const ports = opts.ports.split(',').filter(Boolean).map(Number);
let accepted = 0;
const print = (/** @type {{accepted?: number} & Record<string, unknown>} */ extra) =>
	process.stdout.write(JSON.stringify({...extra, accepted: extra.accepted ?? accepted}) + '\n');

const fail = (/** @type {NodeJS.ErrnoException} */ err) => {
	print({error: err.code ?? err.message});
	process.exit(1);
};
let listening = 0;
for (const port of ports) {
	const server = net.createServer(socket => {
		accepted++;
		let line = '';
		const report = () => {
			socket.destroy();
			print({accepted: port, from: `${socket.remoteAddress}:${socket.remotePort}`, line: line.split('\r\n')[0]});
		};
		const timer = setTimeout(report, 1000);
		socket.on('error', () => undefined);
		socket.on('data', chunk => {
			line += chunk.toString('latin1').slice(0, 256);
			if (line.includes('\n')) {
				clearTimeout(timer);
				report();
			}
		});
	});
	server.on('error', fail);
	server.listen(port, opts.address, () => {
		if (++listening === ports.length) print({ready: true, pid: process.pid});
	});
}
const end = () => {
	print({final: true});
	process.exit(0);
};
process.on('SIGTERM', end);
process.on('SIGINT', end);
setTimeout(end, Number(opts['max-ms'])).unref();
