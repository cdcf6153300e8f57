// Minimal, independent PCP MAP client (RFC 6887 §11) for seeding the router lab: not fwcheck's own
// codec, on purpose. Prints one JSON line. Usage:
//   node pcp-map.mjs --gateway A --client A --port P [--lifetime S] [--protocol 17]
import dgram from 'node:dgram';
import {randomBytes} from 'node:crypto';
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {setTimeout, clearTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const args = readOptions({lifetime: '3600', protocol: '17'});
const {gateway, client, port} = args;
if (gateway === undefined || client === undefined || port === undefined) {
	process.stderr.write('usage: node pcp-map.mjs --gateway A --client A --port P [--lifetime S] [--protocol 17]\n');
	process.exit(2);
}

const request = Buffer.alloc(60);
request[0] = 2; // version
request[1] = 1; // MAP, R=0
request.writeUInt32BE(Number(args.lifetime), 4);
request.writeUInt16BE(0xffff, 18); // client address, IPv4-mapped
client.split('.').forEach((octet, i) => (request[20 + i] = Number(octet)));
const nonce = randomBytes(12);
nonce.copy(request, 24);
request[36] = Number(args.protocol);
request.writeUInt16BE(Number(port), 40);
request.writeUInt16BE(Number(port), 42);
request.writeUInt16BE(0xffff, 54); // suggested external address ::ffff:0.0.0.0

const socket = dgram.createSocket('udp4');
const done = (/** @type {object} */ result) => {
	clearTimeout(timer);
	process.stdout.write(JSON.stringify(result) + '\n');
	socket.close();
};
const timer = setTimeout(() => done({ok: false, error: 'no answer'}), 2000);
socket.on('message', (reply, from) => {
	if (from.port !== 5351 || reply.length < 60 || reply[1] !== 0x81 || !reply.subarray(24, 36).equals(nonce)) return;
	done({
		ok: true,
		result: reply[3],
		externalPort: reply.readUInt16BE(42),
		externalAddress: [...reply.subarray(56, 60)].join('.'),
	});
});
socket.bind(0, () => {
	for (const delay of [0, 250, 750]) setTimeout(() => socket.send(request, 5351, gateway), delay).unref();
});
