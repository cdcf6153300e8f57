import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {isIP} from 'node:net';
import fc from 'fast-check';
import {
	AttributeType,
	Method,
	decodeMessage,
	decodeRawMessage,
	encodeMessage,
	findAttribute,
	fingerprintOf,
	verifyMessageIntegrity,
	type StunMessage,
} from '../../source/stun/index.js';

const hex = (text: string): Buffer => Buffer.from(text.replaceAll(/\s+/g, ''), 'hex');

// RFC 5769 §2.1-2.4, byte for byte.
const sampleRequest = hex(`
	000100582112a442b7e7a701bc34d686fa87dfae
	802200105354554e20746573742063 6c69656e74
	002400046e0001ff
	80290008932ff9b151263b36
	000600096576746a3a68367659202020
	000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2
	80280004e57a3bcf`);
const sampleIpv4Response = hex(`
	0101003c2112a442b7e7a701bc34d686fa87dfae
	8022000b7465737420766563746f7220
	002000080001a147e112a643
	000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7
	80280004c07d4c96`);
const sampleIpv6Response = hex(`
	010100482112a442b7e7a701bc34d686fa87dfae
	8022000b7465737420766563746f7220
	002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9
	00080014a382954e4be67bf11784c97c8292c275bfe3ed41
	80280004c8fb0b4c`);
const sampleLongTermRequest = hex(`
	000100602112a44278ad3433c6ad72c029da412e
	00060012e3839ee38388e383aae38383e382afe382b90000
	0015001c662f2f3439396b393534643 64f4c33346f4c394653547679363473 41
	0014000b6578616d706c652e6f726700
	00080014f67024656dd64a3e02b8e0712e85c9a28ca89666`);
const shortTermPassword = 'VOkJxbRl1RmTxUk/WvJxBt';

const decoded = (datagram: Buffer): StunMessage => {
	const result = decodeMessage(datagram);
	assert.ok(result.ok, result.ok ? '' : `${result.error.error}: ${result.error.detail}`);
	return result.message;
};

test('RFC 5769 sample request: type, ID, attributes, fingerprint and integrity', () => {
	const message = decoded(sampleRequest);
	assert.equal(message.method, Method.binding);
	assert.equal(message.messageClass, 'request');
	assert.equal(message.hasMagicCookie, true);
	assert.equal(message.transactionId.toString('hex'), 'b7e7a701bc34d686fa87dfae');
	assert.equal(findAttribute(message, 'software')?.text, 'STUN test client');
	assert.deepEqual(
		message.attributes.map(attribute => attribute.type),
		[0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028],
	);
	assert.ok(verifyMessageIntegrity(sampleRequest, shortTermPassword));
	assert.ok(!verifyMessageIntegrity(sampleRequest, 'wrong password'));
});

test('RFC 5769 sample IPv4 response: XOR-MAPPED-ADDRESS is 192.0.2.1:32853', () => {
	const message = decoded(sampleIpv4Response);
	assert.equal(message.messageClass, 'success');
	assert.deepEqual(findAttribute(message, 'xor-mapped-address')?.address, {family: 4, address: '192.0.2.1', port: 32_853});
	assert.ok(verifyMessageIntegrity(sampleIpv4Response, shortTermPassword));
});

test('RFC 5769 sample IPv6 response: XOR-MAPPED-ADDRESS is [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
	const message = decoded(sampleIpv6Response);
	assert.deepEqual(findAttribute(message, 'xor-mapped-address')?.address, {
		family: 6,
		address: '2001:db8:1234:5678:11:2233:4455:6677',
		port: 32_853,
	});
	assert.ok(verifyMessageIntegrity(sampleIpv6Response, shortTermPassword));
});

test('RFC 5769 long-term request: integrity with the MD5 long-term key', () => {
	const message = decoded(sampleLongTermRequest);
	const username = message.attributes.find(attribute => attribute.type === AttributeType.username);
	assert.ok(username?.kind === 'other');
	const key = createHash('md5')
		.update(Buffer.concat([username.value, Buffer.from(':example.org:TheMatrIX')]))
		.digest();
	assert.ok(verifyMessageIntegrity(sampleLongTermRequest, key));
});

