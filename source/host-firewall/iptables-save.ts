/**
 * `iptables-save` / `ip6tables-save` output into the model: the legacy backend, and the tables
 * iptables-nft manages (nft shows their matches only as opaque `xt` expressions, this shows them
 * as written). ufw and FreePBX's firewall write their rules through iptables. Never throws; an
 * option it does not evaluate becomes an `unknown` condition named as written.
 */
import type {Action, Chain, Condition, Hook, PortSpan, Rule, Ruleset} from './model.js';

/** The built-in chains a packet to or from this host passes, with the priorities nftables gives their tables. */
const builtIn: Record<string, Partial<Record<string, {hook: Hook; priority: number; type: 'filter' | 'nat'}>>> = {
	raw: {
		PREROUTING: {hook: 'prerouting', priority: -300, type: 'filter'},
		OUTPUT: {hook: 'output', priority: -300, type: 'filter'},
	},
	mangle: {
		PREROUTING: {hook: 'prerouting', priority: -150, type: 'filter'},
		INPUT: {hook: 'input', priority: -150, type: 'filter'},
		OUTPUT: {hook: 'output', priority: -150, type: 'filter'},
		POSTROUTING: {hook: 'postrouting', priority: -150, type: 'filter'},
	},
	nat: {
		PREROUTING: {hook: 'prerouting', priority: -100, type: 'nat'},
		OUTPUT: {hook: 'output', priority: -100, type: 'nat'},
		POSTROUTING: {hook: 'postrouting', priority: 100, type: 'nat'},
	},
	filter: {
		INPUT: {hook: 'input', priority: 0, type: 'filter'},
		OUTPUT: {hook: 'output', priority: 0, type: 'filter'},
	},
	security: {
		INPUT: {hook: 'input', priority: 50, type: 'filter'},
		OUTPUT: {hook: 'output', priority: 50, type: 'filter'},
	},
};

/** Split a rule line as the shell would: iptables-save quotes comments and log prefixes. */
export const splitWords = (line: string): string[] => {
	const words: string[] = [];
	let current = '';
	let quoted = false;
	let started = false;
	for (let index = 0; index < line.length; index++) {
		const char = line[index]!;
		if (char === '\\' && quoted && index + 1 < line.length) {
			current += line[++index];
		} else if (char === '"') {
			quoted = !quoted;
			started = true;
		} else if (/\s/.test(char) && !quoted) {
			if (started) {
				words.push(current);
			}

			current = '';
			started = false;
		} else {
			current += char;
			started = true;
		}
	}

	if (started) {
		words.push(current);
	}

	return words;
};

const port = (text: string): number | undefined => (/^\d{1,5}$/.test(text) && Number(text) <= 65_535 ? Number(text) : undefined);

/** "9000:9100,9200" (or "9000" or ":1024") as spans; undefined for a service name or garbage. */
const spansOf = (text: string): PortSpan[] | undefined => {
	const spans: PortSpan[] = [];
	for (const part of text.split(',')) {
		const [low, high] = part.split(':') as [string, string | undefined];
		const from = low === '' ? 0 : port(low);
		const to = high === undefined ? from : high === '' ? 65_535 : port(high);
		if (from === undefined || to === undefined || from > to) {
			return undefined;
		}

		spans.push({from, to});
	}

	return spans;
};

const targets: Record<string, Action> = {
	ACCEPT: {kind: 'accept'},
	DROP: {kind: 'drop'},
	REJECT: {kind: 'reject'},
	RETURN: {kind: 'return'},
};

/** Targets that note, count or mark the packet and let it go on. */
const passiveTargets = new Set([
	'LOG',
	'NFLOG',
	'ULOG',
	'MARK',
	'CONNMARK',
	'CT',
	'NOTRACK',
	'TRACE',
	'AUDIT',
	'CLASSIFY',
	'DSCP',
	'TOS',
	'TTL',
	'HL',
	'SNAT',
	'MASQUERADE',
]);

