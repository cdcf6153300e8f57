// SIP messages (RFC 3261 §7) as bytes: build a request or response, parse one, and find where
// one ends in a TCP stream (§18.3: by Content-Length). Enough for echo, OPTIONS and ALG checks;
// not a SIP stack. The parser never throws: untrusted bytes get {ok: false}.

export interface SipHeader {
	/** As written on the wire (compact forms such as "v" kept). */
	name: string;
	value: string;
}

export type SipStartLine =
	| {kind: 'request'; method: string; uri: string; version: string}
	| {kind: 'response'; version: string; status: number; reason: string};

export interface SipMessage {
	start: SipStartLine;
	/** The first line as written, without CRLF. */
	startLine: string;
	headers: SipHeader[];
	body: Buffer;
}

export type SipParseResult = {ok: true; message: SipMessage} | {ok: false; error: string};

/** RFC 3261 §7.3.3 compact forms, lower case, to the full name. */
const COMPACT: Readonly<Record<string, string>> = {
	v: 'via',
	f: 'from',
	t: 'to',
	i: 'call-id',
	m: 'contact',
	l: 'content-length',
	c: 'content-type',
	e: 'content-encoding',
	k: 'supported',
	s: 'subject',
};

/** Lower-case full name of a header, whether written compact or not. */
export const canonicalHeaderName = (name: string): string => {
	const lower = name.toLowerCase();
	return COMPACT[lower] ?? lower;
};

const TOKEN = /^[\w.!%*+`'~-]+$/;
const MAX_HEADERS = 128;

/** Where the header block ends: the index after the blank line, or -1. CRLF, or bare LF from lenient senders. */
const headerEnd = (data: Buffer): {headEnd: number; bodyStart: number} | undefined => {
	const crlf = data.indexOf('\r\n\r\n');
	const lf = data.indexOf('\n\n');
	if (crlf !== -1 && (lf === -1 || crlf < lf)) {
		return {headEnd: crlf, bodyStart: crlf + 4};
	}

	return lf === -1 ? undefined : {headEnd: lf, bodyStart: lf + 2};
};

/** RFC 3261 §7.5: CRLFs before the start line (keep-alives on a stream) are ignored. */
const skipLeadingCrlf = (bytes: Buffer): Buffer => {
	let offset = 0;
	while (offset + 1 < bytes.length && bytes[offset] === 0x0d && bytes[offset + 1] === 0x0a) {
		offset += 2;
	}

	return bytes.subarray(offset);
};

const parseStartLine = (line: string): SipStartLine | undefined => {
	const response = /^(SIP\/\d\.\d) ([1-6]\d\d) ?(.*)$/.exec(line);
	if (response) {
		return {kind: 'response', version: response[1]!, status: Number(response[2]), reason: response[3]!};
	}

	const request = /^([\w.!%*+`'~-]+) (\S+) (SIP\/\d\.\d)$/.exec(line);
	return request ? {kind: 'request', method: request[1]!, uri: request[2]!, version: request[3]!} : undefined;
};

const parseHeaders = (lines: readonly string[]): SipHeader[] | string => {
	const headers: SipHeader[] = [];
	for (const line of lines) {
		// §7.3.1: a line starting with whitespace continues the previous header.
		if (/^[ \t]/.test(line)) {
			const last = headers.at(-1);
			if (!last) {
				return 'continuation line before any header';
			}

			last.value = `${last.value} ${line.trim()}`;
			continue;
		}

		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim() : '';
		if (!TOKEN.test(name)) {
			return 'header line without a name';
		}

		if (headers.length >= MAX_HEADERS) {
			return `more than ${MAX_HEADERS} headers`;
		}

		headers.push({name, value: line.slice(colon + 1).trim()});
	}

	return headers;
};

const contentLengthOf = (headers: readonly SipHeader[]): number | undefined | 'bad' => {
	const values = headers.filter(header => canonicalHeaderName(header.name) === 'content-length').map(header => header.value);
	if (values.length === 0) {
		return undefined;
	}

	return values.length === 1 && /^\d{1,7}$/.test(values[0]!) ? Number(values[0]) : 'bad';
};

/**
 * Parse one SIP message. The body is what Content-Length says (bytes past it are ignored, as on
 * UDP); without Content-Length, the rest of the data. A Content-Length longer than the data is
 * an error: the message was cut.
 */
