// What changed between the SIP request we sent and the one the server received: header by header,
// and the SDP body line by line. An ALG on the way shows up here as rewritten lines.
import {canonicalHeaderName, parseSipMessage} from '../wire/index.js';
import type {SipMessage} from '../wire/index.js';
import type {SipRewrite} from '../check/types.js';

/** Header names as a user reads them, whatever spelling (compact or not) was on the wire. */
const DISPLAY: Readonly<Record<string, string>> = {
	via: 'Via',
	from: 'From',
	to: 'To',
	'call-id': 'Call-ID',
	cseq: 'CSeq',
	contact: 'Contact',
	'content-type': 'Content-Type',
	'content-length': 'Content-Length',
	'max-forwards': 'Max-Forwards',
	'user-agent': 'User-Agent',
	allow: 'Allow',
};

const displayName = (canonical: string, asWritten: string): string => DISPLAY[canonical] ?? asWritten;

/** Each header's values in wire order, grouped by canonical name, in first-seen order. */
const headerGroups = (message: SipMessage): Map<string, {name: string; values: string[]}> => {
	const groups = new Map<string, {name: string; values: string[]}>();
	for (const {name, value} of message.headers) {
		const canonical = canonicalHeaderName(name);
		const group = groups.get(canonical) ?? {name: displayName(canonical, name), values: []};
		group.values.push(value);
		groups.set(canonical, group);
	}

	return groups;
};

/** Pair up two lists in order; a missing side reads as the empty string. */
const pairs = (header: string, sent: string[], received: string[]): SipRewrite[] => {
	const changes: SipRewrite[] = [];
	for (let index = 0; index < Math.max(sent.length, received.length); index++) {
		const before = sent[index] ?? '';
		const after = received[index] ?? '';
		if (before !== after) {
			changes.push({header, sent: before, received: after});
		}
	}

	return changes;
};

/** SDP lines grouped by type ("o=", "c=", "m=", "a=", ...), in order. */
const sdpGroups = (body: Buffer): Map<string, string[]> => {
	const groups = new Map<string, string[]>();
	for (const line of body.toString('utf8').split(/\r?\n/)) {
		if (line === '') {
			continue;
		}

		const key = /^[a-z]=/.test(line) ? line.slice(0, 2) : 'body';
		groups.set(key, [...(groups.get(key) ?? []), line.slice(key === 'body' ? 0 : 2)]);
	}

	return groups;
};

/**
 * Every difference between `sent` and `received` (both whole SIP messages as bytes). Content-Length
 * is left out when the body changed too: it follows from that change and says nothing more.
 */
export const compareSip = (sent: Uint8Array, received: Uint8Array): SipRewrite[] => {
	const before = parseSipMessage(sent);
	const after = parseSipMessage(received);
	if (!before.ok || !after.ok) {
		const text = (data: Uint8Array): string => Buffer.from(data).toString('latin1');
		return text(sent) === text(received)
			? []
			: [{header: 'message', sent: text(sent), received: after.ok ? text(received) : '(unreadable)'}];
	}

	const changes = pairs('Request-Line', [before.message.startLine], [after.message.startLine]);
	const sentHeaders = headerGroups(before.message);
	const receivedHeaders = headerGroups(after.message);
	const bodyChanged = !before.message.body.equals(after.message.body);
	for (const key of new Set([...sentHeaders.keys(), ...receivedHeaders.keys()])) {
		if (key === 'content-length' && bodyChanged) {
			continue;
		}

		const name = sentHeaders.get(key)?.name ?? receivedHeaders.get(key)!.name;
		changes.push(...pairs(name, sentHeaders.get(key)?.values ?? [], receivedHeaders.get(key)?.values ?? []));
	}

	if (bodyChanged) {
		const sentSdp = sdpGroups(before.message.body);
		const receivedSdp = sdpGroups(after.message.body);
		for (const key of new Set([...sentSdp.keys(), ...receivedSdp.keys()])) {
			changes.push(...pairs(key, sentSdp.get(key) ?? [], receivedSdp.get(key) ?? []));
		}
	}

	return changes;
};
