/**
 * `nft -j list ruleset` (libnftables' JSON, schema 1) into the model. Untrusted in the sense that
 * any tool may have written the rules: it never throws, and whatever it does not know becomes an
 * `unknown` condition or action named after the expression, so nothing is guessed.
 */
import type {Action, Chain, Condition, Hook, PortSpan, Rule, Ruleset} from './model.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one key of an nft expression object ({"match": …} → ["match", …]). */
const only = (value: Json): [string, Json] | undefined => {
	if (!isObject(value)) {
		return undefined;
	}

	const keys = Object.keys(value);
	return keys.length === 1 ? [keys[0]!, value[keys[0]!]] : undefined;
};

interface NamedSet {
	elements: Json[];
}

/** A table's sets, by "family table name". */
type Sets = Map<string, NamedSet>;

interface Context {
	family: string;
	table: string;
	sets: Sets;
}

const hooks: Record<string, Hook> = {prerouting: 'prerouting', input: 'input', output: 'output', postrouting: 'postrouting'};

// ---------------------------------------------------------------- values

/** A value as the text nft would print, for a rule's text. */
const valueText = (value: Json): string => {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
		return String(value);
	}

	if (Array.isArray(value)) {
		return `{ ${value.map(item => valueText(item)).join(', ')} }`;
	}

	const entry = only(value);
	if (!entry) {
		return '?';
	}

	const [key, inner] = entry;
	if (key === 'range' && Array.isArray(inner)) {
		return `${valueText(inner[0])}-${valueText(inner[1])}`;
	}

	if (key === 'prefix' && isObject(inner)) {
		return `${valueText(inner.addr)}/${valueText(inner.len)}`;
	}

	if (key === 'set') {
		return Array.isArray(inner) ? valueText(inner) : `{ ${valueText(inner)} }`;
	}

	if (key === 'elem' && isObject(inner)) {
		return valueText(inner.val);
	}

	if (key === 'concat' && Array.isArray(inner)) {
		return inner.map(item => valueText(item)).join(' . ');
	}

	return key;
};

/** The elements a right-hand side names: a literal, a range, an anonymous set or a named one. */
const elementsOf = (value: Json, context: Context): Json[] | undefined => {
	if (typeof value === 'string' && value.startsWith('@')) {
		return context.sets.get(`${context.family} ${context.table} ${value.slice(1)}`)?.elements;
	}

	if (Array.isArray(value)) {
		return value as Json[];
	}

	const entry = only(value);
	if (entry?.[0] === 'set') {
		return Array.isArray(entry[1]) ? (entry[1] as Json[]) : [entry[1]];
	}

	return [value];
};

const unwrapElement = (value: Json): Json => {
	const entry = only(value);
	return entry?.[0] === 'elem' && isObject(entry[1]) ? entry[1].val : value;
};

const portNumber = (value: Json): number | undefined =>
	typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535 ? value : undefined;

const portSpans = (elements: Json[]): PortSpan[] | undefined => {
	const spans: PortSpan[] = [];
	for (const raw of elements) {
		const element = unwrapElement(raw);
		const single = portNumber(element);
		if (single !== undefined) {
			spans.push({from: single, to: single});
			continue;
		}

		const entry = only(element);
		if (entry?.[0] === 'range' && Array.isArray(entry[1])) {
			const from = portNumber(entry[1][0]);
			const to = portNumber(entry[1][1]);
			if (from !== undefined && to !== undefined && from <= to) {
				spans.push({from, to});
				continue;
			}
		}

		return undefined;
	}

	return spans;
};

const prefixes = (elements: Json[]): string[] | undefined => {
	const result: string[] = [];
	for (const raw of elements) {
		const element = unwrapElement(raw);
		if (typeof element === 'string' && !element.startsWith('@')) {
			result.push(element.includes('/') ? element : `${element}/${element.includes(':') ? 128 : 32}`);
			continue;
		}

		const entry = only(element);
		if (entry?.[0] === 'prefix' && isObject(entry[1]) && typeof entry[1].addr === 'string') {
			result.push(`${entry[1].addr}/${String(entry[1].len)}`);
			continue;
		}

		if (entry?.[0] === 'range' && Array.isArray(entry[1])) {
			// An address range is narrower than everything, which is all the evaluation asks.
			result.push(`${valueText(entry[1][0])}-${valueText(entry[1][1])}`);
			continue;
		}

		return undefined;
	}

	return result;
};

