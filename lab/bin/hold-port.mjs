// Holds a UDP port (binds address:port and stays) and counts what arrives on it. Prints
// {"ready":true,...} once bound, a {"snapshot":n,...} line on SIGUSR1, a {"final":true,...} line
// on SIGTERM/SIGINT (then exits), or {"error":code} if the bind fails. Lives at most --max-ms.
// Usage: node hold-port.mjs --port P [--address 0.0.0.0] [--max-ms 600000]
import dgram from 'node:dgram';
import process from 'node:process';
import {setTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const opts = readOptions({address: '0.0.0.0', 'max-ms': '600000'});
const port = Number(opts.port);

const counts = {port, received: 0, bytes: 0, stunLike: 0, sources: /** @type {Record<string, number>} */ ({})};
let snapshots = 0;
const print = (/** @type {object} */ extra) => process.stdout.write(JSON.stringify({...extra, ...counts}) + '\n');

const socket = dgram.createSocket('udp4');
socket.on('message', (msg, rinfo) => {
	counts.received++;
	counts.bytes += msg.length;
	if (msg.length >= 20 && (msg.readUInt8(0) & 0xc0) === 0 && msg.readUInt16BE(2) === msg.length - 20) counts.stunLike++;
	counts.sources[rinfo.address] = (counts.sources[rinfo.address] ?? 0) + 1;
});
socket.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
	process.stdout.write(JSON.stringify({error: err.code ?? err.message, port}) + '\n');
	process.exit(1);
});
const end = () => {
	print({final: true});
	socket.close();
	process.exit(0);
};
process.on('SIGTERM', end);
process.on('SIGINT', end);
process.on('SIGUSR1', () => print({snapshot: ++snapshots}));
setTimeout(end, Number(opts['max-ms'])).unref();
socket.bind(port, opts.address, () => print({ready: true, pid: process.pid}));