export const parseSipMessage = (data: Uint8Array): SipParseResult => {
	const bytes = skipLeadingCrlf(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
	const ends = headerEnd(bytes);
	if (!ends) {
		return {ok: false, error: 'no blank line after the headers'};
	}

	const lines = bytes.subarray(0, ends.headEnd).toString('utf8').split(/\r?\n/);
	const startLine = lines[0] ?? '';
	const start = parseStartLine(startLine);
	if (!start) {
		return {ok: false, error: 'not a SIP request or status line'};
	}

	const headers = parseHeaders(lines.slice(1));
	if (typeof headers === 'string') {
		return {ok: false, error: headers};
	}

	const length = contentLengthOf(headers);
	if (length === 'bad') {
		return {ok: false, error: 'bad Content-Length'};
	}

	const available = bytes.length - ends.bodyStart;
	if (length !== undefined && length > available) {
		return {ok: false, error: `Content-Length ${length} but ${available} bytes follow`};
	}

	const body = Buffer.from(bytes.subarray(ends.bodyStart, ends.bodyStart + (length ?? available)));
	return {ok: true, message: {start, startLine, headers, body}};
};

export type SipFrame = {state: 'complete'; length: number} | {state: 'incomplete'} | {state: 'invalid'; error: string};

/**
 * TCP framing: is there one whole message at the start of `data`, and how long is it? A missing
 * Content-Length counts as 0 (RFC 3261 makes it mandatory on TCP; 0 is the only safe reading).
 * `maxBytes` bounds what an incomplete message may grow to.
 */
export const findMessageEnd = (data: Uint8Array, maxBytes: number): SipFrame => {
	const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	// CRLFs before a message (keep-alives) count as part of it.
	const offset = bytes.length - skipLeadingCrlf(bytes).length;

	const ends = headerEnd(bytes.subarray(offset));
	if (!ends) {
		return bytes.length > maxBytes ? {state: 'invalid', error: `headers longer than ${maxBytes} bytes`} : {state: 'incomplete'};
	}

	const lines = bytes
		.subarray(offset, offset + ends.headEnd)
		.toString('utf8')
		.split(/\r?\n/)
		.slice(1);
	const headers = parseHeaders(lines);
	if (typeof headers === 'string') {
		return {state: 'invalid', error: headers};
	}

	const length = contentLengthOf(headers);
	if (length === 'bad') {
		return {state: 'invalid', error: 'bad Content-Length'};
	}

	const total = offset + ends.bodyStart + (length ?? 0);
	if (total > maxBytes) {
		return {state: 'invalid', error: `message of ${total} bytes, more than ${maxBytes}`};
	}

	return bytes.length >= total ? {state: 'complete', length: total} : {state: 'incomplete'};
};

/** Every value of a header, in order, compact spellings included; comma lists are not split. */
export const headerValues = (message: SipMessage, name: string): string[] => {
	const wanted = canonicalHeaderName(name);
	return message.headers.filter(header => canonicalHeaderName(header.name) === wanted).map(header => header.value);
};

/** The first value of a header, or undefined. */
export const headerValue = (message: SipMessage, name: string): string | undefined => headerValues(message, name)[0];

export interface SipRequestInput {
	method: string;
	uri: string;
	/** In wire order; Content-Length is added last, computed. */
	headers: ReadonlyArray<readonly [string, string]>;
	body?: Uint8Array;
}

export interface SipResponseInput {
	status: number;
	reason: string;
	headers: ReadonlyArray<readonly [string, string]>;
	body?: Uint8Array;
}

const assemble = (startLine: string, headers: ReadonlyArray<readonly [string, string]>, body: Uint8Array | undefined): Buffer => {
	const content = body ?? new Uint8Array();
	const head = [
		startLine,
		...headers.filter(([name]) => canonicalHeaderName(name) !== 'content-length').map(([name, value]) => `${name}: ${value}`),
		`Content-Length: ${content.byteLength}`,
		'',
		'',
	].join('\r\n');
	return Buffer.concat([Buffer.from(head, 'utf8'), content]);
};

export const buildSipRequest = (input: SipRequestInput): Buffer =>
	assemble(`${input.method} ${input.uri} SIP/2.0`, input.headers, input.body);

export const buildSipResponse = (input: SipResponseInput): Buffer =>
	assemble(`SIP/2.0 ${input.status} ${input.reason}`, input.headers, input.body);

/** Narrow a parsed message to a response. */
export const isSipResponse = (message: SipMessage): message is SipMessage & {start: {kind: 'response'}} =>
	message.start.kind === 'response';