test('encoding reproduces the RFC 5769 IPv4 XOR-MAPPED-ADDRESS bytes', () => {
	const bytes = encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId: hex('b7e7a701bc34d686fa87dfae'),
		attributes: [{kind: 'xor-mapped-address', address: {family: 4, address: '192.0.2.1', port: 32_853}}],
	});
	assert.equal(bytes.subarray(20).toString('hex'), '002000080001a147e112a643');
	assert.equal(bytes.readUInt16BE(2), 12);
});

test('round trip of every attribute fwcheck and its server use, with FINGERPRINT', () => {
	const transactionId = hex('0102030405060708090a0b0c');
	const bytes = encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId,
		fingerprint: true,
		attributes: [
			{kind: 'xor-mapped-address', address: {family: 6, address: '2001:db8::1', port: 9000}},
			{kind: 'mapped-address', address: {family: 4, address: '203.0.113.1', port: 9000}},
			{kind: 'response-origin', address: {family: 4, address: '198.51.100.10', port: 3478}},
			{kind: 'other-address', address: {family: 4, address: '198.51.100.11', port: 3479}},
			{kind: 'source-address', address: {family: 4, address: '198.51.100.10', port: 3478}},
			{kind: 'changed-address', address: {family: 4, address: '198.51.100.11', port: 3479}},
			{kind: 'change-request', changeIp: true, changePort: false},
			{kind: 'error-code', code: 420, reason: 'Unknown Attribute'},
			{kind: 'unknown-attributes', types: [0x0003, 0x0024, 0x7777]},
			{kind: 'software', text: 'fwcheck test'},
		],
	});
	const message = decoded(bytes);
	assert.equal(message.transactionId.toString('hex'), transactionId.toString('hex'));
	assert.deepEqual(findAttribute(message, 'xor-mapped-address')?.address, {family: 6, address: '2001:db8::1', port: 9000});
	assert.deepEqual(findAttribute(message, 'mapped-address')?.address, {family: 4, address: '203.0.113.1', port: 9000});
	assert.deepEqual(findAttribute(message, 'other-address')?.address.address, '198.51.100.11');
	assert.deepEqual(findAttribute(message, 'changed-address')?.address.port, 3479);
	assert.deepEqual(findAttribute(message, 'source-address')?.address.port, 3478);
	assert.deepEqual(findAttribute(message, 'response-origin')?.address.address, '198.51.100.10');
	assert.equal(findAttribute(message, 'change-request')?.changeIp, true);
	assert.equal(findAttribute(message, 'change-request')?.changePort, false);
	assert.deepEqual(findAttribute(message, 'error-code'), {
		kind: 'error-code',
		type: 0x0009,
		code: 420,
		reason: 'Unknown Attribute',
	});
	assert.deepEqual(findAttribute(message, 'unknown-attributes')?.types, [0x0003, 0x0024, 0x7777]);
	assert.equal(findAttribute(message, 'software')?.text, 'fwcheck test');
	assert.equal(message.attributes.at(-1)?.kind, 'fingerprint');
});

test("IPv4 addresses decode right past the decoder's cache of address texts, XOR-masked or not, in place in the datagram", () => {
	// More distinct addresses than the cache keeps (1024), neighbours differing in one octet, each
	// twice: a full cache starts over, and never answers with another address's text.
	for (const round of [1, 2]) {
		for (let index = 0; index < 1500; index++) {
			const address = `10.${round}.${index >> 8}.${index & 0xff}`;
			const transactionId = Buffer.alloc(12, index & 0xff);
			const bytes = encodeMessage({
				method: Method.binding,
				messageClass: 'success',
				transactionId,
				attributes: [
					{kind: 'xor-mapped-address', address: {family: 4, address, port: 9000 + index}},
					{kind: 'mapped-address', address: {family: 4, address, port: 9000 + index}},
				],
			});
			// A datagram inside a larger buffer, as a pooled Buffer may be: offsets count from its own start.
			const pooled = Buffer.concat([Buffer.alloc(7, 0xee), bytes]).subarray(7);
			const message = decoded(pooled);
			assert.deepEqual(findAttribute(message, 'xor-mapped-address')?.address, {family: 4, address, port: 9000 + index});
			assert.deepEqual(findAttribute(message, 'mapped-address')?.address, {family: 4, address, port: 9000 + index});
		}
	}
});