const strings = (elements: Json[]): string[] | undefined => {
	const result: string[] = [];
	for (const element of elements) {
		const value = unwrapElement(element);
		if (typeof value !== 'string') {
			return undefined;
		}

		result.push(value);
	}

	return result;
};

/** Numbers IANA gives the protocols nft may print as such (meta l4proto 17). */
const protocolNames: Record<number, string> = {1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp', 132: 'sctp', 136: 'udplite'};

const protocolsOf = (elements: Json[]): string[] | undefined => {
	const result: string[] = [];
	for (const raw of elements) {
		const element = unwrapElement(raw);
		if (typeof element === 'string') {
			result.push(element);
		} else if (typeof element === 'number') {
			result.push(protocolNames[element] ?? String(element));
		} else {
			return undefined;
		}
	}

	return result;
};

// ---------------------------------------------------------------- expressions

/** The left-hand side of a match, as the model knows it. */
type Subject =
	| {kind: 'dport' | 'sport'; protocols: string[]}
	| {kind: 'destination'}
	| {kind: 'output-interface'}
	| {kind: 'protocol'}
	| {kind: 'source'}
	| {kind: 'input-interface'}
	| {kind: 'ct-state'}
	| {kind: 'family'}
	| {kind: 'fib-daddr-type'}
	| {kind: 'pkttype'}
	| {kind: 'ct-status'};

const transport = ['udp', 'tcp', 'udplite', 'sctp', 'dccp'];

const subjectOf = (left: Json): Subject | undefined => {
	const entry = only(left);
	if (!entry || !isObject(entry[1])) {
		return undefined;
	}

	const [key, inner] = entry;
	if (key === 'payload') {
		const {protocol, field} = inner;
		if ((field === 'dport' || field === 'sport') && typeof protocol === 'string') {
			return {kind: field, protocols: protocol === 'th' ? transport : [protocol]};
		}

		if ((protocol === 'ip' || protocol === 'ip6') && field === 'saddr') {
			return {kind: 'source'};
		}

		if ((protocol === 'ip' || protocol === 'ip6') && field === 'daddr') {
			return {kind: 'destination'};
		}

		if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) {
			return {kind: 'protocol'};
		}

		return undefined;
	}

	if (key === 'meta') {
		switch (inner.key) {
			case 'l4proto': {
				return {kind: 'protocol'};
			}

			case 'iifname':
			case 'iif': {
				return {kind: 'input-interface'};
			}

			case 'oifname':
			case 'oif': {
				return {kind: 'output-interface'};
			}

			case 'nfproto': {
				return {kind: 'family'};
			}

			case 'pkttype': {
				return {kind: 'pkttype'};
			}

			default: {
				return undefined;
			}
		}
	}

	if (key === 'ct') {
		if (inner.key === 'state') {
			return {kind: 'ct-state'};
		}

		if (inner.key === 'status') {
			return {kind: 'ct-status'};
		}

		return undefined;
	}

	if (key === 'fib' && inner.result === 'type' && Array.isArray(inner.flags) && inner.flags.includes('daddr')) {
		return inner.flags.length === 1 ? {kind: 'fib-daddr-type'} : undefined;
	}

	return undefined;
};

/** Text of a left-hand side: "udp dport", "ct state", "meta l4proto". */
const subjectText = (left: Json): string => {
	const entry = only(left);
	if (!entry || !isObject(entry[1])) {
		return valueText(left);
	}

	const [key, inner] = entry;
	if (key === 'payload') {
		return `${valueText(inner.protocol)} ${valueText(inner.field)}`;
	}

	if (key === 'fib') {
		return `fib ${Array.isArray(inner.flags) ? inner.flags.map(flag => valueText(flag)).join(' . ') : ''} ${valueText(inner.result)}`;
	}

	return `${key} ${valueText(inner.key)}`;
};

const negatedBy = (op: Json): boolean | undefined => (op === '==' || op === 'in' ? false : op === '!=' ? true : undefined);

