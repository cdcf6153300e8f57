// Fuzz-style checks of everything `fwcheck serve` reads from strangers: random, truncated,
// mutated and oversized bytes into each decoder, parser and TCP framer. None may throw, and the
// reflection bounds (SIP echo 3x, STUN with discovery 5x) hold for every input, IPv4 and IPv6.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
	type AttributeInput,
	Method,
	decodeMessage,
	decodeRawMessage,
	encodeMessage,
	newTransactionId,
} from '../../source/stun/index.js';
import {
	LineSplitter,
	buildSipRequest,
	decodeControlReply,
	decodeControlRequest,
	decodeEcho,
	decodeServices,
	echoResponse,
	encodeServices,
	findMessageEnd,
	findServices,
	parseSipMessage,
	queryAttribute,
	servicesAttribute,
} from '../../source/wire/index.js';
import {respond} from '../../source/server/index.js';
import {planLayout} from '../../source/server/endpoints.js';

const runs = {numRuns: 300};

const invite = buildSipRequest({
	method: 'INVITE',
	uri: 'sip:fwcheck@198.51.100.7',
	headers: [
		['Via', 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK776asdhds;rport'],
		['From', '<sip:pbx@192.168.1.20>;tag=1928301774'],
		['To', '<sip:fwcheck@198.51.100.7>'],
		['Call-ID', 'a84b4c76e66710@192.168.1.20'],
		['CSeq', '1 INVITE'],
		['Contact', '<sip:pbx@192.168.1.20:5060>'],
		['Content-Type', 'application/sdp'],
	],
	body: Buffer.from('v=0\r\no=- 1 1 IN IP4 192.168.1.20\r\nc=IN IP4 192.168.1.20\r\nm=audio 40000 RTP/AVP 0\r\n'),
});

/** A valid message with some bytes overwritten, some cut, or a slice repeated. */
const mutated = (base: Buffer) =>
	fc.oneof(
		fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({min: 0, max: 255})), {maxLength: 8}).map(edits => {
			const copy = Buffer.from(base);
			for (const [at, byte] of edits) {
				copy[at] = byte;
			}

			return copy;
		}),
		fc.nat(base.length).map(cut => base.subarray(0, cut)),
		fc
			.tuple(fc.nat(base.length), fc.integer({min: 1, max: 40}))
			.map(([at, times]) =>
				Buffer.concat([
					base.subarray(0, at),
					...Array.from({length: times}, () => base.subarray(at, at + 16)),
					base.subarray(at),
				]),
			),
	);

const sipLike = fc.oneof(
	fc.uint8Array({maxLength: 2000}),
	mutated(invite),
	fc
		.array(
			fc.constantFrom(
				'INVITE sip:a SIP/2.0',
				'SIP/2.0 200 OK',
				'\r\n',
				'\n',
				'Via: x',
				'v:',
				' cont',
				'l: 5',
				'Content-Length: 99999999',
				':',
				'CSeq: 1 A',
				'i:z',
				'f:a',
				't:b;tag=1',
				'\u00ff\u00fe',
			),
			{maxLength: 60},
		)
		.map(parts => Buffer.from(parts.join(''), 'latin1')),
);

test('SIP parser, TCP framer and echo never throw on random, mutated or cut bytes', () => {
	fc.assert(
		fc.property(sipLike, fc.constantFrom('192.0.2.1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), (bytes, address) => {
			const parsed = parseSipMessage(bytes);
			if (parsed.ok) {
				decodeEcho(parsed.message);
			}

			const frame = findMessageEnd(bytes, 8192);
			if (frame.state === 'complete') {
				assert.ok(frame.length <= bytes.length && frame.length <= 8192);
			}

			const decision = echoResponse(bytes, {address, port: 65_535}, 'tag');
			if (decision.action === 'reply') {
				assert.ok(decision.response.length <= 3 * bytes.length, `${decision.response.length} for ${bytes.length}`);
			}
		}),
		runs,
	);
});

test('SIP parser and framer on huge inputs: bounded, no throw', () => {
	const huge = [
		Buffer.alloc(1 << 20, 0x41),
		Buffer.from(`OPTIONS sip:x SIP/2.0\r\n${'Via: a\r\n'.repeat(50_000)}\r\n`),
		Buffer.from(`OPTIONS sip:x SIP/2.0\r\nVia: a\r\n${' b\r\n'.repeat(50_000)}\r\n`),
		Buffer.from('\r\n'.repeat(100_000)),
		Buffer.from(`OPTIONS ${'a'.repeat(100_000)} SIP/2.0\r\n\r\n`),
		Buffer.from(`INVITE sip:a SIP/2.0\r\nTo: ${';'.repeat(1)}${' '.repeat(100_000)}\r\n\r\n`),
	];
	for (const bytes of huge) {
		parseSipMessage(bytes);
		assert.notEqual(findMessageEnd(bytes, 8192).state, 'incomplete');
		echoResponse(bytes, {address: '192.0.2.1', port: 5060}, 'tag');
	}
});

