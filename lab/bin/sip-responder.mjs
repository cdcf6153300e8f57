// A SIP user agent that only answers: holds UDP and TCP at --port (a PBX's 5060) and answers each
// request with --status (200 OK or 401 Unauthorized), Via/From/To/Call-ID/CSeq copied and a
// Contact at --contact (a private address = a PBX whose external-address setting is wrong).
// Prints {"ready":true,...} once both are bound, {"request":...} per message received (base64,
// source, transport), {"final":true,...} on SIGTERM/SIGINT, or {"error":code}. Lives --max-ms.
// Usage: node sip-responder.mjs --port 5060 --status 401 --contact 192.168.77.10 [--address 0.0.0.0]
import {Buffer} from 'node:buffer';
import dgram from 'node:dgram';
import net from 'node:net';
import process from 'node:process';
import {setTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const opts = readOptions({address: '0.0.0.0', port: '5060', status: '200', contact: '192.168.77.10', 'max-ms': '600000'});
const port = Number(opts.port);
/** @type {Record<number, string | undefined>} */
const reasons = {200: 'OK', 401: 'Unauthorized', 403: 'Forbidden'};
const counts = {port, udp: 0, tcp: 0, answered: 0};
const print = (/** @type {object} */ extra) => process.stdout.write(JSON.stringify({...extra, ...counts}) + '\n');

/**
 * The response to one request, or undefined for anything that is not a request.
 * @param {string} text
 */
function answer(text) {
	const [head = ''] = text.split('\r\n\r\n');
	const lines = head.split('\r\n');
	if (!/^[A-Z]+ \S+ SIP\/2\.0$/.test(lines[0] ?? '')) return undefined;
	const copy = lines.slice(1).filter(line => /^(via|v|from|f|to|t|call-id|i|cseq):/i.test(line));
	const status = Number(opts.status);
	const out = [`SIP/2.0 ${status} ${reasons[status] ?? 'Status'}`];
	for (const line of copy) out.push(/^(to|t):/i.test(line) && !/;tag=/i.test(line) ? `${line};tag=lab${port}` : line);
	out.push(`Contact: <sip:pbx@${opts.contact}:${port}>`, 'User-Agent: lab-pbx/1');
	if (status === 401) out.push(`WWW-Authenticate: Digest realm="lab", nonce="${Date.now().toString(16)}"`);
	out.push('Content-Length: 0', '', '');
	return Buffer.from(out.join('\r\n'));
}

const udp = dgram.createSocket('udp4');
udp.on('message', (msg, rinfo) => {
	counts.udp++;
	print({request: msg.toString('base64'), from: `${rinfo.address}:${rinfo.port}`, transport: 'udp'});
	const reply = answer(msg.toString('latin1'));
	if (reply) {
		counts.answered++;
		udp.send(reply, rinfo.port, rinfo.address);
	}
});

const tcp = net.createServer(socket => {
	let buffer = Buffer.alloc(0);
	socket.setTimeout(5000, () => socket.destroy());
	socket.on('error', () => undefined);
	socket.on('data', chunk => {
		buffer = Buffer.concat([buffer, chunk]).subarray(0, 16384);
		for (;;) {
			const end = buffer.indexOf('\r\n\r\n');
			if (end < 0) return;
			const length = Number(/\r\n(?:content-length|l):\s*(\d+)/i.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? 0);
			if (buffer.length < end + 4 + length) return;
			const message = buffer.subarray(0, end + 4 + length);
			buffer = buffer.subarray(end + 4 + length);
			counts.tcp++;
			print({request: message.toString('base64'), from: `${socket.remoteAddress}:${socket.remotePort}`, transport: 'tcp'});
			const reply = answer(message.toString('latin1'));
			if (reply) {
				counts.answered++;
				socket.write(reply);
			}
		}
	});
});

const fail = (/** @type {NodeJS.ErrnoException} */ err) => {
	process.stdout.write(JSON.stringify({error: err.code ?? err.message, port}) + '\n');
	process.exit(1);
};
udp.on('error', fail);
tcp.on('error', fail);
const end = () => {
	print({final: true});
	process.exit(0);
};
process.on('SIGTERM', end);
process.on('SIGINT', end);
setTimeout(end, Number(opts['max-ms'])).unref();
udp.bind(port, opts.address, () => tcp.listen(port, opts.address, () => print({ready: true, pid: process.pid})));
