/**
 * Decodes the one JSON document the Windows reader's PowerShell script prints (profiles, active
 * profiles, enabled inbound and outbound rules with their port, address, application and service
 * filters).
 * Enums arrive as their names, since the script casts them to strings; numbers and booleans are
 * read too, as ConvertTo-Json prints them when an enum is left uncast. Never throws.
 */
import type {PortSpan} from './model.js';
import {
	parsePortSpan,
	windowsProfileNames,
	type WindowsFirewall,
	type WindowsProfile,
	type WindowsProfileName,
	type WindowsRule,
} from './windows-model.js';

export type DecodedWindowsFirewall = {ok: true; firewall: WindowsFirewall} | {ok: false; error: string};

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** ConvertTo-Json prints a one-element list as the element itself. */
const list = (value: Json): Json[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

const text = (value: Json): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

const isAny = (values: readonly string[]): boolean =>
	values.length === 0 || values.some(value => ['any', '*', 'internet'].includes(value.toLowerCase()));

const profileName = (value: string): WindowsProfileName | null => {
	const name = value.trim().toLowerCase();
	return windowsProfileNames.find(known => known === name) ?? null;
};

/** "Domain, Private", "Any", or the flag values 1 | 2 | 4 (Domain, Private, Public). */
export const decodeProfiles = (value: Json): 'any' | WindowsProfileName[] => {
	if (typeof value === 'number') {
		const names = windowsProfileNames.filter((_, index) => (value & (1 << index)) !== 0);
		return value === 0 || names.length === 3 ? 'any' : names;
	}

	const names = text(value)
		.split(',')
		.map(part => part.trim())
		.filter(part => part !== '');
	if (isAny(names)) {
		return 'any';
	}

	const known = names.map(name => profileName(name)).filter((name): name is WindowsProfileName => name !== null);
	return known.length === 3 ? 'any' : known;
};

const decodeAction = (value: Json): WindowsRule['action'] | null => {
	// The NetSecurity Action enum: NotConfigured 0, Allow 2, Block 4.
	const name =
		typeof value === 'number' ? ({2: 'allow', 4: 'block'} as Record<number, string>)[value] : text(value).toLowerCase();
	return name === 'allow' || name === 'block' || name === 'bypass' ? name : null;
};

const decodeProtocol = (value: Json): WindowsRule['protocol'] => {
	const name = text(value).toLowerCase();
	if (name === '' || name === 'any' || name === '256') {
		return 'any';
	}

	return name === 'udp' || name === '17' ? 'udp' : name === 'tcp' || name === '6' ? 'tcp' : 'other';
};

const decodePorts = (value: Json): 'any' | PortSpan[] => {
	const values = list(value)
		.flatMap(item => text(item).split(','))
		.map(item => item.trim())
		.filter(item => item !== '');
	return isAny(values) ? 'any' : values.map(item => parsePortSpan(item)).filter((span): span is PortSpan => span !== null);
};

const decodeAddresses = (value: Json): 'any' | string[] => {
	const values = list(value)
		.flatMap(item => text(item).split(','))
		.map(item => item.trim())
		.filter(item => item !== '');
	return isAny(values) ? 'any' : values;
};

const limitTo = (value: Json): string | null => {
	const name = text(value);
	return name === '' || name.toLowerCase() === 'any' ? null : name;
};

/** GpoBoolean: False 0, True 1, NotConfigured 2 (which the active store resolves; on by default). */
const isOn = (value: Json): boolean => !(value === false || value === 0 || text(value).toLowerCase() === 'false');

const decodeProfile = (value: Json): WindowsProfile | null => {
	if (!isRecord(value)) {
		return null;
	}

	const name = profileName(text(value.Name));
	if (!name) {
		return null;
	}

	const inbound = value.DefaultInboundAction;
	const allow = inbound === 2 || text(inbound).toLowerCase() === 'allow';
	const rulesAllowed = value.AllowInboundRules;
	// NotConfigured outbound is Windows' default: allow. Only an explicit Block (4) blocks.
	const outbound = value.DefaultOutboundAction;
	const outboundBlock = outbound === 4 || text(outbound).toLowerCase() === 'block';
	return {
		name,
		enabled: isOn(value.Enabled),
		defaultInbound: allow ? 'allow' : 'block',
		blockAllInbound: rulesAllowed === false || rulesAllowed === 0 || text(rulesAllowed).toLowerCase() === 'false',
		...(outbound === undefined ? {} : {defaultOutbound: outboundBlock ? 'block' : 'allow'}),
	};
};

const decodeRule = (value: Json): WindowsRule | null => {
	if (!isRecord(value)) {
		return null;
	}

	const action = decodeAction(value.Action);
	if (!action) {
		return null;
	}

	// The Direction enum: Inbound 1, Outbound 2; absent (an older script's document) is inbound.
	const outbound = value.Direction === 2 || text(value.Direction).toLowerCase() === 'outbound';
	const id = text(value.Name);
	return {
		...(outbound ? {direction: 'out' as const, remotePorts: decodePorts(value.RemotePort)} : {}),
		name: text(value.DisplayName) || id,
		id: id === '' ? null : id,
		action,
		profiles: decodeProfiles(value.Profile),
		protocol: decodeProtocol(value.Protocol),
		localPorts: decodePorts(value.LocalPort),
		remoteAddresses: decodeAddresses(value.RemoteAddress),
		program: limitTo(value.Program),
		service: limitTo(value.Service),
	};
};

export const decodePowerShellFirewall = (json: string): DecodedWindowsFirewall => {
	let document: Json;
	try {
		document = JSON.parse(json.replace(/^\uFEFF/, ''));
	} catch {
		return {ok: false, error: 'PowerShell printed something that is not JSON'};
	}

	if (!isRecord(document)) {
		return {ok: false, error: 'PowerShell printed JSON without the firewall profiles'};
	}

	const profiles = list(document.Profiles)
		.map(item => decodeProfile(item))
		.filter((item): item is WindowsProfile => item !== null);
	if (profiles.length === 0) {
		return {ok: false, error: 'PowerShell printed JSON without the firewall profiles'};
	}

	const active = decodeProfiles(document.ActiveProfile);
	const rules = list(document.Rules)
		.map(item => decodeRule(item))
		.filter((item): item is WindowsRule => item !== null);
	return {ok: true, firewall: {profiles, active: active === 'any' ? [] : active, rules}};
};