test('control: request and reply decoders never throw on random text or JSON', () => {
	const lines = fc.oneof(
		fc.string({maxLength: 1100}),
		fc.json({maxDepth: 4}),
		fc.anything({maxDepth: 3}).map(value => JSON.stringify(value) ?? ''),
		fc
			.record(
				{
					v: fc.oneof(fc.constant(1), fc.anything()),
					id: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.string()),
					op: fc.constantFrom('connect', 'sip-options', '__proto__', 'constructor', 'toString'),
					ports: fc.oneof(fc.array(fc.oneof(fc.integer({min: -1, max: 70_000}), fc.double(), fc.string())), fc.anything()),
					port: fc.oneof(fc.integer({min: -1, max: 70_000}), fc.anything()),
					transport: fc.constantFrom('udp', 'tcp', 'sctp', 1),
					nonce: fc.oneof(fc.string({unit: fc.constantFrom(...'0123456789abcdefABCDEFg'), maxLength: 40}), fc.anything()),
					ok: fc.anything(),
					results: fc.anything(),
				},
				{requiredKeys: []},
			)
			.map(object => JSON.stringify(object)),
		fc.constantFrom(
			'[]',
			'null',
			'1',
			'"x"',
			'{"__proto__":{"v":1}}',
			'['.repeat(1024),
			'{"v":1,"id":1,"op":"connect","ports":{"length":5}}',
		),
	);
	fc.assert(
		fc.property(lines, fc.integer({min: 1, max: 64}), (line, maxPorts) => {
			const decoded = decodeControlRequest(line, maxPorts);
			if (decoded.ok && decoded.request.op === 'connect') {
				const {ports, nonce} = decoded.request;
				assert.ok(ports.length >= 1 && ports.length <= maxPorts);
				assert.equal(new Set(ports).size, ports.length);
				assert.ok(ports.every(port => Number.isInteger(port) && port >= 1 && port <= 65_535));
				assert.match(nonce, /^[\da-f]{1,32}$/i);
			}

			if (decoded.ok && decoded.request.op === 'sip-options') {
				assert.ok(Number.isInteger(decoded.request.port) && decoded.request.port >= 1 && decoded.request.port <= 65_535);
			}

			decodeControlReply(line);
		}),
		runs,
	);
});

test('control: the line splitter never holds more than one line, whatever the chunking', () => {
	fc.assert(
		fc.property(
			fc.array(fc.uint8Array({maxLength: 700}), {maxLength: 30}),
			fc.array(fc.constantFrom(0x0a, 0x0d), {maxLength: 5}),
			(chunks, ends) => {
				const splitter = new LineSplitter(1024);
				for (const chunk of chunks) {
					const {lines, overflow} = splitter.push(Buffer.concat([chunk, Buffer.from(ends)]));
					assert.ok(lines.every(line => Buffer.byteLength(line) <= 1024 * 3));
					if (overflow) {
						assert.deepEqual(splitter.push(Buffer.from('{}\n')), {lines: [], overflow: true});
						return;
					}
				}
			},
		),
		runs,
	);
	// One megabyte without a newline: overflow at once, nothing kept.
	assert.equal(new LineSplitter(1024).push(Buffer.alloc(1 << 20, 0x41)).overflow, true);
});

test('discovery: the services decoder never throws and reads only its own text', () => {
	fc.assert(
		fc.property(
			fc.oneof(
				fc.uint8Array({maxLength: 400}),
				fc.string({maxLength: 400}).map(text => `fwcheck/1 ${text}`),
				fc
					.array(
						fc.constantFrom(
							'sip=',
							'control=',
							'maxports=',
							'options=1',
							'connect=1',
							'=',
							' ',
							'0',
							'65535',
							'65536',
							'99999',
							'-1',
							'1e3',
						),
						{maxLength: 30},
					)
					.map(parts => `fwcheck/1 ${parts.join('')}`),
			),
			value => {
				const offer = decodeServices(value);
				for (const port of [offer?.sipPort, offer?.controlPort, offer?.maxPorts]) {
					assert.ok(port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65_535));
				}
			},
		),
		runs,
	);
});

const offers = fc.record({
	sipPort: fc.integer({min: 1, max: 65_535}),
	controlPort: fc.integer({min: 1, max: 65_535}),
	options: fc.boolean(),
	connect: fc.boolean(),
	maxPorts: fc.integer({min: 1, max: 64}),
});

