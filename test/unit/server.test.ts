// Pure parts of `fwcheck serve`: the response builder, socket layout, budget, rate limiter,
// options, counters and error text. No sockets here; the addresses are only data.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
	type AttributeInput,
	AttributeType,
	MAGIC_COOKIE,
	Method,
	type StunMessage,
	type TransportAddress,
	decodeMessage,
	decodeRawMessage,
	encodeMessage,
	findAttribute,
	newTransactionId,
} from '../../source/stun/index.js';
import {
	AMPLIFICATION_FACTOR,
	PADDING_ECHO_LIMIT,
	PADDING_TYPE,
	type ServerDecision,
	StunServerError,
	formatServerError,
	respond,
} from '../../source/server/index.js';
import {type Endpoint, type EndpointLayout, otherEndpoint, planLayout, replyEndpoint} from '../../source/server/endpoints.js';
import {DEFAULT_RATE_LIMIT, resolveOptions} from '../../source/server/options.js';
import {SourceRateLimiter, sourceKey} from '../../source/server/rate-limiter.js';
import {encodedSize, fitToBudget} from '../../source/server/reply-budget.js';
import {countDrop, countReply, emptyStats, formatStatsLine} from '../../source/server/counters.js';
import {bindError} from '../../source/server/errors.js';

const A = '198.51.100.1';
const B = '198.51.100.2';
const twoAddress = planLayout({family: 4, primary: A, alternate: B, port: 3478, altPort: 3479});
const singleAddress = planLayout({family: 4, primary: A, alternate: undefined, port: 3478, altPort: 3479});
const client: TransportAddress = {family: 4, address: '203.0.113.7', port: 9500};
const settings = (layout: EndpointLayout, software = 'fwcheck') => ({layout, software});

const endpoint = (layout: EndpointLayout, alternateIp = false, alternatePort = false): Endpoint => {
	const found = layout.endpoints.find(
		candidate => candidate.alternateIp === alternateIp && candidate.alternatePort === alternatePort,
	);
	assert.ok(found);
	return found;
};

const request = (
	attributes: AttributeInput[] = [],
	options: {classic?: boolean; messageClass?: 'request' | 'indication' | 'success' | 'error'; method?: number} = {},
) =>
	encodeMessage({
		method: options.method ?? Method.binding,
		messageClass: options.messageClass ?? 'request',
		transactionId: newTransactionId(),
		attributes,
		cookie: options.classic ? Buffer.from([0xde, 0xad, 0xbe, 0xef]) : undefined,
	});

const changeRequest = (changeIp: boolean, changePort: boolean): AttributeInput => ({
	kind: 'change-request',
	changeIp,
	changePort,
});

type Reply = Extract<ServerDecision, {action: 'reply'}>;

const reply = (
	data: Buffer,
	layout = twoAddress,
	receivedOn = endpoint(layout),
	source = client,
): Reply & {message: StunMessage} => {
	const decision = respond({data, source, receivedOn}, settings(layout));
	assert.equal(decision.action, 'reply');
	const decoded = decodeMessage(decision.datagram);
	assert.ok(decoded.ok, 'the reply decodes (and its FINGERPRINT, if any, checks out)');
	return {...decision, message: decoded.message};
};

const addressOf = (message: StunMessage, kind: Parameters<typeof findAttribute>[1]): unknown => {
	const attribute = findAttribute(message, kind);
	return attribute && 'address' in attribute ? attribute.address : undefined;
};

const plain = ({family, address, port}: TransportAddress): TransportAddress => ({family, address, port});

test('RFC 8489 request: XOR-MAPPED, MAPPED, RESPONSE-ORIGIN, OTHER-ADDRESS, SOFTWARE, FINGERPRINT; same transaction', () => {
	const data = request();
	const result = reply(data);
	assert.equal(result.outcome, 'success');
	assert.equal(result.style, 'rfc8489');
	assert.equal(result.message.messageClass, 'success');
	assert.equal(result.message.method, Method.binding);
	assert.ok(result.message.hasMagicCookie);
	assert.equal(result.message.transactionKey, data.subarray(4, 20).toString('hex'));
	assert.deepEqual(addressOf(result.message, 'xor-mapped-address'), client);
	assert.deepEqual(addressOf(result.message, 'mapped-address'), client);
	assert.deepEqual(addressOf(result.message, 'response-origin'), {family: 4, address: A, port: 3478});
	assert.deepEqual(addressOf(result.message, 'other-address'), {family: 4, address: B, port: 3479});
	assert.equal(findAttribute(result.message, 'software')?.text, 'fwcheck');
	assert.equal(result.message.attributes.at(-1)?.kind, 'fingerprint');
	assert.deepEqual(result.to, client);
	assert.equal(result.from, endpoint(twoAddress));
	assert.ok(result.datagram.length <= AMPLIFICATION_FACTOR * data.length);
});

