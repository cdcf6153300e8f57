// The wire formats (source/wire/): discovery attributes, control lines, SIP messages
// and the echo. Pure: no sockets.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {Method, decodeMessage, encodeMessage, newTransactionId} from '../../source/stun/index.js';
import {
	type ControlReply,
	FWCHECK_QUERY,
	FWCHECK_SERVICES,
	LineSplitter,
	MAX_LINE_BYTES,
	SOURCE_HEADER,
	buildSipRequest,
	decodeControlReply,
	decodeControlRequest,
	decodeEcho,
	decodeServices,
	echoResponse,
	encodeControlLine,
	encodeServices,
	findMessageEnd,
	findServices,
	hasQuery,
	headerValue,
	headerValues,
	parseSipMessage,
	queryAttribute,
	servicesAttribute,
} from '../../source/wire/index.js';

test('discovery: the services text round-trips, absent keys are services that are off', () => {
	const cases = [
		{
			offer: {sipPort: 5060, controlPort: 3478, options: true, connect: true, maxPorts: 16},
			text: 'fwcheck/1 sip=5060 control=3478 options=1 connect=1 maxports=16',
		},
		{offer: {sipPort: 5070, options: false, connect: false}, text: 'fwcheck/1 sip=5070'},
		{offer: {controlPort: 3478, options: true, connect: false}, text: 'fwcheck/1 control=3478 options=1'},
		{offer: {options: false, connect: false}, text: 'fwcheck/1'},
	];
	for (const {offer, text} of cases) {
		assert.equal(encodeServices(offer), text);
		assert.deepEqual(decodeServices(text), offer);
		assert.deepEqual(decodeServices(Buffer.from(text)), offer);
	}
});

test('discovery: unknown keys and bad values are ignored, foreign text is not ours', () => {
	assert.deepEqual(decodeServices('fwcheck/1 sip=5060 video=1 control=99999 options=1'), {
		sipPort: 5060,
		// options=1 without a control port cannot be used
		options: false,
		connect: false,
	});
	assert.deepEqual(decodeServices('fwcheck/1 sip=0 sip=5060'), {options: false, connect: false});
	for (const foreign of ['', 'fwcheck/2 sip=5060', 'coturn-4.6', 'sip=5060', `fwcheck/1 ${'x'.repeat(300)}`]) {
		assert.equal(decodeServices(foreign), undefined, foreign);
	}
});

test('discovery: the query rides in a Binding request, the answer attribute is found in a reply', () => {
	const transactionId = newTransactionId();
	const request = decodeMessage(
		encodeMessage({method: Method.binding, messageClass: 'request', transactionId, attributes: [queryAttribute()]}),
	);
	assert.ok(request.ok);
	assert.ok(hasQuery(request.message));
	assert.equal(request.message.attributes[0]?.type, FWCHECK_QUERY);
	const offer = {sipPort: 5060, controlPort: 3478, options: true, connect: true, maxPorts: 16};
	const reply = decodeMessage(
		encodeMessage({method: Method.binding, messageClass: 'success', transactionId, attributes: [servicesAttribute(offer)]}),
	);
	assert.ok(reply.ok);
	assert.equal(reply.message.attributes[0]?.type, FWCHECK_SERVICES);
	assert.deepEqual(findServices(reply.message), offer);
	const plain = decodeMessage(encodeMessage({method: Method.binding, messageClass: 'request', transactionId}));
	assert.ok(plain.ok);
	assert.equal(hasQuery(plain.message), false);
	assert.equal(findServices(plain.message), undefined);
});

