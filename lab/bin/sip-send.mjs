// Sends one SIP request with an SDP body, from the port named in its own Via/Contact (as a real
// UA does, and as the kernel's SIP helper needs before it rewrites anything), and prints
// {"sent":base64,"reply":"<status line>"|null}. UDP: one datagram, 1.5 s wait; TCP: connect, write, read.
// Usage: node sip-send.mjs --transport udp --method INVITE --to 203.0.113.30 --lan 192.168.77.10 --port 5070 --media 40000
import {Buffer} from 'node:buffer';
import dgram from 'node:dgram';
import net from 'node:net';
import process from 'node:process';
import {setTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const opts = readOptions({transport: 'udp', method: 'INVITE', 'to-port': '5060', media: '40000'});
const {lan, to, port, method} = opts;
const sdp = [
	'v=0',
	`o=- 1 1 IN IP4 ${lan}`,
	's=-',
	`c=IN IP4 ${lan}`,
	't=0 0',
	`m=audio ${opts.media} RTP/AVP 0`,
	'a=rtpmap:0 PCMU/8000',
	'',
].join('\r\n');
const message = Buffer.from(
	[
		`${method} sip:echo@${to} SIP/2.0`,
		`Via: SIP/2.0/${opts.transport.toUpperCase()} ${lan}:${port};branch=z9hG4bK${process.pid}${Date.now()}`,
		'Max-Forwards: 70',
		`From: <sip:lab@${lan}:${port}>;tag=${process.pid}`,
		`To: <sip:echo@${to}>`,
		`Call-ID: ${process.pid}-${Date.now()}@lab`,
		`CSeq: 1 ${method}`,
		`Contact: <sip:lab@${lan}:${port}>`,
		'Content-Type: application/sdp',
		`Content-Length: ${Buffer.byteLength(sdp)}`,
		'',
		sdp,
	].join('\r\n'),
);
const done = (/** @type {string | null | undefined} */ reply) => {
	process.stdout.write(JSON.stringify({sent: message.toString('base64'), reply}) + '\n');
	process.exit(0);
};
setTimeout(() => done(null), 1500);
if (opts.transport === 'udp') {
	const socket = dgram.createSocket('udp4');
	socket.on('message', data => done(data.toString('latin1').split('\r\n')[0]));
	socket.bind(Number(port), () => socket.send(message, Number(opts['to-port']), to));
} else {
	const socket = net.connect({host: to, port: Number(opts['to-port']), localPort: Number(port)}, () => socket.write(message));
	socket.on('data', data => done(data.toString('latin1').split('\r\n')[0]));
	socket.on('error', () => done(null));
}