test('RFC 3489 request: all 16 ID bytes echoed; MAPPED, SOURCE, CHANGED; no cookie-only attributes', () => {
	const data = request([changeRequest(false, false)], {classic: true});
	const result = reply(data);
	assert.equal(result.style, 'rfc3489');
	assert.equal(result.message.hasMagicCookie, false);
	assert.deepEqual(result.datagram.subarray(4, 20), data.subarray(4, 20));
	assert.deepEqual(addressOf(result.message, 'mapped-address'), client);
	assert.deepEqual(addressOf(result.message, 'source-address'), {family: 4, address: A, port: 3478});
	assert.deepEqual(addressOf(result.message, 'changed-address'), {family: 4, address: B, port: 3479});
	assert.equal(findAttribute(result.message, 'xor-mapped-address'), undefined);
	assert.equal(findAttribute(result.message, 'fingerprint'), undefined);
	// Old parsers want text lengths in multiples of 4.
	const software = result.message.attributes.find(attribute => attribute.type === AttributeType.software);
	assert.ok(software?.kind === 'software');
	assert.equal(Buffer.byteLength(software.text) % 4, 0);
	assert.equal(software.text.trimEnd(), 'fwcheck');
});

test('CHANGE-REQUEST picks the socket per RFC 5780 Table 1, from every receiving socket; OTHER-ADDRESS is the opposite corner', () => {
	for (const receivedOn of twoAddress.endpoints) {
		for (const [changeIp, changePort] of [
			[false, false],
			[true, false],
			[false, true],
			[true, true],
		] as const) {
			for (const classic of [false, true]) {
				const result = reply(request([changeRequest(changeIp, changePort)], {classic}), twoAddress, receivedOn);
				assert.equal(result.from.alternateIp, receivedOn.alternateIp !== changeIp);
				assert.equal(result.from.alternatePort, receivedOn.alternatePort !== changePort);
				const opposite = endpoint(twoAddress, !receivedOn.alternateIp, !receivedOn.alternatePort);
				assert.deepEqual(addressOf(result.message, classic ? 'source-address' : 'response-origin'), plain(result.from));
				assert.deepEqual(addressOf(result.message, classic ? 'changed-address' : 'other-address'), plain(opposite));
				assert.equal(result.change, changeIp ? (changePort ? 'both' : 'ip') : changePort ? 'port' : 'none');
			}
		}
	}
});

test('single-address: no OTHER-ADDRESS or CHANGED-ADDRESS; CHANGE-REQUEST with a flag gets 420 naming CHANGE-REQUEST', () => {
	const modern = reply(request(), singleAddress);
	assert.equal(findAttribute(modern.message, 'other-address'), undefined);
	assert.deepEqual(addressOf(modern.message, 'response-origin'), {family: 4, address: A, port: 3478});
	const classic = reply(request([], {classic: true}), singleAddress);
	assert.equal(findAttribute(classic.message, 'changed-address'), undefined);
	// Flags all clear ask for nothing the server lacks (Debian's `stun` sends that as its Test I).
	assert.equal(reply(request([changeRequest(false, false)]), singleAddress).outcome, 'success');

	for (const [changeIp, changePort] of [
		[true, false],
		[false, true],
		[true, true],
	] as const) {
		for (const asClassic of [false, true]) {
			const refused = reply(request([changeRequest(changeIp, changePort)], {classic: asClassic}), singleAddress);
			assert.equal(refused.outcome, 'unknown-attribute');
			assert.equal(refused.message.messageClass, 'error');
			assert.equal(findAttribute(refused.message, 'error-code')?.code, 420);
			assert.equal(findAttribute(refused.message, 'unknown-attributes')?.types[0], AttributeType.changeRequest);
			assert.equal(refused.from, endpoint(singleAddress));
		}
	}
});