test('ports at the edges of 16 bits decode from hand-written bytes, plain and XOR-masked', () => {
	// Written byte by byte, not by the encoder, so a mistake shared by both cannot hide.
	const bytes = hex(`
		010100242112a442b7e7a701bc34d686fa87dfae
		00010008 0001 ffff c0000201
		00200008 0001 ffff e112a643
		802c0008 0001 8000 c6336407`);
	const message = decoded(bytes);
	assert.deepEqual(findAttribute(message, 'mapped-address')?.address, {family: 4, address: '192.0.2.1', port: 65_535});
	// 0xffff XOR the cookie's top 16 bits (0x2112) is 0xdeed.
	assert.deepEqual(findAttribute(message, 'xor-mapped-address')?.address, {family: 4, address: '192.0.2.1', port: 57_069});
	// The top bit set: a signed read would give a negative port.
	assert.deepEqual(findAttribute(message, 'other-address')?.address, {family: 4, address: '198.51.100.7', port: 32_768});
});

test('pre-standard XOR-MAPPED-ADDRESS 0x8020 decodes like 0x0020', () => {
	const bytes = encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId: hex('b7e7a701bc34d686fa87dfae'),
		attributes: [{kind: 'xor-mapped-address', type: 0x8020, address: {family: 4, address: '192.0.2.1', port: 32_853}}],
	});
	const attribute = findAttribute(decoded(bytes), 'xor-mapped-address');
	assert.equal(attribute?.type, 0x8020);
	assert.deepEqual(attribute?.address, {family: 4, address: '192.0.2.1', port: 32_853});
});

test('an RFC 3489 reply (no magic cookie, MAPPED-ADDRESS and CHANGED-ADDRESS only) decodes', () => {
	// What stund sends: a 128-bit ID with no cookie, plain addresses.
	const cookie = hex('a1b2c3d4');
	const bytes = encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId: hex('0102030405060708090a0b0c'),
		cookie,
		attributes: [
			{kind: 'mapped-address', address: {family: 4, address: '203.0.113.1', port: 9000}},
			{kind: 'source-address', address: {family: 4, address: '203.0.113.20', port: 3478}},
			{kind: 'changed-address', address: {family: 4, address: '203.0.113.21', port: 3479}},
		],
	});
	const message = decoded(bytes);
	assert.equal(message.hasMagicCookie, false);
	assert.equal(message.transactionKey, 'a1b2c3d40102030405060708090a0b0c');
	assert.equal(findAttribute(message, 'changed-address')?.address.address, '203.0.113.21');
	assert.equal(findAttribute(message, 'xor-mapped-address'), undefined);
});

test('malformed datagrams give typed errors', () => {
	const good = encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId: hex('0102030405060708090a0b0c'),
		fingerprint: true,
		attributes: [{kind: 'mapped-address', address: {family: 4, address: '203.0.113.1', port: 9000}}],
	});
	const cases: Array<[string, Buffer, string]> = [
		['empty', Buffer.alloc(0), 'too-short'],
		['19 bytes', good.subarray(0, 19), 'too-short'],
		['first bits set (RTP/DTLS)', Buffer.concat([hex('80'), good.subarray(1)]), 'not-stun'],
		['truncated body', good.subarray(0, good.length - 4), 'bad-length'],
		['trailing bytes', Buffer.concat([good, Buffer.alloc(4)]), 'bad-length'],
		['oversized', Buffer.alloc(70_000), 'too-large'],
	];
	const badFamily = Buffer.from(good);
	badFamily[25] = 0x03;
	cases.push(['unknown family', badFamily, 'bad-attribute']);
	const badFingerprint = Buffer.from(good);
	badFingerprint[good.length - 1]! ^= 0xff;
	cases.push(['fingerprint', badFingerprint, 'bad-fingerprint']);
	const longAttribute = Buffer.from(good);
	longAttribute.writeUInt16BE(200, 22);
	cases.push(['attribute past the end', longAttribute, 'truncated-attribute']);
	for (const [name, bytes, expected] of cases) {
		const result = decodeMessage(bytes);
		assert.equal(result.ok, false, name);
		assert.equal(result.ok ? '' : result.error.error, expected, name);
	}
});

