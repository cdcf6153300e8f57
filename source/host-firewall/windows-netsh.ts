/**
 * Decodes netsh's Windows Firewall text: `netsh advfirewall show allprofiles`, `… show
 * currentprofile` and `netsh advfirewall firewall show rule name=all dir=in verbose`. netsh prints
 * its labels and many values in the language of Windows (and in the console's code page), so the
 * decoding leans on structure: sections open with a header over a line of dashes, profiles come
 * in the documented order Domain, Private, Public with State then Firewall Policy first, and a
 * rule's fields are "label: value" lines whose labels are known in English, Italian and Japanese.
 * Never throws.
 */
import type {PortSpan} from './model.js';
import {
	parsePortSpan,
	windowsProfileNames,
	type WindowsProfile,
	type WindowsProfileName,
	type WindowsRule,
} from './windows-model.js';

/** Labels compared without case or spaces ("LocalPort", "Porta locale", "ローカル ポート"). */
const squeeze = (text: string): string => text.replaceAll(/\s+/g, '').toLowerCase();

const ruleLabels = {
	name: ['Rule Name', 'Nome regola', '規則名'],
	enabled: ['Enabled', 'Abilitata', '有効'],
	profiles: ['Profiles', 'Profili', 'プロファイル'],
	remoteIp: ['RemoteIP', 'IP remoto', 'リモート IP'],
	protocol: ['Protocol', 'Protocollo', 'プロトコル'],
	localPort: ['LocalPort', 'Porta locale', 'ローカル ポート'],
	remotePort: ['RemotePort', 'Porta remota', 'リモート ポート'],
	program: ['Program', 'Programma', 'プログラム'],
	service: ['Service', 'Servizio', 'サービス'],
	action: ['Action', 'Azione', '操作'],
} as const;

type RuleField = keyof typeof ruleLabels;

const fieldOf = new Map<string, RuleField>(
	Object.entries(ruleLabels).flatMap(([field, labels]) => labels.map(label => [squeeze(label), field as RuleField])),
);

const anyWords = new Set(['any', 'qualsiasi', '任意'].map(word => squeeze(word)));
const noWords = new Set(['no', 'いいえ']);
const profileWords: Record<string, WindowsProfileName> = {
	domain: 'domain',
	dominio: 'domain',
	ドメイン: 'domain',
	private: 'private',
	privato: 'private',
	プライベート: 'private',
	public: 'public',
	pubblico: 'public',
	パブリック: 'public',
};
const actionWords: Record<string, WindowsRule['action']> = {
	allow: 'allow',
	consenti: 'allow',
	許可: 'allow',
	block: 'block',
	blocca: 'block',
	ブロック: 'block',
	bypass: 'bypass',
	ignora: 'bypass',
	バイパス: 'bypass',
};

const isDashes = (line: string): boolean => /^-{10,}\s*$/.test(line);

/** Split at the first colon (ASCII or full-width): labels have none, values may ("C:\\…"). */
const splitField = (line: string): [string, string] | null => {
	const at = line.search(/[:：]/);
	return at <= 0 ? null : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
};

const splitList = (value: string): string[] =>
	value
		.split(/[,、]/)
		.map(part => part.trim())
		.filter(part => part !== '');

const isAnyValue = (values: readonly string[]): boolean =>
	values.length === 0 || values.some(value => anyWords.has(squeeze(value)));

const decodeProfileList = (value: string): 'any' | WindowsProfileName[] => {
	const parts = splitList(value);
	if (isAnyValue(parts)) {
		return 'any';
	}

	const names = [...new Set(parts.map(part => profileWords[squeeze(part)]).filter(name => name !== undefined))];
	return names.length === 3 ? 'any' : names;
};

const decodeProtocol = (value: string): WindowsRule['protocol'] => {
	const word = squeeze(value);
	if (anyWords.has(word)) {
		return 'any';
	}

	return word === 'udp' || word === '17' ? 'udp' : word === 'tcp' || word === '6' ? 'tcp' : 'other';
};

const decodePorts = (value: string): 'any' | PortSpan[] => {
	const parts = splitList(value);
	return isAnyValue(parts) ? 'any' : parts.map(part => parsePortSpan(part)).filter((span): span is PortSpan => span !== null);
};

/** netsh prints a limited scope as "203.0.113.0/24,LocalSubnet"; "Internet" is any public sender. */
const decodeAddresses = (value: string): 'any' | string[] => {
	const parts = splitList(value);
	return isAnyValue(parts) || parts.some(part => squeeze(part) === 'internet') ? 'any' : parts;
};

const limitTo = (value: string | undefined): string | null =>
	value === undefined || value === '' || anyWords.has(squeeze(value)) ? null : value;

/** Blocks of "header / dashes / lines", split at blank lines. */
const sections = (text: string): Array<{header: string; lines: string[]}> => {
	const lines = text.replaceAll('\r\n', '\n').split('\n');
	const found: Array<{header: string; lines: string[]}> = [];
	for (let index = 1; index < lines.length; index++) {
		if (!isDashes(lines[index]!)) {
			continue;
		}

		const body: string[] = [];
		for (let next = index + 1; next < lines.length && lines[next]!.trim() !== '' && !isDashes(lines[next]!); next++) {
			body.push(lines[next]!);
		}

		found.push({header: lines[index - 1]!.trim(), lines: body});
	}

	return found;
};