test('control: requests decode, or give the error reply to send', () => {
	const cases: Array<{line: string; expect: unknown}> = [
		{
			line: '{"v":1,"id":1,"op":"sip-options","port":5060,"transport":"udp"}',
			expect: {ok: true, request: {v: 1, id: 1, op: 'sip-options', port: 5060, transport: 'udp'}},
		},
		{
			line: '{"v":1,"id":2,"op":"connect","ports":[5001,5061,5001],"nonce":"00ff"}',
			expect: {ok: true, request: {v: 1, id: 2, op: 'connect', ports: [5001, 5061], nonce: '00ff'}},
		},
		{line: 'not json', expect: {ok: false, reply: {id: null, ok: false, error: 'bad-request'}}},
		{line: '[1]', expect: {ok: false, reply: {id: null, ok: false, error: 'bad-request'}}},
		{line: '{"v":2,"id":3,"op":"connect"}', expect: {ok: false, reply: {id: 3, ok: false, error: 'bad-request'}}},
		{line: '{"v":1,"id":-1,"op":"connect"}', expect: {ok: false, reply: {id: null, ok: false, error: 'bad-request'}}},
		{
			line: '{"v":1,"id":4,"op":"sip-options","port":0,"transport":"udp"}',
			expect: {ok: false, reply: {id: 4, ok: false, error: 'bad-request'}},
		},
		{
			line: '{"v":1,"id":5,"op":"sip-options","port":5060,"transport":"sctp"}',
			expect: {ok: false, reply: {id: 5, ok: false, error: 'bad-request'}},
		},
		{
			line: '{"v":1,"id":6,"op":"connect","ports":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17],"nonce":"ab"}',
			expect: {ok: false, reply: {id: 6, ok: false, error: 'too-many-ports'}},
		},
		{
			line: '{"v":1,"id":7,"op":"connect","ports":[5001],"nonce":"zz"}',
			expect: {ok: false, reply: {id: 7, ok: false, error: 'bad-request'}},
		},
		{
			line: `{"v":1,"id":8,"op":"connect","ports":[5001],"nonce":"${'a'.repeat(33)}"}`,
			expect: {ok: false, reply: {id: 8, ok: false, error: 'bad-request'}},
		},
		{
			line: '{"v":1,"id":9,"op":"connect","ports":[65536],"nonce":"ab"}',
			expect: {ok: false, reply: {id: 9, ok: false, error: 'bad-request'}},
		},
		{line: '{"v":1,"id":10,"op":"connect","ports":[],"nonce":"ab"}', expect: {ok: false, reply: {id: 10, ok: false}}},
		{line: '{"v":1,"id":11,"op":"shell"}', expect: {ok: false, reply: {id: 11, ok: false, error: 'bad-request'}}},
	];
	for (const {line, expect} of cases) {
		const result = decodeControlRequest(line);
		// Compare without the free-text detail.
		const comparable = result.ok ? result : {ok: false, reply: {...result.reply, detail: undefined}};
		const expected = expect as {ok: boolean; reply?: Record<string, unknown>};
		assert.deepEqual(
			comparable,
			expected.ok ? expected : {ok: false, reply: {error: 'bad-request', ...expected.reply, detail: undefined}},
			line,
		);
	}

	// 17 distinct ports are too many at the default, fine when the server allows 20; duplicates do not count.
	const seventeen = JSON.stringify({
		v: 1,
		id: 1,
		op: 'connect',
		ports: [...Array.from({length: 17}, (_, i) => i + 1), 1],
		nonce: 'a',
	});
	assert.equal(decodeControlRequest(seventeen, 20).ok, true);
	assert.equal(decodeControlRequest(seventeen).ok, false);
});

test('control: replies round-trip through one line each, malformed ones are refused', () => {
	const replies: ControlReply[] = [
		{
			id: 1,
			ok: true,
			op: 'sip-options',
			transport: 'udp',
			sent: 'T1BUSU9OUw==',
			answered: true,
			from: '127.0.0.1:5060',
			response: 'U0lQ',
		},
		{id: 1, ok: true, op: 'sip-options', transport: 'tcp', sent: 'T1BUSU9OUw==', answered: false, reason: 'refused'},
		{id: 2, ok: true, op: 'connect', results: [{port: 5001, outcome: 'connected', ms: 12}]},
		{id: 3, ok: false, error: 'rate-limited', detail: 'later'},
		{id: null, ok: false, error: 'bad-request', detail: 'line too long'},
	];
	for (const reply of replies) {
		const line = encodeControlLine(reply);
		assert.equal(line.indexOf('\n'), line.length - 1);
		assert.deepEqual(decodeControlReply(line.trimEnd()), reply);
	}

	for (const bad of [
		'',
		'null',
		'{"id":1,"ok":true,"op":"connect","results":[{"port":1,"outcome":"maybe","ms":1}]}',
		'{"id":1,"ok":true,"op":"sip-options","transport":"udp","sent":"x","answered":false,"reason":"bored"}',
		'{"id":1,"ok":false,"error":"boom","detail":""}',
	]) {
		assert.equal(decodeControlReply(bad), undefined, bad);
	}
});

test('control: the line splitter joins chunks, takes CRLF, and stops at an oversized line', () => {
	const splitter = new LineSplitter();
	assert.deepEqual(splitter.push(Buffer.from('{"a":')), {lines: [], overflow: false});
	assert.deepEqual(splitter.push(Buffer.from('1}\r\n{"b":2}\n{"c"')), {lines: ['{"a":1}', '{"b":2}'], overflow: false});
	assert.deepEqual(splitter.push(Buffer.from(':3}\n')), {lines: ['{"c":3}'], overflow: false});
	// Exactly the limit is fine; one byte more is not, with or without its newline yet.
	assert.equal(new LineSplitter().push(Buffer.from(`${'x'.repeat(MAX_LINE_BYTES)}\n`)).overflow, false);
	assert.equal(new LineSplitter().push(Buffer.from(`${'x'.repeat(MAX_LINE_BYTES + 1)}\n`)).overflow, true);
	const growing = new LineSplitter();
	assert.equal(growing.push(Buffer.from('x'.repeat(1000))).overflow, false);
	assert.equal(growing.push(Buffer.from('x'.repeat(100))).overflow, true);
	assert.equal(growing.push(Buffer.from('\n')).overflow, true);
});

