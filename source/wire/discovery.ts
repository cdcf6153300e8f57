// Discovery: how a client learns, inside an ordinary Binding exchange, which services only
// `fwcheck serve` offers. Both attributes are comprehension-optional (>= 0x8000), so any other
// STUN server ignores the query and answers as usual, or drops the request.
import type {AttributeInput, StunMessage} from '../stun/index.js';

/** In a Binding request: "tell me your services". */
export const FWCHECK_QUERY = 0xc0_f1;
/** In the Binding success answer: the services, as `fwcheck/1 key=value ...` text. */
export const FWCHECK_SERVICES = 0xc0_f2;
/**
 * The query's value is this many zero bytes. They pad the request so that the server's reply
 * budget (5x the request) covers the longer answer, even for IPv6.
 */
export const QUERY_LENGTH = 32;
/** The first token of the services text. */
export const SERVICES_VERSION_TOKEN = 'fwcheck/1';
/** Longer text is refused: a real one is about 64 bytes. */
const MAX_SERVICES_LENGTH = 256;

/** What a server offers. An absent port or false flag means the service is off. */
export interface OfferedServices {
	/** SIP echo on UDP and TCP at the server's primary IP. */
	sipPort?: number;
	/** TCP control service at the primary IP. */
	controlPort?: number;
	/** The control service sends SIP OPTIONS from the second IP. */
	options: boolean;
	/** The control service opens TCP connections back from the second IP. */
	connect: boolean;
	/** Most ports one connect request may name. */
	maxPorts?: number;
}

export const queryAttribute = (): AttributeInput => ({kind: 'other', type: FWCHECK_QUERY, value: Buffer.alloc(QUERY_LENGTH)});

/** True when a decoded request carries the query (its value is not checked: any length asks). */
export const hasQuery = (message: StunMessage): boolean => message.attributes.some(({type}) => type === FWCHECK_QUERY);

export const encodeServices = (offer: OfferedServices): string => {
	const tokens = [SERVICES_VERSION_TOKEN];
	if (offer.sipPort !== undefined) {
		tokens.push(`sip=${offer.sipPort}`);
	}

	if (offer.controlPort !== undefined) {
		tokens.push(`control=${offer.controlPort}`);
		if (offer.options) {
			tokens.push('options=1');
		}

		if (offer.connect) {
			tokens.push('connect=1');
		}

		if (offer.connect && offer.maxPorts !== undefined) {
			tokens.push(`maxports=${offer.maxPorts}`);
		}
	}

	return tokens.join(' ');
};

export const servicesAttribute = (offer: OfferedServices): AttributeInput => ({
	kind: 'other',
	type: FWCHECK_SERVICES,
	value: Buffer.from(encodeServices(offer), 'utf8'),
});

const portValue = (text: string | undefined): number | undefined => {
	if (text === undefined || !/^\d{1,5}$/.test(text)) {
		return undefined;
	}

	const port = Number(text);
	return port >= 1 && port <= 65_535 ? port : undefined;
};

/**
 * Read the services text (or the attribute's raw value). Undefined when it is not ours: wrong
 * first token, too long, not text. Unknown keys and bad values are ignored, so a later server
 * that adds keys still reads as what this client understands. Never throws.
 */
export const decodeServices = (value: string | Uint8Array): OfferedServices | undefined => {
	const text = typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
	if (text.length > MAX_SERVICES_LENGTH) {
		return undefined;
	}

	const [first, ...rest] = text.trim().split(/ +/);
	if (first !== SERVICES_VERSION_TOKEN) {
		return undefined;
	}

	const pairs = new Map<string, string>();
	for (const token of rest) {
		const equals = token.indexOf('=');
		if (equals > 0 && !pairs.has(token.slice(0, equals))) {
			pairs.set(token.slice(0, equals), token.slice(equals + 1));
		}
	}

	const controlPort = portValue(pairs.get('control'));
	const maxPorts = portValue(pairs.get('maxports'));
	const offer: OfferedServices = {
		options: controlPort !== undefined && pairs.get('options') === '1',
		connect: controlPort !== undefined && pairs.get('connect') === '1',
	};
	const sipPort = portValue(pairs.get('sip'));
	if (sipPort !== undefined) {
		offer.sipPort = sipPort;
	}

	if (controlPort !== undefined) {
		offer.controlPort = controlPort;
	}

	if (maxPorts !== undefined && offer.connect) {
		offer.maxPorts = maxPorts;
	}

	return offer;
};

/** The services a Binding answer advertises, or undefined (no attribute, or not readable). */
export const findServices = (message: StunMessage): OfferedServices | undefined => {
	const attribute = message.attributes.find(({type}) => type === FWCHECK_SERVICES);
	return attribute?.kind === 'other' ? decodeServices(attribute.value) : undefined;
};
