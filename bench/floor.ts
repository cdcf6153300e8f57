// The floor for bench/run.ts: a bare Node script (no fwcheck code) that binds every port, sends
// one STUN Binding request from each to one server address and waits (bounded) for the replies.
// Kept as a string so the bench can write it to its temp directory and run it in the PBX
// namespace with plain `node`. Prints one JSON line: FloorSummary.

export type FloorSummary = {
	ports: number;
	bound: number;
	bindErrors: number;
	sent: number;
	replies: number;
	/** Binding all sockets. */
	bindMs: number;
	/** First send to last reply (or to the deadline when some never came). */
	exchangeMs: number;
	/** Inside the script, from start to the end of the exchange. */
	totalMs: number;
	timedOut: boolean;
};

/** Usage: node floor.mjs <server-ip> <server-port> <from> <to> <wait-ms> */
export const FLOOR_SCRIPT = String.raw`
import dgram from 'node:dgram';
import {randomBytes} from 'node:crypto';
import {performance} from 'node:perf_hooks';

const [server, serverPort, from, to, waitMs] = process.argv.slice(2);
const first = Number(from);
const last = Number(to);
const start = performance.now();
const sockets = [];
let bindErrors = 0;

const bind = (port) =>
	new Promise((resolve) => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', () => {
			bindErrors++;
			socket.close();
			resolve(undefined);
		});
		socket.bind(port, '0.0.0.0', () => resolve(socket));
	});

const bound = (await Promise.all(Array.from({length: last - first + 1}, (_, i) => bind(first + i)))).filter(Boolean);
const bindMs = performance.now() - start;

let replies = 0;
let sent = 0;
let lastReply = performance.now();
let finish;
const done = new Promise((resolve) => (finish = resolve));
const sendStart = performance.now();
for (const socket of bound) {
	const request = Buffer.alloc(20);
	request.writeUInt16BE(0x0001, 0); // Binding request, no attributes
	request.writeUInt32BE(0x2112a442, 4);
	randomBytes(12).copy(request, 8);
	const id = request.subarray(4, 20);
	let answered = false;
	socket.on('message', (message) => {
		if (answered || message.length < 20 || message.readUInt16BE(0) !== 0x0101) return;
		if (!message.subarray(4, 20).equals(id)) return;
		answered = true;
		replies++;
		lastReply = performance.now();
		if (replies === bound.length) finish(false);
	});
	socket.send(request, Number(serverPort), server, (error) => {
		if (!error) sent++;
	});
}
const timer = setTimeout(() => finish(true), Number(waitMs));
const timedOut = await done;
clearTimeout(timer);
const end = timedOut ? performance.now() : lastReply;
for (const socket of bound) socket.close();
console.log(JSON.stringify({
	ports: last - first + 1,
	bound: bound.length,
	bindErrors,
	sent,
	replies,
	bindMs: Math.round(bindMs),
	exchangeMs: Math.round(end - sendStart),
	totalMs: Math.round(end - start),
	timedOut,
}));
`;
