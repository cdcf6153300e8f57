// UPnP IGD control, read-only: the description's WAN connection service, GetExternalIPAddress,
// and GetGenericPortMappingEntry from index 0 until error 713 (or a bound). Nothing is written.
import type {RouterEnvironment} from './router-environment.js';
import {childElement, childText, descendants, parseXml} from './xml.js';
import type {RouterMapping} from './types.js';

const WAN_SERVICES = /^urn:schemas-upnp-org:service:WAN(IP|PPP)Connection:\d+$/;
const DESCRIPTION_MAX_BYTES = 64 * 1024;
const SOAP_MAX_BYTES = 16 * 1024;
/** UPnP error 713, SpecifiedArrayIndexInvalid: the end of the mapping list. */
export const END_OF_LIST = 713;

export interface WanService {
	serviceType: string;
	controlUrl: URL;
}

/** The first WANIPConnection/WANPPPConnection service whose control URL stays on the describing host. */
export function findWanService(descriptionXml: string, location: URL): WanService | undefined {
	const root = parseXml(descriptionXml, {maxLength: DESCRIPTION_MAX_BYTES});
	if (!root) return undefined;
	const base = childText(root, 'URLBase');
	for (const service of descendants(root, 'service')) {
		const serviceType = childText(service, 'serviceType') ?? '';
		const control = childText(service, 'controlURL');
		if (!WAN_SERVICES.test(serviceType) || !control) continue;
		try {
			const controlUrl = new URL(control, base ? new URL(base, location) : location);
			if (controlUrl.protocol === 'http:' && controlUrl.hostname === location.hostname) return {serviceType, controlUrl};
		} catch {
			// a control URL that does not parse: try the next service
		}
	}

	return undefined;
}

const escapeXml = (text: string): string =>
	text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function soapEnvelope(serviceType: string, action: string, args: Record<string, string>): string {
	const body = Object.entries(args)
		.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
		.join('');
	return (
		'<?xml version="1.0"?>' +
		'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
		`<s:Body><u:${action} xmlns:u="${escapeXml(serviceType)}">${body}</u:${action}></s:Body></s:Envelope>`
	);
}

export type SoapReply =
	| {kind: 'ok'; values: Record<string, string>}
	| {kind: 'fault'; errorCode: number | undefined; description: string}
	| {kind: 'failed'; error: string};

/** Read a SOAP reply: the action's output arguments, or the UPnPError in a fault. */
export function parseSoapReply(action: string, status: number, body: string): SoapReply {
	const root = parseXml(body, {maxLength: SOAP_MAX_BYTES});
	const soapBody = root && childElement(root, 'Body');
	if (!soapBody) return {kind: 'failed', error: `HTTP ${status} without a readable SOAP body`};
	const response = childElement(soapBody, `${action}Response`);
	if (status === 200 && response) {
		return {kind: 'ok', values: Object.fromEntries(response.children.map(child => [child.name, child.text]))};
	}

	const upnpError = descendants(soapBody, 'UPnPError')[0];
	const code = Number(upnpError && childText(upnpError, 'errorCode'));
	return {
		kind: 'fault',
		errorCode: Number.isInteger(code) && code > 0 ? code : undefined,
		description: (upnpError && childText(upnpError, 'errorDescription')) ?? `HTTP ${status}`,
	};
}

export async function soapCall(
	service: WanService,
	action: string,
	args: Record<string, string>,
	timeoutMs: number,
	{http}: Pick<RouterEnvironment, 'http'>,
): Promise<SoapReply> {
	const result = await http({
		url: service.controlUrl,
		method: 'POST',
		headers: {
			'Content-Type': 'text/xml; charset="utf-8"',
			SOAPAction: `"${service.serviceType}#${action}"`,
		},
		body: soapEnvelope(service.serviceType, action, args),
		timeoutMs,
		maxBytes: SOAP_MAX_BYTES,
	});
	return result.ok ? parseSoapReply(action, result.status, result.body) : {kind: 'failed', error: result.error};
}

export async function fetchDescription(
	location: URL,
	timeoutMs: number,
	{http}: Pick<RouterEnvironment, 'http'>,
): Promise<{xml: string} | {error: string}> {
	const result = await http({url: location, timeoutMs, maxBytes: DESCRIPTION_MAX_BYTES});
	if (!result.ok) return {error: result.error};
	return result.status === 200 ? {xml: result.body} : {error: `HTTP ${result.status}`};
}

/** A mapping list entry as the router gave it; undefined when a field is missing or not a number. */
export function mappingFromEntry(values: Record<string, string>): RouterMapping | undefined {
	const externalPort = Number(values.NewExternalPort);
	const internalPort = Number(values.NewInternalPort);
	const internalHost = values.NewInternalClient ?? '';
	const valid = (port: number): boolean => Number.isInteger(port) && port > 0 && port <= 65_535;
	if (!valid(externalPort) || !valid(internalPort) || internalHost === '') return undefined;
	return {
		protocol: (values.NewProtocol ?? '').toUpperCase().slice(0, 8),
		externalPort,
		internalHost: internalHost.slice(0, 64),
		internalPort,
		description: (values.NewPortMappingDescription ?? '').slice(0, 120),
	};
}

export interface MappingList {
	mappings: RouterMapping[];
	/** Why the list stopped, when not at error 713. */
	stoppedEarly?: string;
}

/** Entries from index 0 until error 713, at most maxEntries and within deadlineMs in all. */
export async function listMappings(
	service: WanService,
	options: {maxEntries: number; deadlineMs: number; perCallMs: number},
	environment: Pick<RouterEnvironment, 'http' | 'clock'>,
): Promise<MappingList> {
	const mappings: RouterMapping[] = [];
	const deadline = environment.clock.now() + options.deadlineMs;
	for (let index = 0; index < options.maxEntries; index++) {
		const left = deadline - environment.clock.now();
		if (left <= 0) return {mappings, stoppedEarly: `stopped after ${index} entries: time limit`};
		const reply = await soapCall(
			service,
			'GetGenericPortMappingEntry',
			{NewPortMappingIndex: String(index)},
			Math.min(left, options.perCallMs),
			environment,
		);
		if (reply.kind === 'fault' && reply.errorCode === END_OF_LIST) return {mappings};
		if (reply.kind !== 'ok') {
			const why = reply.kind === 'fault' ? `error ${reply.errorCode ?? '?'} ${reply.description}` : reply.error;
			return {mappings, stoppedEarly: `stopped at entry ${index}: ${why}`};
		}

		const mapping = mappingFromEntry(reply.values);
		if (mapping) mappings.push(mapping);
	}

	return {mappings, stoppedEarly: `stopped after ${options.maxEntries} entries`};
}