/** Ports `op value` as spans, for the comparisons nft allows on a port. */
const comparedPorts = (op: string, value: number): PortSpan[] | undefined => {
	switch (op) {
		case '<': {
			return value > 0 ? [{from: 0, to: value - 1}] : [];
		}

		case '<=': {
			return [{from: 0, to: value}];
		}

		case '>': {
			return value < 65_535 ? [{from: value + 1, to: 65_535}] : [];
		}

		case '>=': {
			return [{from: value, to: 65_535}];
		}

		default: {
			return undefined;
		}
	}
};

const matchCondition = (match: JsonObject, context: Context, text: string): Condition => {
	const unknown: Condition = {kind: 'unknown', construct: text};
	const subject = subjectOf(match.left);
	const {op} = match;
	if (!subject || typeof op !== 'string') {
		return unknown;
	}

	const negate = negatedBy(op);
	if (subject.kind === 'dport' && negate === undefined) {
		const value = portNumber(match.right);
		const spans = value === undefined ? undefined : comparedPorts(op, value);
		return spans ? {kind: 'dport', protocols: subject.protocols, spans, negate: false} : unknown;
	}

	if (subject.kind === 'sport' && negate === undefined) {
		const value = portNumber(match.right);
		const spans = value === undefined ? undefined : comparedPorts(op, value);
		return spans ? {kind: 'sport', protocols: subject.protocols, spans, negate: false, construct: text} : unknown;
	}

	const elements = elementsOf(match.right, context);
	if (negate === undefined || !elements) {
		return unknown;
	}

	switch (subject.kind) {
		case 'dport': {
			const spans = portSpans(elements);
			return spans ? {kind: 'dport', protocols: subject.protocols, spans, negate} : unknown;
		}

		case 'sport': {
			const spans = portSpans(elements);
			return spans ? {kind: 'sport', protocols: subject.protocols, spans, negate, construct: text} : unknown;
		}

		case 'destination': {
			const found = prefixes(elements);
			return found ? {kind: 'destination', prefixes: found, negate, construct: text} : unknown;
		}

		case 'output-interface': {
			const names = strings(elements);
			return names ? {kind: 'output-interface', names, negate, construct: text} : unknown;
		}

		case 'protocol': {
			const protocols = protocolsOf(elements);
			return protocols ? {kind: 'protocol', protocols, negate} : unknown;
		}

		case 'source': {
			const found = prefixes(elements);
			return found ? {kind: 'source', prefixes: found, negate} : unknown;
		}

		case 'input-interface': {
			const names = strings(elements);
			return names ? {kind: 'input-interface', names, negate} : unknown;
		}

		case 'ct-state': {
			const states = strings(elements);
			return states ? {kind: 'ct-state', states, negate} : unknown;
		}

		case 'family': {
			const families = strings(elements);
			return families ? {kind: 'family', families, negate} : unknown;
		}

		case 'fib-daddr-type':
		case 'pkttype': {
			// The packet in question is unicast to one of this host's own addresses.
			const types = strings(elements);
			if (!types) {
				return unknown;
			}

			const ours = subject.kind === 'pkttype' ? ['host', 'unicast'] : ['local'];
			const holds = types.some(type => ours.includes(type)) !== negate;
			// Outbound, the server's address is a remote unicast one; a sent packet's pkttype is not relied on.
			return subject.kind === 'pkttype'
				? {kind: 'constant', holds, construct: text}
				: {kind: 'constant', holds, outbound: types.includes('unicast') !== negate, construct: text};
		}

		case 'ct-status': {
			// A first packet, either way, has no status bits set (no DNAT, not yet seen reply, …).
			return {kind: 'constant', holds: negate, outbound: negate, construct: text};
		}
	}
};

const verdictOf = (key: string, inner: Json): Action | undefined => {
	switch (key) {
		case 'accept': {
			return {kind: 'accept'};
		}

		case 'drop': {
			return {kind: 'drop'};
		}

		case 'reject': {
			return {kind: 'reject'};
		}

		case 'return': {
			return {kind: 'return'};
		}

		case 'continue': {
			return {kind: 'continue'};
		}

		case 'jump':
		case 'goto': {
			return isObject(inner) && typeof inner.target === 'string'
				? {kind: key, chain: inner.target}
				: {kind: 'unknown', construct: key};
		}

		default: {
			return undefined;
		}
	}
};