test('raw reading: framing and FINGERPRINT checked, every other value kept as bytes that the strict decoder refuses', () => {
	const request = encodeMessage({
		method: Method.binding,
		messageClass: 'request',
		transactionId: hex('0102030405060708090a0b0c'),
		fingerprint: true,
		attributes: [
			{kind: 'other', type: 0x00_01, value: Buffer.alloc(4)},
			{kind: 'other', type: 0x00_03, value: hex('0006')},
			{kind: 'other', type: 0x00_26, value: Buffer.alloc(5000)},
		],
	});
	assert.equal(decodeMessage(request).ok, false);
	const raw = decodeRawMessage(request);
	assert.ok(raw.ok);
	assert.equal(raw.message.messageClass, 'request');
	assert.equal(raw.message.method, Method.binding);
	assert.equal(raw.message.transactionKey, request.toString('hex', 4, 20));
	assert.deepEqual(
		raw.message.attributes.map(attribute => [
			attribute.kind,
			attribute.type,
			attribute.kind === 'other' ? attribute.value.length : 4,
		]),
		[
			['other', 0x00_01, 4],
			['other', 0x00_03, 2],
			['other', 0x00_26, 5000],
			['fingerprint', 0x80_28, 4],
		],
	);

	const badFingerprint = Buffer.from(request);
	badFingerprint[badFingerprint.length - 1]! ^= 0xff;
	// A FINGERPRINT that checks out over a header counting the attribute behind it.
	const afterFingerprint = Buffer.concat([request, hex('80220000')]);
	afterFingerprint.writeUInt16BE(afterFingerprint.length - 20, 2);
	afterFingerprint.writeUInt32BE(fingerprintOf(afterFingerprint.subarray(0, request.length - 8)), request.length - 4);
	const cases: Array<[string, Buffer, string]> = [
		['bad FINGERPRINT', badFingerprint, 'bad-fingerprint'],
		['attribute after FINGERPRINT', afterFingerprint, 'attribute-after-fingerprint'],
		['19 bytes', request.subarray(0, 19), 'too-short'],
		['trailing bytes', Buffer.concat([request, Buffer.alloc(4)]), 'bad-length'],
		['first bits set', Buffer.concat([hex('c0'), request.subarray(1)]), 'not-stun'],
	];
	for (const [name, bytes, expected] of cases) {
		const result = decodeRawMessage(bytes);
		assert.equal(result.ok ? '' : result.error.error, expected, name);
	}
});

test('fuzz: the decoder is total on random bytes', () => {
	fc.assert(
		fc.property(fc.uint8Array({minLength: 0, maxLength: 700}), bytes => {
			const result = decodeMessage(bytes);
			// The catch-all inside decodeMessage must never be what answered.
			return result.ok || !result.error.detail.startsWith('decoder fault');
		}),
		{numRuns: 5000},
	);
});

test('fuzz: the decoder is total on mutated valid messages', () => {
	const seed = encodeMessage({
		method: Method.binding,
		messageClass: 'success',
		transactionId: hex('0102030405060708090a0b0c'),
		fingerprint: true,
		attributes: [
			{kind: 'xor-mapped-address', address: {family: 6, address: '2001:db8::1', port: 9000}},
			{kind: 'other-address', address: {family: 4, address: '198.51.100.11', port: 3479}},
			{kind: 'error-code', code: 420, reason: 'x'},
		],
	});
	fc.assert(
		fc.property(
			fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({min: 0, max: 255})), {maxLength: 8}),
			fc.nat(seed.length),
			(edits, cut) => {
				const bytes = Buffer.from(seed.subarray(0, Math.max(cut, 20)));
				for (const [index, value] of edits) {
					if (index < bytes.length) {
						bytes[index] = value;
					}
				}

				const result = decodeMessage(bytes);
				assert.ok(result.ok || !result.error.detail.startsWith('decoder fault'));
				// A decoded message always carries only well-formed addresses: text of its own family.
				if (result.ok) {
					for (const attribute of result.message.attributes) {
						if ('address' in attribute) {
							assert.equal(isIP(attribute.address.address), attribute.address.family, attribute.address.address);
						}
					}
				}

				return true;
			},
		),
		{numRuns: 5000},
	);
});
