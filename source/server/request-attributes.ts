// What the server reads from a request: the few attributes it acts on, each value checked here,
// and the comprehension-required ones it does not understand. Values of every other attribute
// are never looked at, so a request cannot be refused over them (RFC 8489 §6.3.1).
import {type Attribute, AttributeType, ChangeFlag, isComprehensionRequired} from '../stun/index.js';

/** RFC 5780 §7.6: pads a message to test fragmentation. The codec has no name for it. */
export const PADDING_TYPE = 0x00_26;

/**
 * Comprehension-required attributes the server acts on. RFC 3489 RESPONSE-ADDRESS (0x0002) is
 * deliberately not here: it would send the reply to any address the request names, which turns
 * the server into a reflector for anyone, spoofing or not. It gets a 420 like any unknown attribute.
 */
const UNDERSTOOD = new Set<number>([AttributeType.changeRequest, AttributeType.responsePort, PADDING_TYPE]);

/** A 420 lists at most this many types: enough to be useful, too few to matter for size. */
const MAX_UNKNOWN_LISTED = 16;

export type ChangeKind = 'none' | 'ip' | 'port' | 'both';

/** A value the server cannot act on: the request gets a 400. */
export const BAD_VALUE = 'bad-value';

/** Comprehension-required types the server does not understand, whatever their values, in order, each once. */
export const unknownTypes = (attributes: readonly Attribute[]): number[] => {
	const types: number[] = [];
	for (const {type} of attributes) {
		if (isComprehensionRequired(type) && !UNDERSTOOD.has(type) && !types.includes(type) && types.length < MAX_UNKNOWN_LISTED) {
			types.push(type);
		}
	}

	return types;
};

const valueOf = (attributes: readonly Attribute[], type: number): Buffer | undefined => {
	const attribute = attributes.find(candidate => candidate.type === type);
	return attribute?.kind === 'other' ? attribute.value : undefined;
};

/** CHANGE-REQUEST (RFC 5780 §7.2): a 32-bit field of flags; 'none' when absent. */
export const changeKindOf = (attributes: readonly Attribute[]): ChangeKind | typeof BAD_VALUE => {
	const value = valueOf(attributes, AttributeType.changeRequest);
	if (!value) {
		return 'none';
	}

	if (value.length !== 4) {
		return BAD_VALUE;
	}

	const flags = value.readUInt32BE(0);
	const ip = (flags & ChangeFlag.ip) !== 0;
	const port = (flags & ChangeFlag.port) !== 0;
	return ip ? (port ? 'both' : 'ip') : port ? 'port' : 'none';
};

/** RESPONSE-PORT (RFC 5780 §7.5): a 16-bit port then 2 bytes of padding; port 0 is no destination. */
export const responsePortOf = (attributes: readonly Attribute[]): number | typeof BAD_VALUE | undefined => {
	const value = valueOf(attributes, AttributeType.responsePort);
	if (!value) {
		return undefined;
	}

	const port = value.length === 4 ? value.readUInt16BE(0) : 0;
	return port === 0 ? BAD_VALUE : port;
};

/** PADDING's length in bytes (any length is well-formed), or undefined when there is none. */
export const paddingLengthOf = (attributes: readonly Attribute[]): number | undefined =>
	valueOf(attributes, PADDING_TYPE)?.length;