/** Statements that neither test the packet nor decide its fate here. */
const passive = new Set(['counter', 'log', 'mangle', 'notrack', 'ct helper', 'snat', 'masquerade', 'meter', 'set', 'quota']);

/** Statements that hand the packet elsewhere or rewrite where it goes: the rest of the path is unknown. */
const diverting = new Set(['dnat', 'redirect', 'queue', 'tproxy', 'fwd', 'dup']);

const statementText = (key: string, inner: Json): string => {
	switch (key) {
		case 'match': {
			if (!isObject(inner)) {
				return 'match';
			}

			const op = inner.op === '==' || inner.op === 'in' ? '' : ` ${valueText(inner.op)}`;
			return `${subjectText(inner.left)}${op} ${valueText(inner.right)}`;
		}

		case 'jump':
		case 'goto': {
			return `${key} ${isObject(inner) ? valueText(inner.target) : ''}`;
		}

		case 'limit': {
			return isObject(inner) ? `limit rate ${valueText(inner.rate)}/${valueText(inner.per)}` : 'limit';
		}

		case 'reject': {
			return isObject(inner) && inner.expr ? `reject with ${valueText(inner.type)} ${valueText(inner.expr)}` : 'reject';
		}

		case 'xt': {
			return isObject(inner) ? `xt ${valueText(inner.type)} ${valueText(inner.name)}` : 'xt';
		}

		case 'vmap': {
			return isObject(inner) ? `${subjectText(inner.key)} vmap ${valueText(inner.data)}` : 'vmap';
		}

		default: {
			return inner === null ? key : key;
		}
	}
};

/**
 * A verdict map (`ct state vmap { established : accept, invalid : drop }`), as firewalld writes
 * them: the entry for our packet's value is the rule's action; none matching, the rule goes on.
 */
const vmapRule = (
	vmap: JsonObject,
	context: Context,
	conditions: Condition[],
	text: string,
): Pick<Rule, 'conditions' | 'action'>[] => {
	const entries = elementsOf(vmap.data, context);
	const subject = subjectOf(vmap.key);
	// A map keyed on what only the outbound walk evaluates stays a test not evaluated, as it always read.
	const outboundKey = subject && ['sport', 'destination', 'output-interface'].includes(subject.kind);
	if (!entries || !subject || outboundKey) {
		return [{conditions: [...conditions, {kind: 'unknown', construct: text}], action: {kind: 'continue'}}];
	}

	// Each entry becomes a rule of its own, in order: key == value → verdict.
	const rules: Array<Pick<Rule, 'conditions' | 'action'>> = [];
	for (const entry of entries) {
		const pair = Array.isArray(entry) && entry.length === 2 ? entry : undefined;
		const verdict = pair ? only(pair[1]) : undefined;
		const action = verdict ? verdictOf(verdict[0], verdict[1]) : undefined;
		if (!pair || !action) {
			return [{conditions: [...conditions, {kind: 'unknown', construct: text}], action: {kind: 'unknown', construct: text}}];
		}

		const condition = matchCondition({op: '==', left: vmap.key, right: pair[0]}, context, text);
		rules.push({conditions: [...conditions, condition], action});
	}

	return rules;
};

/** One nft rule: usually one model rule; a verdict map gives one per entry. */
const decodeRule = (rule: JsonObject, context: Context): Rule[] => {
	const handle = typeof rule.handle === 'number' ? rule.handle : 0;
	const statements = Array.isArray(rule.expr) ? rule.expr : [];
	const text = statements
		.map(statement => {
			const entry = only(statement);
			return entry ? statementText(entry[0], entry[1]) : '?';
		})
		.join(' ');
	const conditions: Condition[] = [];
	for (const statement of statements) {
		const entry = only(statement);
		if (!entry) {
			conditions.push({kind: 'unknown', construct: 'an expression nft did not name'});
			continue;
		}

		const [key, inner] = entry;
		if (key === 'match' && isObject(inner)) {
			conditions.push(matchCondition(inner, context, statementText(key, inner)));
			continue;
		}

		const verdict = verdictOf(key, inner);
		if (verdict) {
			return [{conditions, action: verdict, text, handle}];
		}

		if (key === 'vmap' && isObject(inner)) {
			return vmapRule(inner, context, conditions, statementText(key, inner)).map(part => ({...part, text, handle}));
		}

		if (diverting.has(key)) {
			return [{conditions, action: {kind: 'unknown', construct: statementText(key, inner)}, text, handle}];
		}

		if (passive.has(key)) {
			continue;
		}

		// limit, xt (an iptables match inside nftables), quota, …: the packet may or may not match.
		conditions.push({kind: 'unknown', construct: statementText(key, inner)});
	}

	return [{conditions, action: {kind: 'continue'}, text, handle}];
};

