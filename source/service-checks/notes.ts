// Report notes from the service checks: things worth knowing that are not a verdict of their own.
import {english} from '../catalog/index.js';
import {splitAddressText} from '../stun/address.js';
import type {ServicesResult} from '../check/types.js';

/**
 * The SIP echo saw our requests come from another public IP than the STUN tests did: the router
 * sends SIP out another way (another WAN, a SIP-specific mapping or proxy).
 */
export const servicesNotes = (services: ServicesResult | undefined, publicAddress: string | null): string[] => {
	if (!services?.sip || publicAddress === null) {
		return [];
	}

	const notes: string[] = [];
	for (const check of [services.sip.udp, services.sip.tcp]) {
		const seen = check.exchanges.map(exchange => exchange.sourceSeen).find(source => source !== null);
		const ip = seen ? splitAddressText(seen)?.ip : undefined;
		if (seen && ip !== undefined && ip !== publicAddress) {
			notes.push(english.notes.sipEchoOtherAddress(check.transport.toUpperCase(), seen, publicAddress));
		}
	}

	return notes;
};