const options = (extra = '', body = ''): Buffer =>
	Buffer.from(
		'OPTIONS sip:fwcheck@198.51.100.7 SIP/2.0\r\n' +
			'Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK776asdhds;rport\r\n' +
			'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKproxy\r\n' +
			'Max-Forwards: 70\r\n' +
			'From: <sip:pbx@192.168.1.20>;tag=1928301774\r\n' +
			'To: <sip:fwcheck@198.51.100.7>\r\n' +
			'i: a84b4c76e66710@192.168.1.20\r\n' +
			'CSeq: 63104 OPTIONS\r\n' +
			'Contact: <sip:pbx@192.168.1.20:5060>\r\n' +
			extra +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
	);

test('SIP: a request parses, compact names and continuation lines included', () => {
	const parsed = parseSipMessage(options('Subject: first\r\n  second\r\n', 'v=0\r\n'));
	assert.ok(parsed.ok);
	const {message} = parsed;
	assert.deepEqual(message.start, {kind: 'request', method: 'OPTIONS', uri: 'sip:fwcheck@198.51.100.7', version: 'SIP/2.0'});
	assert.equal(headerValues(message, 'via').length, 2);
	assert.equal(headerValue(message, 'Call-ID'), 'a84b4c76e66710@192.168.1.20');
	assert.equal(headerValue(message, 's'), 'first second');
	assert.equal(message.body.toString(), 'v=0\r\n');
	// RFC 3261 §7.5: keep-alive CRLFs before the start line are ignored.
	const keptAlive = parseSipMessage(Buffer.concat([Buffer.from('\r\n\r\n'), options()]));
	assert.ok(keptAlive.ok);
	assert.equal(keptAlive.message.startLine, 'OPTIONS sip:fwcheck@198.51.100.7 SIP/2.0');
	const response = parseSipMessage(Buffer.from('SIP/2.0 401 Unauthorized\r\nCSeq: 1 OPTIONS\r\n\r\n'));
	assert.ok(response.ok);
	assert.deepEqual(response.message.start, {kind: 'response', version: 'SIP/2.0', status: 401, reason: 'Unauthorized'});
});

test('SIP: broken messages are errors, never exceptions', () => {
	for (const bad of [
		'',
		'OPTIONS sip:x SIP/2.0\r\nVia: x\r\n',
		'HELLO\r\n\r\n',
		'SIP/2.0 999 What\r\n\r\n',
		'OPTIONS sip:x SIP/2.0\r\nno colon here\r\n\r\n',
		'OPTIONS sip:x SIP/2.0\r\nContent-Length: 10\r\n\r\nshort',
		'OPTIONS sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n',
		'OPTIONS sip:x SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab',
	]) {
		assert.equal(parseSipMessage(Buffer.from(bad)).ok, false, JSON.stringify(bad));
	}

	fc.assert(
		fc.property(fc.uint8Array({maxLength: 600}), bytes => {
			parseSipMessage(bytes);
			findMessageEnd(bytes, 512);
			echoResponse(bytes, {address: '192.0.2.1', port: 5060}, 'tag');
		}),
	);
});

test('SIP: TCP framing finds the end of one message by Content-Length', () => {
	const one = buildSipRequest({method: 'OPTIONS', uri: 'sip:x', headers: [['Call-ID', 'a']], body: Buffer.from('hello')});
	const two = Buffer.concat([one, one]);
	assert.deepEqual(findMessageEnd(two, 8192), {state: 'complete', length: one.length});
	assert.deepEqual(findMessageEnd(one.subarray(0, one.length - 1), 8192), {state: 'incomplete'});
	assert.deepEqual(findMessageEnd(one.subarray(0, 10), 8192), {state: 'incomplete'});
	assert.deepEqual(findMessageEnd(Buffer.concat([Buffer.from('\r\n\r\n'), one]), 8192), {
		state: 'complete',
		length: one.length + 4,
	});
	assert.equal(findMessageEnd(one, one.length - 1).state, 'invalid');
	assert.equal(findMessageEnd(Buffer.alloc(600, 0x41), 512).state, 'invalid');
	assert.deepEqual(findMessageEnd(Buffer.from('OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\n\r\n'), 8192), {
		state: 'complete',
		length: 37,
	});
});