/** Options whose value (one word) the evaluation can ignore: they neither test nor decide. */
const passiveOptions = new Set([
	'--comment',
	'--log-prefix',
	'--log-level',
	'--log-uid',
	'--reject-with',
	'--set-mark',
	'--set-xmark',
	'--nflog-prefix',
	'--nflog-group',
	'--to-source',
]);

/** Modules that only make their options known: `-m udp` says nothing by itself. */
const plainModules = new Set([
	'udp',
	'tcp',
	'comment',
	'multiport',
	'conntrack',
	'state',
	'addrtype',
	'pkttype',
	'icmp',
	'icmp6',
]);

/** An option as written, for the construct a walk names: "! --sport 5060". */
const written = (not: boolean, option: string, value: string): string =>
	`${not ? '! ' : ''}${option}${value === '' ? '' : ` ${value}`}`;

/** One `-A CHAIN …` line into a rule (the chain name comes back beside it). */
export const decodeRuleLine = (words: string[], handle: number, protocol: string | null = null): Omit<Rule, 'text'> => {
	const conditions: Condition[] = [];
	let action: Action = {kind: 'continue'};
	let negate = false;
	let currentProtocol = protocol;
	const unknown = (construct: string): void => {
		conditions.push({kind: 'unknown', construct});
	};

	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		const value = words[index + 1];
		const not = negate;
		negate = false;
		if (word === '!') {
			negate = true;
			continue;
		}

		// Options that take a value consume it here; the loop's index skips it.
		const take = (): string => {
			index++;
			return value ?? '';
		};

		switch (word) {
			case '-p':
			case '--protocol': {
				const name = take().toLowerCase();
				currentProtocol = name;
				conditions.push({kind: 'protocol', protocols: [name === '6' ? 'tcp' : name === '17' ? 'udp' : name], negate: not});
				break;
			}

			case '-s':
			case '--source':
			case '--src': {
				conditions.push({kind: 'source', prefixes: take().split(','), negate: not});
				break;
			}

			case '-i':
			case '--in-interface': {
				conditions.push({kind: 'input-interface', names: [take()], negate: not});
				break;
			}

			case '-d':
			case '--destination':
			case '--dst': {
				const text = take();
				conditions.push({kind: 'destination', prefixes: text.split(','), negate: not, construct: written(not, word, text)});
				break;
			}

			case '-o':
			case '--out-interface': {
				const text = take();
				conditions.push({kind: 'output-interface', names: [text], negate: not, construct: written(not, word, text)});
				break;
			}

			case '--sport':
			case '--source-port':
			case '--sports':
			case '--source-ports': {
				const text = take();
				const spans = spansOf(text);
				if (spans && currentProtocol) {
					conditions.push({kind: 'sport', protocols: [currentProtocol], spans, negate: not, construct: written(not, word, text)});
				} else {
					unknown(written(not, word, text));
				}

				break;
			}

			case '--dport':
			case '--destination-port':
			case '--dports':
			case '--destination-ports': {
				const text = take();
				const spans = spansOf(text);
				if (spans && currentProtocol) {
					conditions.push({kind: 'dport', protocols: [currentProtocol], spans, negate: not});
				} else {
					unknown(`${not ? '! ' : ''}${word} ${text}`);
				}

				break;
			}

			case '--ctstate':
			case '--state': {
				conditions.push({kind: 'ct-state', states: take().toLowerCase().split(','), negate: not});
				break;
			}

			case '--dst-type': {
				// Inbound, our packet is addressed to this host: LOCAL (and UNICAST) hold, the others do
				// not. Outbound, it goes to the server: UNICAST, not LOCAL.
				const types = take().split(',');
				conditions.push({
					kind: 'constant',
					holds: types.some(type => type === 'LOCAL' || type === 'UNICAST') !== not,
					outbound: types.includes('UNICAST') !== not,
					construct: `${not ? '! ' : ''}--dst-type ${types.join(',')}`,
				});
				break;
			}

			case '--src-type': {
				// An address on the internet is unicast and not one of ours; outbound the source is ours.
				const types = take().split(',');
				conditions.push({
					kind: 'constant',
					holds: types.includes('UNICAST') !== not,
					outbound: types.some(type => type === 'LOCAL' || type === 'UNICAST') !== not,
					construct: `${not ? '! ' : ''}--src-type ${types.join(',')}`,
				});
				break;
			}

			case '--pkt-type': {
				const type = take();
				conditions.push({
					kind: 'constant',
					holds: (type === 'unicast' || type === 'host') !== not,
					construct: `--pkt-type ${type}`,
				});
				break;
			}

			case '--limit-iface-in':
			case '--limit-iface-out': {
				break;
			}

			case '-f':
			case '--fragment': {
				// A STUN datagram travels whole.
				conditions.push({kind: 'constant', holds: not, outbound: not, construct: `${not ? '! ' : ''}-f`});
				break;
			}

			case '-m':
			case '--match': {
				const module = take();
				if (!plainModules.has(module)) {
					// limit, recent, hashlimit, set, mark, …: whether a packet matches depends on more than its ports.
					const options: string[] = [];
					while (index + 1 < words.length && words[index + 1]!.startsWith('--')) {
						options.push(words[++index]!);
						if (index + 1 < words.length && !words[index + 1]!.startsWith('-')) {
							options.push(words[++index]!);
						}
					}

					unknown(`-m ${[module, ...options].join(' ')}`);
				}

				break;
			}

			case '-j':
			case '--jump': {
				const target = take();
				action =
					targets[target] ??
					(passiveTargets.has(target)
						? {kind: 'continue'}
						: /^[A-Z]+$/.test(target)
							? {kind: 'unknown', construct: `-j ${target}`}
							: {kind: 'jump', chain: target});
				break;
			}

			case '-g':
			case '--goto': {
				action = {kind: 'goto', chain: take()};
				break;
			}

			case '-c': {
				// Packet and byte counters (iptables-save -c).
				index += 2;
				break;
			}

			default: {
				if (passiveOptions.has(word)) {
					take();
				} else if (word.startsWith('-')) {
					const next = value !== undefined && !value.startsWith('-') ? ` ${take()}` : '';
					unknown(`${not ? '! ' : ''}${word}${next}`);
				}
			}
		}
	}

	return {conditions, action, handle};
};