test('420 lists unknown comprehension-required attributes, including RFC 3489 RESPONSE-ADDRESS; optional ones are ignored', () => {
	const responseAddress: AttributeInput = {kind: 'other', type: 0x00_02, value: Buffer.from([0, 1, 0x25, 0x1c, 203, 0, 113, 9])};
	const unknown: AttributeInput = {kind: 'other', type: 0x7f_ff, value: Buffer.alloc(4)};
	const optional: AttributeInput = {kind: 'other', type: 0xc0_01, value: Buffer.alloc(4)};

	const modern = reply(request([responseAddress, unknown, unknown, optional]));
	assert.equal(modern.outcome, 'unknown-attribute');
	assert.equal(findAttribute(modern.message, 'error-code')?.code, 420);
	assert.deepEqual(findAttribute(modern.message, 'unknown-attributes')?.types, [0x00_02, 0x7f_ff]);
	assert.equal(modern.message.attributes.at(-1)?.kind, 'fingerprint');
	// Errors go back the way the request came, whatever else it asked for.
	assert.deepEqual(modern.to, client);

	const classic = reply(request([responseAddress, changeRequest(true, true)], {classic: true}));
	assert.equal(classic.outcome, 'unknown-attribute');
	// RFC 3489: an odd list repeats an entry; the reason is padded to 4 bytes.
	assert.deepEqual(findAttribute(classic.message, 'unknown-attributes')?.types, [0x00_02, 0x00_02]);
	assert.equal(Buffer.byteLength(findAttribute(classic.message, 'error-code')?.reason ?? 'x') % 4, 0);

	assert.equal(reply(request([optional])).outcome, 'success');
});

const rawAttribute = (type: number, bytes: number[] | number): AttributeInput => ({
	kind: 'other',
	type,
	value: typeof bytes === 'number' ? Buffer.alloc(bytes) : Buffer.from(bytes),
});

const ipv4Value = [0, 1, 0x25, 0x1c, 203, 0, 113, 9];

test('420 for an unknown comprehension-required attribute whatever its value, malformed or not (RFC 8489 §6.3.1)', () => {
	const cases: Array<[string, AttributeInput]> = [
		['MAPPED-ADDRESS of 4 zero bytes', rawAttribute(0x00_01, 4)],
		['SOURCE-ADDRESS of 4 zero bytes', rawAttribute(0x00_04, 4)],
		['CHANGED-ADDRESS of 4 zero bytes', rawAttribute(0x00_05, 4)],
		['XOR-MAPPED-ADDRESS of 4 zero bytes', rawAttribute(0x00_20, 4)],
		['ERROR-CODE of 2 bytes', rawAttribute(0x00_09, 2)],
		['UNKNOWN-ATTRIBUTES of 3 bytes', rawAttribute(0x00_0a, 3)],
		['MESSAGE-INTEGRITY of 8 bytes', rawAttribute(0x00_08, 8)],
		['MAPPED-ADDRESS, well formed', rawAttribute(0x00_01, ipv4Value)],
		['SOURCE-ADDRESS, well formed', rawAttribute(0x00_04, ipv4Value)],
		['CHANGED-ADDRESS, well formed', rawAttribute(0x00_05, ipv4Value)],
		['XOR-MAPPED-ADDRESS, well formed', rawAttribute(0x00_20, ipv4Value)],
		['ERROR-CODE, well formed', {kind: 'error-code', code: 420, reason: 'x'}],
		['UNKNOWN-ATTRIBUTES, well formed', {kind: 'unknown-attributes', types: [0x7f_ff]}],
		['MESSAGE-INTEGRITY, well formed', rawAttribute(0x00_08, 20)],
	];
	for (const [name, attribute] of cases) {
		for (const classic of [false, true]) {
			const data = request([attribute], {classic});
			const type = decodeRawMessage(data).ok ? data.readUInt16BE(20) : -1;
			const refused = reply(data);
			assert.equal(refused.outcome, 'unknown-attribute', name);
			assert.equal(findAttribute(refused.message, 'error-code')?.code, 420, name);
			assert.equal(findAttribute(refused.message, 'unknown-attributes')?.types[0], type, name);
			assert.deepEqual(refused.to, client, name);
		}
	}
});

test('unknown comprehension-optional attributes are ignored whatever their value: 0x8020, 0x802B, 0x802C of 4 bytes', () => {
	for (const type of [0x80_20, 0x80_2b, 0x80_2c, 0x80_22]) {
		const answered = reply(request([rawAttribute(type, 4), changeRequest(true, false)]));
		assert.equal(answered.outcome, 'success', `0x${type.toString(16)}`);
		assert.equal(answered.change, 'ip');
		assert.deepEqual(addressOf(answered.message, 'xor-mapped-address'), client);
	}
});

