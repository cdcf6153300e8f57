// Minimal, independent STUN Binding client used by the lab (not fwcheck's own codec, on purpose:
// the harness must not share bugs with the code under test). Prints one JSON line on stdout.
// Usage: node stun-probe.mjs --server A[:port] [--bind A[:port]] [--change none|ip|port|both]
//                            [--timeout ms] [--tries n] [--classic true]
import dgram from 'node:dgram';
import {randomBytes} from 'node:crypto';
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {setTimeout, clearTimeout} from 'node:timers';
import {readOptions} from './options.mjs';

const MAGIC = 0x2112a442;
/** @type {Record<number, string | undefined>} */
const ATTR_NAMES = {
	0x0001: 'MAPPED-ADDRESS',
	0x0004: 'SOURCE-ADDRESS',
	0x0005: 'CHANGED-ADDRESS',
	0x0009: 'ERROR-CODE',
	0x0020: 'XOR-MAPPED-ADDRESS',
	0x8020: 'XOR-MAPPED-ADDRESS',
	0x8022: 'SOFTWARE',
	0x802b: 'RESPONSE-ORIGIN',
	0x802c: 'OTHER-ADDRESS',
};

/**
 * @param {string} s
 * @param {number} defPort
 */
function hostPort(s, defPort) {
	const [host, port] = s.split(':');
	return {host, port: port === undefined ? defPort : Number(port)};
}

/**
 * @param {string} change
 * @param {boolean} classic
 */
function request(change, classic) {
	/** @type {Record<string, number | undefined>} */
	const changeFlags = {none: 0, ip: 4, port: 2, both: 6};
	const flags = changeFlags[change];
	if (flags === undefined) throw new Error(`bad --change ${change}`);
	const body = flags === 0 ? Buffer.alloc(0) : Buffer.alloc(8);
	if (flags !== 0) {
		body.writeUInt16BE(0x0003, 0);
		body.writeUInt16BE(4, 2);
		body.writeUInt32BE(flags, 4);
	}
	const head = Buffer.alloc(20);
	head.writeUInt16BE(0x0001, 0);
	head.writeUInt16BE(body.length, 2);
	// --classic: RFC 3489 request (128-bit random ID, no magic cookie) to see legacy behaviour.
	if (classic) randomBytes(16).copy(head, 4);
	else {
		head.writeUInt32BE(MAGIC, 4);
		randomBytes(12).copy(head, 8);
	}
	return Buffer.concat([head, body]);
}

/**
 * @param {Buffer} value
 * @param {boolean} xor
 * @param {Buffer} id
 */
function address(value, xor, id) {
	const family = value[1];
	let port = value.readUInt16BE(2);
	if (family !== 1) return {family};
	const ip = Buffer.from(value.subarray(4, 8));
	if (xor) {
		port ^= MAGIC >>> 16;
		for (let i = 0; i < 4; i++) ip[i] = /** @type {number} */ (ip[i]) ^ /** @type {number} */ (id[i]);
	}
	return {address: [...ip].join('.'), port};
}

/** @param {Buffer} msg */
function parse(msg) {
	const type = msg.readUInt16BE(0);
	const length = msg.readUInt16BE(2);
	const cookieAndId = msg.subarray(4, 20);
	/** @type {Record<string, unknown>} */
	const attrs = {};
	for (let off = 20; off + 4 <= Math.min(msg.length, 20 + length);) {
		const t = msg.readUInt16BE(off);
		const len = msg.readUInt16BE(off + 2);
		const value = msg.subarray(off + 4, off + 4 + len);
		const name = ATTR_NAMES[t] ?? `0x${t.toString(16).padStart(4, '0')}`;
		if (name.endsWith('ADDRESS') || name === 'RESPONSE-ORIGIN') {
			attrs[name] = address(value, name.startsWith('XOR'), cookieAndId);
		} else if (name === 'SOFTWARE') {
			attrs[name] = value.toString('utf8');
		} else if (name === 'ERROR-CODE') {
			attrs[name] = {
				code: /** @type {number} */ (value[2]) * 100 + /** @type {number} */ (value[3]),
				reason: value.subarray(4).toString('utf8').replace(/\0+$/, ''),
			};
		} else {
			attrs[name] = value.toString('hex');
		}
		off += 4 + Math.ceil(len / 4) * 4;
	}
	return {type: `0x${type.toString(16).padStart(4, '0')}`, attrs};
}

const opts = readOptions({change: 'none', timeout: '500', tries: '3', bind: '0.0.0.0:0'});
if (!opts.server) throw new Error('--server required');
const server = hostPort(opts.server, 3478);
const bind = hostPort(opts.bind, 0);
const socket = dgram.createSocket('udp4');
const req = request(opts.change, opts.classic === 'true');
const id = req.subarray(4, 20);
let sent = 0;
let started = 0;
/** @type {NodeJS.Timeout | undefined} */
let timer;

/** @param {object} result */
function finish(result) {
	clearTimeout(timer);
	process.stdout.write(JSON.stringify(result) + '\n');
	socket.close();
}

function send() {
	if (sent >= Number(opts.tries)) {
		finish({ok: false, error: 'timeout', tries: sent});
		return;
	}
	sent++;
	started = Date.now();
	socket.send(req, server.port, server.host);
	timer = setTimeout(send, Number(opts.timeout));
}

socket.on('message', (msg, rinfo) => {
	// Ignore anything that is not the answer to our own transaction.
	if (msg.length < 20 || !msg.subarray(4, 20).equals(id)) return;
	finish({
		ok: true,
		from: {address: rinfo.address, port: rinfo.port},
		local: socket.address(),
		rttMs: Date.now() - started,
		tries: sent,
		...parse(msg),
	});
});
socket.on('error', (/** @type {NodeJS.ErrnoException} */ err) => {
	finish({ok: false, error: err.code ?? err.message, tries: sent});
	process.exitCode = 2;
});
socket.bind(bind.port, bind.host, send);