/**
 * Decode one `iptables-save` listing. `family` says which: iptables-save lists IPv4 rules, and
 * ip6tables-save IPv6 ones. Lines it cannot read are counted in `skipped`, never thrown.
 */
export const decodeIptablesSave = (
	text: string,
	family: 'ipv4' | 'ipv6',
	backend: 'iptables' | 'iptables-legacy',
): {ruleset: Ruleset; tables: string[]; chainNames: string[]; skipped: number} => {
	const chains = new Map<string, {chain: Chain; rules: Rule[]}>();
	const tables: string[] = [];
	let table = '';
	let skipped = 0;
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#') || line === 'COMMIT') {
			continue;
		}

		if (line.startsWith('*')) {
			table = line.slice(1);
			tables.push(table);
			continue;
		}

		if (line.startsWith(':')) {
			const [name, policy] = line.slice(1).split(/\s+/) as [string, string | undefined];
			const hook = builtIn[table]?.[name];
			const rules: Rule[] = [];
			const chain: Chain = {
				table,
				name,
				families: [family],
				rules,
				...(hook ? {base: {...hook, policy: policy === 'DROP' ? 'drop' : 'accept'}} : {}),
			};
			chains.set(`${table} ${name}`, {chain, rules});
			continue;
		}

		const words = splitWords(line);
		const target = words[0] === '-A' || words[0] === '--append' ? chains.get(`${table} ${words[1] ?? ''}`) : undefined;
		if (!target) {
			skipped++;
			continue;
		}

		const rule = decodeRuleLine(words.slice(2), target.rules.length + 1);
		target.rules.push({
			...rule,
			text: words
				.slice(2)
				.map(word => (/[\s"]/.test(word) || word === '' ? JSON.stringify(word) : word))
				.join(' '),
		});
	}

	const all = [...chains.values()].map(({chain}) => chain);
	return {ruleset: {backend, chains: all}, tables, chainNames: all.map(chain => chain.name), skipped};
};