const layouts = [
	planLayout({family: 4, primary: '192.0.2.1', alternate: '192.0.2.2', port: 3478, altPort: 3479}),
	planLayout({family: 4, primary: '192.0.2.1', alternate: undefined, port: 3478, altPort: 3479}),
	planLayout({
		family: 6,
		primary: '2001:db8:ffff:ffff:ffff:ffff:ffff:fff1',
		alternate: '2001:db8:ffff:ffff:ffff:ffff:ffff:fff2',
		port: 65_535,
		altPort: 65_534,
	}),
	planLayout({family: 6, primary: '2001:db8::1', alternate: undefined, port: 3478, altPort: 3479}),
];

const attributeInputs: fc.Arbitrary<AttributeInput> = fc.oneof(
	fc.constant(queryAttribute()),
	fc.uint8Array({maxLength: 40}).map(value => ({kind: 'other', type: 0xc0_f1, value: Buffer.from(value)}) as const),
	fc.uint8Array({maxLength: 40}).map(value => ({kind: 'other', type: 0x80_22, value: Buffer.from(value)}) as const),
	fc
		.integer({min: 0, max: 3})
		.map(flags => ({kind: 'change-request', changeIp: (flags & 1) === 1, changePort: (flags & 2) === 2}) as const),
	fc.nat(60).map(length => ({kind: 'other', type: 0x00_26, value: Buffer.alloc(length)}) as const),
	fc
		.integer({min: 0, max: 0xff_ff})
		.map(port => ({kind: 'other', type: 0x00_27, value: Buffer.from([port >> 8, port & 0xff, 0, 0])}) as const),
	fc.constant({kind: 'other', type: 0x00_02, value: Buffer.alloc(8)} as const),
);

test('STUN with discovery: every answer within 5x the request, IPv4 and IPv6, tiny requests included', () => {
	fc.assert(
		fc.property(
			offers,
			fc.constantFrom(...layouts.keys()),
			fc.array(attributeInputs, {maxLength: 4}),
			fc.boolean(),
			fc.boolean(),
			(offer, layoutIndex, attributes, fingerprint, classic) => {
				const layout = layouts[layoutIndex]!;
				const family = layout.endpoints[0]!.family;
				const request = encodeMessage({
					method: Method.binding,
					messageClass: 'request',
					transactionId: newTransactionId(),
					attributes,
					fingerprint,
					...(classic ? {cookie: Buffer.from([1, 2, 3, 4])} : {}),
				});
				const source = {family, address: family === 4 ? '203.0.113.200' : '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', port: 65_535};
				const decision = respond(
					{data: request, source, receivedOn: layout.endpoints[0]!},
					{layout, software: 'fwcheck', services: Buffer.from(encodeServices(offer), 'utf8')},
				);
				if (decision.action === 'reply') {
					assert.ok(decision.datagram.length <= 5 * request.length, `${decision.datagram.length} for ${request.length}`);
					assert.equal(decision.to.address, source.address);
					const answer = decodeMessage(decision.datagram);
					assert.ok(answer.ok);
					findServices(answer.message);
				}
			},
		),
		runs,
	);
});