const familiesFor: Record<string, Array<'ipv4' | 'ipv6'>> = {ip: ['ipv4'], ip6: ['ipv6'], inet: ['ipv4', 'ipv6']};

/**
 * Decode the ruleset: the tables of the families an inbound IP packet meets (ip, ip6, inet), less
 * `skipTables` ("ip filter"): those iptables-nft manages, read from iptables-save instead, since
 * nft shows their iptables matches only as opaque `xt` expressions.
 */
export const decodeNftRuleset = (
	json: string,
	skipTables: ReadonlySet<string> = new Set(),
): {ok: true; ruleset: Ruleset; tables: string[]; chainNames: string[]} | {ok: false; error: string} => {
	let document: Json;
	try {
		document = JSON.parse(json) as Json;
	} catch {
		return {ok: false, error: 'nft printed something that is not JSON'};
	}

	const items = isObject(document) && Array.isArray(document.nftables) ? document.nftables : undefined;
	if (!items) {
		return {ok: false, error: 'nft printed JSON without an "nftables" list'};
	}

	const sets: Sets = new Map();
	const chains = new Map<string, {chain: Chain; rules: Rule[]}>();
	const tables: string[] = [];
	for (const item of items) {
		const entry = only(item);
		if (!entry || !isObject(entry[1])) {
			continue;
		}

		const [key, body] = entry;
		const family = typeof body.family === 'string' ? body.family : '';
		const table = typeof body.table === 'string' ? body.table : '';
		if (!(family in familiesFor) || skipTables.has(`${family} ${key === 'table' ? String(body.name) : table}`)) {
			continue;
		}

		if (key === 'table' && typeof body.name === 'string') {
			tables.push(`${family} ${body.name}`);
		} else if ((key === 'set' || key === 'map') && typeof body.name === 'string') {
			sets.set(`${family} ${table} ${body.name}`, {elements: Array.isArray(body.elem) ? body.elem : []});
		} else if (key === 'chain' && typeof body.name === 'string') {
			const rules: Rule[] = [];
			const hook = typeof body.hook === 'string' ? hooks[body.hook] : undefined;
			const chain: Chain = {
				table: `${family} ${table}`,
				name: body.name,
				families: familiesFor[family]!,
				rules,
				...(hook
					? {
							base: {
								hook,
								priority: typeof body.prio === 'number' ? body.prio : 0,
								policy: body.policy === 'drop' ? 'drop' : 'accept',
								// A route chain (output only) filters like one, and may drop.
								type: body.type === 'filter' || body.type === 'route' ? 'filter' : body.type === 'nat' ? 'nat' : 'other',
							},
						}
					: {}),
			};
			chains.set(`${family} ${table} ${body.name}`, {chain, rules});
		}
	}

	// Rules come after their chains and sets in nft's listing, but decode them last all the same.
	for (const item of items) {
		const entry = only(item);
		if (entry?.[0] !== 'rule' || !isObject(entry[1])) {
			continue;
		}

		const body = entry[1];
		const family = typeof body.family === 'string' ? body.family : '';
		const table = typeof body.table === 'string' ? body.table : '';
		const target = chains.get(`${family} ${table} ${typeof body.chain === 'string' ? body.chain : ''}`);
		if (target) {
			target.rules.push(...decodeRule(body, {family, table, sets}));
		}
	}

	const all = [...chains.values()].map(({chain}) => chain);
	return {ok: true, ruleset: {backend: 'nftables', chains: all}, tables, chainNames: all.map(chain => chain.name)};
};