test('echo: 200 for OPTIONS with the request copied exactly, headers a UA can match, the source seen', () => {
	const request = options('', 'v=0\r\no=- 1 1 IN IP4 192.168.1.20\r\n');
	const decision = echoResponse(request, {address: '203.0.113.9', port: 40_000}, 'fwtag');
	assert.equal(decision.action, 'reply');
	assert.ok(decision.action === 'reply');
	assert.ok(decision.response.length <= 3 * request.length);
	const parsed = parseSipMessage(decision.response);
	assert.ok(parsed.ok);
	const response = parsed.message;
	assert.equal(response.startLine, 'SIP/2.0 200 OK');
	assert.deepEqual(headerValues(response, 'via'), [
		'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK776asdhds;rport',
		'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKproxy',
	]);
	assert.equal(headerValue(response, 'to'), '<sip:fwcheck@198.51.100.7>;tag=fwtag');
	assert.equal(headerValue(response, 'from'), '<sip:pbx@192.168.1.20>;tag=1928301774');
	assert.equal(headerValue(response, 'cseq'), '63104 OPTIONS');
	assert.equal(headerValue(response, SOURCE_HEADER), '203.0.113.9:40000');
	assert.deepEqual(decodeEcho(response), {source: '203.0.113.9:40000', received: request});
});

test('echo: INVITE gets 488, a To tag is kept, ACK and responses and garbage get nothing', () => {
	const invite = Buffer.from(
		options('', 'v=0\r\n')
			.toString()
			.replace('OPTIONS sip', 'INVITE sip')
			.replace('To: <sip:fwcheck@198.51.100.7>', 'To: <sip:a@b>;tag=x'),
	);
	const decision = echoResponse(invite, {address: '2001:db8::1', port: 5060}, 'fwtag');
	assert.ok(decision.action === 'reply');
	assert.equal(decision.status, 488);
	const parsed = parseSipMessage(decision.response);
	assert.ok(parsed.ok);
	assert.equal(headerValue(parsed.message, 'to'), '<sip:a@b>;tag=x');
	assert.equal(headerValue(parsed.message, SOURCE_HEADER), '[2001:db8::1]:5060');
	const source = {address: '192.0.2.1', port: 1};
	const ack = Buffer.from(options().toString().replace('OPTIONS sip', 'ACK sip'));
	assert.deepEqual(echoResponse(ack, source, 't'), {action: 'drop', reason: 'ack'});
	assert.deepEqual(echoResponse(Buffer.from('SIP/2.0 200 OK\r\nVia: x\r\n\r\n'), source, 't'), {
		action: 'drop',
		reason: 'not-request',
	});
	assert.deepEqual(echoResponse(Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: x\r\n\r\n'), source, 't'), {
		action: 'drop',
		reason: 'missing-header',
	});
	assert.deepEqual(echoResponse(Buffer.from('\u0000\u0001 garbage'), source, 't'), {action: 'drop', reason: 'malformed'});
});

test('echo: a response never exceeds 3x the request; beyond it a bodyless 513, or nothing', () => {
	// A small request: copied headers, the fixed ones and the base64 together pass 3x; a 513 fits.
	const request = Buffer.from(`OPTIONS s SIP/2.0\r\nv:${'x'.repeat(40)}\r\nf:a\r\nt:a\r\ni:1\r\nCSeq:1 OPTIONS\r\n\r\n`);
	const decision = echoResponse(request, {address: '192.0.2.1', port: 5060}, 'tag');
	assert.ok(decision.action === 'reply');
	assert.equal(decision.status, 513);
	assert.ok(decision.response.length <= 3 * request.length, `${decision.response.length} vs ${request.length}`);
	const parsed = parseSipMessage(decision.response);
	assert.ok(parsed.ok);
	assert.equal(parsed.message.body.length, 0);
	assert.equal(parsed.message.startLine, 'SIP/2.0 513 Message Too Large');
	// So small that even a 513 with a long IPv6 source is more than 3x: not answered.
	const tiny = Buffer.from('OPTIONS s SIP/2.0\r\nv:a\r\nf:a\r\nt:a\r\ni:1\r\nCSeq:1 OPTIONS\r\n\r\n');
	const longSource = {address: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', port: 65_535};
	assert.deepEqual(echoResponse(tiny, longSource, 'tag'), {action: 'drop', reason: 'too-large'});
	fc.assert(
		fc.property(fc.string({maxLength: 400}), fc.string({maxLength: 400}), (via, body) => {
			const data = Buffer.from(
				`INVITE sip:a SIP/2.0\r\nVia: ${via.replaceAll(/[\r\n]/g, '')}\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
			);
			const result = echoResponse(data, {address: '192.0.2.1', port: 5060}, 'tag');
			return result.action === 'drop' || result.response.length <= 3 * data.length;
		}),
	);
});