test('STUN with discovery: the real query gets the services text on IPv6 with every address attribute', () => {
	const layout = layouts[2]!;
	const offer = {sipPort: 65_535, controlPort: 65_535, options: true, connect: true, maxPorts: 64};
	const request = encodeMessage({
		method: Method.binding,
		messageClass: 'request',
		transactionId: newTransactionId(),
		attributes: [queryAttribute()],
	});
	const decision = respond(
		{
			data: request,
			source: {family: 6, address: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', port: 65_535},
			receivedOn: layout.endpoints[0]!,
		},
		{layout, software: 'fwcheck', services: Buffer.from(encodeServices(offer), 'utf8')},
	);
	assert.ok(decision.action === 'reply');
	const answer = decodeMessage(decision.datagram);
	assert.ok(answer.ok);
	assert.deepEqual(findServices(answer.message), offer);
	assert.ok(decision.datagram.length <= 5 * request.length);
	assert.ok(servicesAttribute(offer));
});

/** Any attribute a stranger could send: every type but FINGERPRINT (a random one fails its check), any value. */
const anyAttribute: fc.Arbitrary<AttributeInput> = fc.oneof(
	fc
		.tuple(
			fc.integer({min: 0, max: 0xff_ff}).filter(type => type !== 0x80_28),
			fc.uint8Array({maxLength: 48}),
		)
		.map(([type, value]) => ({kind: 'other', type, value: Buffer.from(value)}) as const),
	// The types the server acts on, at lengths around the right one.
	fc
		.tuple(fc.constantFrom(0x00_03, 0x00_26, 0x00_27), fc.uint8Array({maxLength: 9}))
		.map(([type, value]) => ({kind: 'other', type, value: Buffer.from(value)}) as const),
	// Up to the largest IPv4 datagram, whose PADDING is echoed at 1500 bytes at most.
	fc.integer({min: 0, max: 65_400}).map(length => ({kind: 'other', type: 0x00_26, value: Buffer.alloc(length)}) as const),
);

/** What RFC 8489 §6.3.1 and RFC 5780 §6.1 ask of this server, written from the attribute types and lengths alone. */
const expectedOutcome = (attributes: readonly AttributeInput[], single: boolean): string => {
	const raw = attributes.map(attribute => (attribute.kind === 'other' ? attribute : undefined));
	const understood = new Set([0x00_03, 0x00_26, 0x00_27]);
	if (raw.some(attribute => attribute && attribute.type < 0x80_00 && !understood.has(attribute.type))) {
		return 'unknown-attribute';
	}

	const change = raw.find(attribute => attribute?.type === 0x00_03);
	if (change && change.value.length !== 4) {
		return 'bad-request';
	}

	if (single && change && (change.value.readUInt32BE(0) & 0x06) !== 0) {
		return 'unknown-attribute';
	}

	const port = raw.find(attribute => attribute?.type === 0x00_27);
	const padded = raw.some(attribute => attribute?.type === 0x00_26);
	if (port && (padded || port.value.length !== 4 || port.value.readUInt16BE(0) === 0)) {
		return 'bad-request';
	}

	return 'success';
};

test('STUN lenient reading: every well-framed Binding request is answered as RFC 8489 says, within 5x, whatever its values', () => {
	fc.assert(
		fc.property(
			fc.constantFrom(...layouts.keys()),
			fc.array(anyAttribute, {maxLength: 5}),
			fc.boolean(),
			fc.boolean(),
			(layoutIndex, attributes, fingerprint, classic) => {
				const layout = layouts[layoutIndex]!;
				const family = layout.endpoints[0]!.family;
				let request: Buffer;
				try {
					request = encodeMessage({
						method: Method.binding,
						messageClass: 'request',
						transactionId: newTransactionId(),
						attributes,
						fingerprint,
						...(classic ? {cookie: Buffer.from([1, 2, 3, 4])} : {}),
					});
				} catch {
					// More than the 16-bit length field can say: no such datagram exists.
					return;
				}

				fc.pre(request.length <= 65_507);
				const source = {family, address: family === 4 ? '203.0.113.200' : '2001:db8::9', port: 40_000};
				const decision = respond({data: request, source, receivedOn: layout.endpoints[0]!}, {layout, software: 'fwcheck'});
				assert.equal(decision.action, 'reply');
				assert.equal(decision.outcome, expectedOutcome(attributes, layout.mode === 'single-address'));
				assert.ok(decision.datagram.length <= 5 * request.length, `${decision.datagram.length} for ${request.length}`);
				assert.ok(decision.datagram.length <= 1500 + 200, `${decision.datagram.length} bytes`);
				const answer = decodeMessage(decision.datagram);
				assert.ok(answer.ok);
				assert.equal(answer.message.transactionKey, request.toString('hex', 4, 20));
			},
		),
		runs,
	);
});

test('STUN lenient reading never throws: random, mutated, cut and oversized datagrams', () => {
	const seed = encodeMessage({
		method: Method.binding,
		messageClass: 'request',
		transactionId: newTransactionId(),
		attributes: [
			{kind: 'change-request', changeIp: true, changePort: true},
			{kind: 'other', type: 0x00_27, value: Buffer.from([0x25, 0x1d, 0, 0])},
			{kind: 'other', type: 0x00_01, value: Buffer.alloc(4)},
			{kind: 'other', type: 0x80_2c, value: Buffer.alloc(4)},
			queryAttribute(),
		],
		fingerprint: true,
	});
	const layout = layouts[0]!;
	fc.assert(
		fc.property(fc.oneof(fc.uint8Array({maxLength: 300}), mutated(seed)), bytes => {
			const raw = decodeRawMessage(bytes);
			// The catch-all inside the reader must never be what answered.
			assert.ok(raw.ok || !raw.error.detail.startsWith('decoder fault'), raw.ok ? '' : raw.error.detail);
			const decision = respond(
				{data: bytes, source: {family: 4, address: '203.0.113.200', port: 40_000}, receivedOn: layout.endpoints[0]!},
				{layout, software: 'fwcheck'},
			);
			assert.ok(decision.action === 'drop' || decision.datagram.length <= 5 * bytes.length);
		}),
		{numRuns: 2000},
	);
	for (const length of [4097, 65_507, 65_555, 65_556, 70_000]) {
		const bytes = Buffer.alloc(length);
		bytes.writeUInt16BE(0x00_01, 0);
		bytes.writeUInt16BE((length - 20) & 0xff_ff, 2);
		const raw = decodeRawMessage(bytes);
		assert.ok(raw.ok || !raw.error.detail.startsWith('decoder fault'), `${length}`);
	}
});
