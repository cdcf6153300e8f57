// Sprays the router's public address from the attacker namespace: forged STUN Binding success
// responses (random transaction IDs, well-formed, mapped address = target:port as a real answer
// would say), random garbage (0-600 bytes) and truncated STUN. Bounded by rounds, duration and
// packet count; SIGTERM stops it early. Prints one JSON summary line at the end.
// Usage: node spray.mjs --target A --ports 9000-9099,5060 [--src-port 3478] [--rounds 1]
//   [--duration ms] [--max-packets n] [--rate pps] [--kinds stun,garbage,truncated]
//   [--mapped A] [--claim-origin A:port]
import dgram from 'node:dgram';
import {randomBytes, randomInt} from 'node:crypto';
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {setTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const HARD_MAX_MS = 60_000;
const HARD_MAX_PACKETS = 200_000;
const MAGIC = 0x2112a442;

/** @param {string} spec */
function parsePorts(spec) {
	const ports = [];
	for (const part of spec.split(',')) {
		const [a = NaN, b = a] = part.split('-').map(Number);
		for (let p = a; p <= b && ports.length < 65536; p++) ports.push(p);
	}
	if (ports.length === 0 || ports.some(p => !(p >= 1 && p <= 65535))) throw new Error(`bad --ports ${spec}`);
	return ports;
}

const CRC_TABLE = Array.from({length: 256}, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** @param {Buffer} buf */
function crc32(buf) {
	let c = 0xffffffff;
	for (const byte of buf) c = /** @type {number} */ (CRC_TABLE[(c ^ byte) & 0xff]) ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/**
 * @param {number} type
 * @param {Buffer} value
 */
function attr(type, value) {
	const head = Buffer.alloc(4);
	head.writeUInt16BE(type, 0);
	head.writeUInt16BE(value.length, 2);
	return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

/**
 * @param {string} ip
 * @param {number} port
 * @param {Buffer} [xorId]
 */
function addressValue(ip, port, xorId) {
	const v = Buffer.alloc(8);
	v[1] = 1;
	v.writeUInt16BE(xorId ? port ^ (MAGIC >>> 16) : port, 2);
	ip.split('.').forEach((octet, i) => {
		v[4 + i] = Number(octet) ^ (xorId ? /** @type {number} */ (xorId[i]) : 0);
	});
	return v;
}

/**
 * @param {string} mapped
 * @param {number} port
 * @param {{ip: string, port: number}} [claim]
 */
function forgedResponse(mapped, port, claim) {
	const head = Buffer.alloc(20);
	head.writeUInt16BE(0x0101, 0);
	head.writeUInt32BE(MAGIC, 4);
	randomBytes(12).copy(head, 8);
	const attrs = [attr(0x0001, addressValue(mapped, port)), attr(0x0020, addressValue(mapped, port, head.subarray(4, 8)))];
	if (claim) {
		attrs.push(attr(0x0004, addressValue(claim.ip, claim.port)), attr(0x802b, addressValue(claim.ip, claim.port)));
	}
	const body = Buffer.concat(attrs);
	head.writeUInt16BE(body.length + 8, 2); // length includes the FINGERPRINT still to come
	const fp = Buffer.alloc(4);
	fp.writeUInt32BE((crc32(Buffer.concat([head, body])) ^ 0x5354554e) >>> 0, 0);
	return Buffer.concat([head, body, attr(0x8028, fp)]);
}

/**
 * @param {string} mapped
 * @param {number} port
 */
function truncated(mapped, port) {
	const full = forgedResponse(mapped, port);
	if (randomInt(2) === 0) return full.subarray(0, randomInt(1, 20)); // header cut short
	const lying = Buffer.from(full.subarray(0, randomInt(20, full.length)));
	lying.writeUInt16BE(full.length + randomInt(4, 400), 2); // header claims more than is there
	return lying;
}

const opts = readOptions({});
const target = opts.target;
const ports = parsePorts(opts.ports ?? '');
if (target === undefined) throw new Error('--target required');
const kinds = (opts.kinds ?? 'stun,garbage,truncated').split(',');
const rounds = Math.max(1, Number(opts.rounds ?? 1));
const durationMs = Math.min(Number(opts.duration ?? 5000), HARD_MAX_MS);
const maxPackets = Math.min(Number(opts['max-packets'] ?? 20_000), HARD_MAX_PACKETS);
const perTick = Math.max(1, Math.ceil(Number(opts.rate ?? 5000) / 100)); // one tick = 10 ms
const mapped = opts.mapped ?? target;
const origin = opts['claim-origin'];
const [claimIp = '', claimPort = '3478'] = origin ? origin.split(':') : [];
const claim = origin ? {ip: claimIp, port: Number(claimPort)} : undefined;

const summary = {
	sent: 0,
	byKind: /** @type {Record<string, number>} */ ({stun: 0, garbage: 0, truncated: 0}),
	rounds: 0,
	durationMs: 0,
	stoppedBy: 'rounds',
	errors: 0,
};
const started = Date.now();
const socket = dgram.createSocket('udp4');
let index = 0;
let stopped = false;
let pending = 0;

/**
 * @param {string} kind
 * @param {number} port
 */
function datagram(kind, port) {
	if (kind === 'stun') return forgedResponse(mapped, port, claim);
	if (kind === 'truncated') return truncated(mapped, port);
	return randomBytes(randomInt(0, 601));
}

/** @param {string} reason */
function finish(reason) {
	if (stopped) return;
	stopped = true;
	summary.stoppedBy = reason;
	const close = () => {
		summary.durationMs = Date.now() - started;
		process.stdout.write(JSON.stringify(summary) + '\n');
		socket.close();
	};
	// Let queued sends complete (bounded) so the count is what left the socket.
	const deadline = Date.now() + 1000;
	const wait = () => (pending > 0 && Date.now() < deadline ? setTimeout(wait, 10) : close());
	wait();
}

function tick() {
	if (stopped) return;
	for (let n = 0; n < perTick; n++) {
		if (summary.rounds >= rounds) return finish('rounds');
		if (Date.now() - started >= durationMs) return finish('duration');
		if (summary.sent >= maxPackets) return finish('maxPackets');
		const port = /** @type {number} */ (ports[index % ports.length]);
		const kind = /** @type {string} */ (kinds[summary.sent % kinds.length]);
		pending++;
		socket.send(datagram(kind, port), port, target, err => {
			pending--;
			if (err) summary.errors++;
		});
		summary.sent++;
		summary.byKind[kind] = (summary.byKind[kind] ?? 0) + 1;
		index++;
		if (index % ports.length === 0) summary.rounds++;
	}
	setTimeout(tick, 10);
}

process.on('SIGTERM', () => finish('signal'));
process.on('SIGINT', () => finish('signal'));
socket.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
	process.stdout.write(JSON.stringify({error: err.code ?? err.message}) + '\n');
	process.exit(1);
});
socket.bind(Number(opts['src-port'] ?? 0), tick);