test('400 for a malformed value in an attribute the server acts on: CHANGE-REQUEST of 2 or 8 bytes, RESPONSE-PORT of 2', () => {
	for (const layout of [twoAddress, singleAddress]) {
		for (const attribute of [
			rawAttribute(AttributeType.changeRequest, [0, 6]),
			rawAttribute(AttributeType.changeRequest, [0, 0, 0, 6, 0, 0, 0, 0]),
			rawAttribute(AttributeType.changeRequest, 0),
			rawAttribute(AttributeType.responsePort, [0x25, 0x1d]),
		]) {
			for (const classic of [false, true]) {
				const refused = reply(request([attribute], {classic}), layout);
				assert.equal(refused.outcome, 'bad-request');
				assert.equal(findAttribute(refused.message, 'error-code')?.code, 400);
				assert.equal(findAttribute(refused.message, 'unknown-attributes'), undefined);
				assert.deepEqual(refused.to, client);
				assert.equal(refused.from, endpoint(layout));
			}
		}
	}

	// An unknown comprehension-required attribute is reported first, as RFC 8489 §6.3.1 orders it.
	const both = reply(request([rawAttribute(AttributeType.changeRequest, 2), rawAttribute(0x00_01, 4)]));
	assert.equal(findAttribute(both.message, 'error-code')?.code, 420);
});

test('requests over 4096 bytes are answered, up to the largest IPv4 UDP datagram; PADDING echoes at most 1500 bytes', () => {
	// 65 507 bytes is the most an IPv4 datagram carries; a STUN message is a multiple of 4: 65 504.
	for (const paddingLength of [4077, 8000, 65_472]) {
		const data = request([changeRequest(true, true), rawAttribute(PADDING_TYPE, paddingLength)]);
		assert.ok(data.length > 4096 && data.length <= 65_504, `${data.length} bytes`);
		const result = reply(data);
		assert.equal(result.outcome, 'success');
		assert.equal(result.change, 'both');
		const padding = result.message.attributes.find(attribute => attribute.type === PADDING_TYPE);
		assert.ok(padding?.kind === 'other');
		assert.equal(padding.value.length, Math.min(paddingLength, PADDING_ECHO_LIMIT));
		assert.ok(result.datagram.length <= AMPLIFICATION_FACTOR * data.length);
		assert.ok(result.datagram.length < PADDING_ECHO_LIMIT + 200, `${result.datagram.length} bytes`);
	}

	// Without PADDING too: a large optional attribute is ignored, a large unknown required one is a 420.
	assert.equal(reply(request([rawAttribute(0x80_99, 20_000)])).outcome, 'success');
	const unknown = reply(request([rawAttribute(0x7f_00, 20_000)]));
	assert.equal(findAttribute(unknown.message, 'error-code')?.code, 420);
	assert.ok(unknown.datagram.length < 200);
});

test('never answers responses, indications, other methods, garbage or truncated datagrams', () => {
	const drop = (data: Uint8Array) => respond({data, source: client, receivedOn: endpoint(twoAddress)}, settings(twoAddress));
	assert.deepEqual(drop(request([], {messageClass: 'success'})), {action: 'drop', reason: 'not-request'});
	assert.deepEqual(drop(request([], {messageClass: 'error'})), {action: 'drop', reason: 'not-request'});
	assert.deepEqual(drop(request([], {messageClass: 'indication'})), {action: 'drop', reason: 'not-request'});
	assert.deepEqual(drop(request([], {method: 0x003})), {action: 'drop', reason: 'other-method'});
	assert.deepEqual(drop(Buffer.from('GET / HTTP/1.1\r\n\r\n')), {action: 'drop', reason: 'malformed'});
	assert.deepEqual(drop(Buffer.alloc(0)), {action: 'drop', reason: 'malformed'});
	const whole = request([changeRequest(true, true)]);
	for (let length = 0; length < whole.length; length++) {
		assert.equal(drop(whole.subarray(0, length)).action, 'drop', `cut at ${length}`);
	}

	// A source port of 0 can arrive but cannot be answered.
	assert.equal(
		respond({data: request(), source: {...client, port: 0}, receivedOn: endpoint(twoAddress)}, settings(twoAddress)).action,
		'drop',
	);

	const badFingerprint = Buffer.from(
		encodeMessage({method: Method.binding, messageClass: 'request', transactionId: newTransactionId(), fingerprint: true}),
	);
	badFingerprint[badFingerprint.length - 1]! ^= 0xff;
	assert.deepEqual(drop(badFingerprint), {action: 'drop', reason: 'malformed'});
});