/**
 * The enabled rules of `show rule name=all dir=in verbose` (or `dir=out`: `direction` says which
 * was listed). A rule whose action reads in no known language is left out rather than guessed,
 * and counted in `unreadable`.
 */
export const decodeNetshRules = (text: string, direction: 'in' | 'out' = 'in'): {rules: WindowsRule[]; unreadable: number} => {
	const rules: WindowsRule[] = [];
	let unreadable = 0;
	for (const section of sections(text)) {
		const header = splitField(section.header);
		if (!header) {
			continue;
		}

		const fields = new Map<RuleField, string>();
		let last = '';
		for (const line of section.lines) {
			const field = splitField(line);
			if (!field) {
				continue;
			}

			last = field[1];
			const known = fieldOf.get(squeeze(field[0]));
			if (known && !fields.has(known)) {
				fields.set(known, field[1]);
			}
		}

		if (noWords.has(squeeze(fields.get('enabled') ?? ''))) {
			continue;
		}

		// netsh prints Action last: read it there when its label is in an unknown language.
		const action = actionWords[squeeze(fields.get('action') ?? last)];
		const profiles = fields.get('profiles');
		const protocolText = fields.get('protocol');
		const remote = fields.get('remoteIp');
		const protocol = protocolText === undefined ? undefined : decodeProtocol(protocolText);
		const ports = fields.get('localPort');
		// A field whose label was not recognised must not read as "any": the rule is left out and
		// counted. netsh prints no LocalPort for a rule of any protocol, whose ports are then any.
		const portsMissing =
			(ports === undefined || (direction === 'out' && fields.get('remotePort') === undefined)) &&
			(protocol === 'udp' || protocol === 'tcp');
		if (!action || profiles === undefined || protocol === undefined || remote === undefined || portsMissing) {
			unreadable++;
			continue;
		}

		rules.push({
			// Listed by `dir=out`: its local ports are those packets leave from.
			...(direction === 'out' ? {direction, remotePorts: decodePorts(fields.get('remotePort') ?? '')} : {}),
			name: header[1],
			id: null,
			action,
			profiles: decodeProfileList(profiles),
			protocol,
			localPorts: decodePorts(ports ?? ''),
			remoteAddresses: decodeAddresses(remote),
			program: limitTo(fields.get('program')),
			service: limitTo(fields.get('service')),
		});
	}

	return {rules, unreadable};
};

const offWords = new Set(['off', 'disattivato', 'disattivo', 'オフ', '無効']);

/** A settings row: "State                                 ON"; the value is its last word. */
const lastWord = (line: string): string => squeeze(line.trim().split(/\s+/).at(-1) ?? '');

/**
 * `show allprofiles`: the three profile sections in netsh's fixed order (Domain, Private, Public),
 * State on the first row and Firewall Policy ("BlockInbound,AllowOutbound", never translated) on
 * the second. `currentprofile` is `show currentprofile`, whose section headers are matched to
 * those of allprofiles, so the active profile is found whatever language the headers are in.
 */
export const decodeNetshProfiles = (
	allprofiles: string,
	currentprofile = '',
): {profiles: WindowsProfile[]; active: WindowsProfileName[]} | null => {
	const found = sections(allprofiles).filter(section => section.lines.length >= 2);
	if (found.length < 3) {
		return null;
	}

	const profiles = found.slice(0, 3).map((section, index): WindowsProfile => {
		const state = lastWord(section.lines[0]!);
		const policy = lastWord(section.lines[1]!);
		return {
			name: windowsProfileNames[index]!,
			// A state in no known word is taken as on: then the rules decide, which never overstates.
			enabled: !offWords.has(state),
			defaultInbound: /(^|,)allowinbound(,|$)/.test(policy) ? 'allow' : 'block',
			blockAllInbound: policy.includes('blockinboundalways'),
			defaultOutbound: /(^|,)blockoutbound(,|$)/.test(policy) ? 'block' : 'allow',
		};
	});
	const headers = found.slice(0, 3).map(section => squeeze(section.header));
	const active = sections(currentprofile)
		.map(section => headers.indexOf(squeeze(section.header)))
		.filter(index => index >= 0)
		.map(index => windowsProfileNames[index]!);
	return {profiles, active: [...new Set(active)]};
};

/**
 * netsh's bytes as text. Recent Windows writes UTF-8 when its output is redirected, older ones the
 * console's OEM code page: valid UTF-8 is read as such; else Shift_JIS (code page 932, which the
 * WHATWG decoder Node ships implements) when that yields Japanese labels; else windows-1252,
 * which keeps every ASCII label of the single-byte code pages (850, 437) readable.
 */
export const decodeConsoleBytes = (bytes: Uint8Array): string => {
	try {
		return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
	} catch {
		// Not UTF-8: a console code page.
	}

	try {
		const japanese = new TextDecoder('shift_jis', {fatal: true}).decode(bytes);
		if (/規則名|プロファイル/.test(japanese)) {
			return japanese;
		}
	} catch {
		// Not Shift_JIS either: a single-byte code page.
	}

	return new TextDecoder('windows-1252').decode(bytes);
};