test('RESPONSE-PORT sends the reply to the same IP at that port; with PADDING or port 0 it is a 400', () => {
	const responsePort = (port: number): AttributeInput => ({
		kind: 'other',
		type: AttributeType.responsePort,
		value: Buffer.from([port >> 8, port & 0xff, 0, 0]),
	});
	const moved = reply(request([responsePort(9501), changeRequest(true, true)]));
	assert.equal(moved.outcome, 'success');
	assert.deepEqual(moved.to, {...client, port: 9501});
	assert.deepEqual(addressOf(moved.message, 'xor-mapped-address'), client);
	assert.equal(moved.from, endpoint(twoAddress, true, true));

	const padding: AttributeInput = {kind: 'other', type: PADDING_TYPE, value: Buffer.alloc(100)};
	for (const data of [request([responsePort(9501), padding]), request([responsePort(0)])]) {
		const refused = reply(data);
		assert.equal(refused.outcome, 'bad-request');
		assert.equal(findAttribute(refused.message, 'error-code')?.code, 400);
		assert.deepEqual(refused.to, client);
	}
});

test('PADDING in the request is echoed at the same length, which keeps the reply near the request size', () => {
	const data = request([changeRequest(true, true), {kind: 'other', type: PADDING_TYPE, value: Buffer.alloc(1500)}]);
	const result = reply(data);
	const padding = result.message.attributes.find(attribute => attribute.type === PADDING_TYPE);
	assert.ok(padding?.kind === 'other');
	assert.equal(padding.value.length, 1500);
	assert.ok(result.datagram.length < data.length + 100);
});

test('amplification: a bare 20-byte request gets at most 100 bytes back; IPv6 keeps what Test 2 needs', () => {
	const v4 = reply(request());
	assert.equal(request().length, 20);
	assert.ok(v4.datagram.length <= 100, `${v4.datagram.length} bytes`);
	assert.ok(findAttribute(v4.message, 'mapped-address') && findAttribute(v4.message, 'software'), 'IPv4 fits everything');

	const v6Layout = planLayout({family: 6, primary: '2001:db8::1', alternate: '2001:db8::2', port: 3478, altPort: 3479});
	const v6Client: TransportAddress = {family: 6, address: '2001:db8:ffff::7', port: 9500};
	const v6 = reply(request(), v6Layout, endpoint(v6Layout), v6Client);
	assert.ok(v6.datagram.length <= 100, `${v6.datagram.length} bytes`);
	assert.deepEqual(addressOf(v6.message, 'xor-mapped-address'), v6Client);
	assert.deepEqual(addressOf(v6.message, 'other-address'), {family: 6, address: '2001:db8::2', port: 3479});
	assert.deepEqual(addressOf(v6.message, 'response-origin'), {family: 6, address: '2001:db8::1', port: 3478});
	// With a bigger request (a CHANGE-REQUEST) the budget grows and everything fits again.
	const v6Full = reply(request([changeRequest(false, false)]), v6Layout, endpoint(v6Layout), v6Client);
	assert.ok(findAttribute(v6Full.message, 'mapped-address'));
});

test('property: any datagram gets a drop or a reply within the budget, never an exception', () => {
	fc.assert(
		fc.property(fc.uint8Array({maxLength: 200}), bytes => {
			const decision = respond({data: bytes, source: client, receivedOn: endpoint(twoAddress)}, settings(twoAddress));
			return decision.action === 'drop' || decision.datagram.length <= AMPLIFICATION_FACTOR * bytes.length;
		}),
		{numRuns: 2000},
	);
});

/** FINGERPRINT with a random value fails its check, and such a request is rightly dropped (RFC 8489 §7.3). */
const FINGERPRINT_TYPE = 0x80_28;

test('property: requests with random attributes get a same-transaction response within the budget', () => {
	const attribute = fc.oneof(
		fc.record({kind: fc.constant('change-request' as const), changeIp: fc.boolean(), changePort: fc.boolean()}),
		fc.record({
			kind: fc.constant('other' as const),
			type: fc.integer({min: 0, max: 0xff_ff}).filter(type => type !== FINGERPRINT_TYPE),
			value: fc.uint8Array({maxLength: 40}).map(bytes => Buffer.from(bytes)),
		}),
		fc.record({kind: fc.constant('software' as const), text: fc.string({maxLength: 30})}),
	);
	fc.assert(
		fc.property(
			fc.array(attribute, {maxLength: 6}),
			fc.boolean(),
			fc.boolean(),
			fc.constantFrom(...twoAddress.endpoints),
			(attributes, classic, single, receivedOn) => {
				const layout = single ? singleAddress : twoAddress;
				const on = single ? endpoint(singleAddress) : receivedOn;
				const data = request(attributes, {classic});
				const decision = respond({data, source: client, receivedOn: on}, settings(layout));
				if (decision.action !== 'reply') {
					return false;
				}

				const decoded = decodeMessage(decision.datagram);
				return (
					decoded.ok &&
					decoded.message.messageClass !== 'request' &&
					decoded.message.transactionKey === data.subarray(4, 20).toString('hex') &&
					decision.datagram.length <= AMPLIFICATION_FACTOR * data.length
				);
			},
		),
		{numRuns: 1000},
	);
});

test('layout: four sockets with an alternate, one without; routing and OTHER-ADDRESS helpers', () => {
	assert.equal(twoAddress.mode, 'rfc5780');
	assert.deepEqual(
		twoAddress.endpoints.map(({address, port}) => `${address}:${port}`),
		[`${A}:3478`, `${A}:3479`, `${B}:3478`, `${B}:3479`],
	);
	assert.equal(singleAddress.mode, 'single-address');
	assert.equal(singleAddress.endpoints.length, 1);
	assert.equal(otherEndpoint(singleAddress, endpoint(singleAddress)), undefined);
	assert.equal(replyEndpoint(singleAddress, endpoint(singleAddress), {changeIp: true, changePort: false}), undefined);
	assert.equal(
		replyEndpoint(twoAddress, endpoint(twoAddress, true, true), {changeIp: true, changePort: true}),
		endpoint(twoAddress),
	);
});

test('budget: parts are taken by rank and kept in wire order', () => {
	const address = (port: number): AttributeInput => ({kind: 'mapped-address', address: {family: 4, address: A, port}});
	assert.equal(encodedSize(address(1)), 12);
	assert.equal(encodedSize({kind: 'software', text: 'abcde'}), 12);
	assert.equal(encodedSize({kind: 'fingerprint'}), 8);
	const parts = [
		{rank: 2, part: address(1)},
		{rank: 0, part: address(2)},
		{rank: 1, part: {kind: 'fingerprint' as const}},
	];
	assert.deepEqual(fitToBudget(parts, 20 + 12 + 8), [address(2), {kind: 'fingerprint'}]);
	assert.deepEqual(fitToBudget(parts, 20 + 12 + 12 + 8), [address(1), address(2), {kind: 'fingerprint'}]);
});

test('rate limiter: a burst, then the sustained rate; the total caps all sources together', () => {
	let now = 0;
	const limiter = new SourceRateLimiter(
		{perSourceBurst: 3, perSourcePerSecond: 2, totalBurst: 5, totalPerSecond: 2},
		100,
		() => now,
	);
	const allowed = (ip: string, count: number) => Array.from({length: count}, () => limiter.allow(ip)).filter(Boolean).length;
	assert.equal(allowed('10.0.0.1', 10), 3);
	now += 500; // One token back at 2/s.
	assert.equal(allowed('10.0.0.1', 10), 1);
	assert.equal(allowed('10.0.0.2', 10), 2, "the total bucket is spent before this source's own");
	now += 1000;
	assert.equal(allowed('10.0.0.3', 10), 2, 'the total refills at 2/s');
});

test('rate limiter: the source table stays bounded under a flood of random sources, and forgets the oldest first', () => {
	let now = 0;
	const limiter = new SourceRateLimiter(
		{...DEFAULT_RATE_LIMIT, perSourceBurst: 1, perSourcePerSecond: 0.001, totalBurst: 1e9, totalPerSecond: 1e9},
		1000,
		() => now,
	);
	assert.equal(limiter.allow('10.9.9.9'), true);
	assert.equal(limiter.allow('10.9.9.9'), false);
	for (let index = 0; index < 100_000; index++) {
		now += 0.01;
		limiter.allow(`10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`);
		assert.ok(limiter.size <= 1000);
	}

	assert.equal(limiter.size, 1000);
	assert.equal(limiter.allow('10.9.9.9'), true, 'an evicted source starts over');
});

test('rate limiter keys: IPv4 as is, IPv4-mapped folded, IPv6 by /64', () => {
	assert.equal(sourceKey('192.0.2.7'), '192.0.2.7');
	assert.equal(sourceKey('::ffff:192.0.2.7'), '192.0.2.7');
	assert.equal(sourceKey('2001:db8:1:2::1'), sourceKey('2001:db8:1:2:ffff::9'));
	assert.notEqual(sourceKey('2001:db8:1:2::1'), sourceKey('2001:db8:1:3::1'));
});

test('options: defaults, and one-line refusals for what the server cannot honour', () => {
	const resolved = resolveOptions({primary: '127.0.0.1', alternate: '127.0.0.2'});
	assert.equal(resolved.port, 3478);
	assert.equal(resolved.altPort, 3479);
	assert.deepEqual(resolved.rateLimit, DEFAULT_RATE_LIMIT);
	assert.equal(resolveOptions({primary: '::1', port: 0}).family, 6);
	assert.equal(resolveOptions({primary: '127.0.0.1', rateLimit: {perSourceBurst: 7}}).rateLimit.perSourceBurst, 7);

	const refusals: Array<Parameters<typeof resolveOptions>[0]> = [
		{primary: 'stun.example.com'},
		{primary: '0.0.0.0'},
		{primary: '::'},
		{primary: '127.0.0.1', alternate: '::1'},
		{primary: '127.0.0.1', alternate: '127.0.0.1'},
		{primary: '127.0.0.1', alternate: '127.0.0.2', port: 0},
		{primary: '127.0.0.1', alternate: '127.0.0.2', port: 4000, altPort: 4000},
		{primary: '127.0.0.1', port: 70_000},
		{primary: '127.0.0.1', rateLimit: {perSourcePerSecond: 0}},
		{primary: '127.0.0.1', software: 'x'.repeat(200)},
	];
	for (const options of refusals) {
		assert.throws(
			() => resolveOptions(options),
			(error: unknown) => error instanceof StunServerError && error.code === 'invalid-options' && !error.message.includes('\n'),
			JSON.stringify(options),
		);
	}
});

test('formatServerError: one line for typed bind errors and anything else thrown', () => {
	const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`bind ${code}`), {code});
	const unavailable = bindError('192.0.2.1:3478', '192.0.2.1', errno('EADDRNOTAVAIL'));
	assert.equal(unavailable.code, 'address-not-available');
	assert.match(formatServerError(unavailable), /192\.0\.2\.1:3478.*no address 192\.0\.2\.1/);
	assert.equal(bindError('127.0.0.1:3478', '127.0.0.1', errno('EADDRINUSE')).code, 'port-in-use');
	assert.match(formatServerError(bindError('127.0.0.1:3478', '127.0.0.1', errno('EADDRINUSE'))), /already in use/);
	assert.equal(bindError('127.0.0.1:80', '127.0.0.1', errno('EACCES')).code, 'permission-denied');
	assert.equal(bindError('127.0.0.1:80', '127.0.0.1', errno('EWHATEVER')).code, 'bind-failed');
	assert.equal(formatServerError(new Error('two\nlines')), 'two lines');
	assert.equal(formatServerError('plain'), 'plain');
});

test('counters: one line per period with the deltas, nothing for an idle period', () => {
	const before = emptyStats();
	const after = emptyStats();
	assert.equal(formatStatsLine(before, after, 60_000), undefined);
	const success = respond(
		{data: request([changeRequest(true, true)]), source: client, receivedOn: endpoint(twoAddress)},
		settings(twoAddress),
	);
	assert.equal(success.action, 'reply');
	countReply(after, success);
	countDrop(after, 'malformed');
	after.rateLimited = 2;
	const line = formatStatsLine(before, after, 60_000);
	assert.match(
		line ?? '',
		/^stun: last 60s: answered 1 \(rfc8489 1, rfc3489 0; change ip 0, port 0, both 1\), 420 0, 400 0, rate-limited 2, dropped malformed 1/,
	);
	assert.ok(!line?.includes('\n'));
});

test('the magic cookie constant is what RFC 8489 requests carry', () => {
	assert.equal(request().readUInt32BE(4), MAGIC_COOKIE);
});
