// Every verdict's words in every language, laid out as the drill-down lays them out at 80
// columns (ui/text/detail-lines.ts: "  1. " then an indent of five), must fit the line and keep
// every word whole: a Japanese sentence twice as wide, or a command too long for the line, shows
// here before it shows on a screen.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {type Language, setLanguage} from '../../source/catalog/index.js';
import {type RemediationContext, allVerdicts, verdict, verdictMessage} from '../../source/check/verdicts.js';
import type {HostFirewallFindings} from '../../source/host-firewall/remediation.js';
import {hostFirewallLines} from '../../source/host-firewall/text.js';
import {hairpinLine, pathLine, routerLine} from '../../source/router/text.js';
import type {PathReport, RouterView} from '../../source/router/types.js';
import {paragraph} from '../../source/ui/text/wrap.js';

const columns = 80;
const languages: Language[] = ['en', 'it', 'ja'];

const hostFirewall: HostFirewallFindings = {
	checked: true,
	tool: 'nftables',
	ranges: [
		{
			protocol: 'udp',
			ports: '9000-9099',
			decision: 'blocked',
			rule: 'inet filter input: udp dport 9000-9099 counter drop (handle 7)',
			sources: ['203.0.113.0/24'],
		},
		{
			protocol: 'udp',
			ports: '9100-9199',
			decision: 'unknown',
			rule: 'inet filter input: limit rate 10/second accept',
			sources: [],
			construct: 'limit rate 10/second',
		},
		{protocol: 'tcp', ports: '5061', decision: 'blocked', rule: null, sources: []},
		{protocol: 'udp', ports: '9200-9499', decision: 'allowed', rule: null, sources: []},
	],
	fixes: [
		{protocol: 'udp', ports: '9000-9099', commands: ['nft insert rule inet filter input position 7 udp dport 9000-9099 accept']},
		{protocol: 'tcp', ports: '5061', commands: ['nft add rule inet filter input tcp dport 5061 accept']},
	],
};

const router: RouterView = {
	gateway: '192.168.1.1',
	wanAddress: '100.64.12.34',
	wanSource: 'upnp',
	answered: ['nat-pmp', 'pcp', 'upnp'],
	notes: [],
	mappings: [
		{protocol: 'UDP', externalPort: 9000, internalHost: '192.168.1.20', internalPort: 9000, description: 'old PBX'},
		{protocol: 'UDP', externalPort: 9001, internalHost: '192.168.1.20', internalPort: 9001, description: 'old PBX'},
		{protocol: 'UDP', externalPort: 9002, internalHost: '192.168.1.10', internalPort: 19_002, description: ''},
	],
};

const path = (verdict: PathReport['verdict']): PathReport => ({verdict, hops: [], evidence: [], outerNat: '192.168.0.1'});

/** Everything a checklist can name, and each path verdict that changes which box it leads with. */
const contexts: RemediationContext[] = [
	{
		ports: '9000-9499',
		portNumbers: [9000, 9001, 9002, 9050, 9150, 9300, 9400, 5061],
		pbxAddress: '192.168.1.10',
		publicIp: '203.0.113.7',
		server: 'stun.example.net',
		process: {pid: 812, name: 'asterisk'},
		hostFirewall,
		router,
		path: path('double-nat'),
	},
	{ports: '5060', portNumbers: [5060], pbxAddress: '192.168.1.10', path: path('cgnat')},
	{ports: '10000-10999', portNumbers: [10_000], path: path('no-nat')},
	{},
];

/**
 * A paragraph wrapped as the drill-down does; asserts it fits and that no word was cut: the
 * words (English, Italian) or the word segments (Japanese) read the same across the breaks.
 */
const assertFits = (text: string, first: string, indent: string, language: Language): void => {
	const lines = paragraph(text, columns, {}, first, indent).map(line => line.map(segment => segment.text));
	const where = `${language}: ${text}`;
	for (const line of lines) {
		assert.ok(stringWidth(line.join('')) <= columns, `wider than ${columns}: "${line.join('')}" (${where})`);
	}

	const parts = lines.map(line => line[1] ?? '');
	if (language === 'ja') {
		const bare = (value: string) => value.replaceAll(' ', '');
		assert.equal(bare(parts.join('')), bare(text), where);
		// Breaks fall only between the segmenter's words.
		const boundaries = new Set([0]);
		let at = 0;
		for (const {segment} of new Intl.Segmenter('ja-JP', {granularity: 'word'}).segment(text)) {
			at += bare(segment).length;
			boundaries.add(at);
		}

		let end = 0;
		for (const part of parts) {
			end += bare(part).length;
			assert.ok(boundaries.has(end), `cut inside a word after "${part}" (${where})`);
		}
	} else {
		const words = (value: string) => value.split(/\s+/).filter(word => word !== '');
		assert.deepEqual(words(parts.join(' ')), words(text), where);
	}
};

test('every verdict, its sentence and its whole checklist, fits 80 columns whole in en, it and ja', () => {
	try {
		const english = new Map<string, number>();
		for (const language of languages) {
			setLanguage(language);
			for (const entry of allVerdicts()) {
				assert.ok(entry.sentence.length > 0);
				if (language !== 'en') {
					assert.notEqual(entry.sentence, verdictMessage(entry.code), `${language}: ${entry.code} is translated`);
				}

				assertFits(entry.sentence, '  ', '  ', language);
				for (const [index, context] of contexts.entries()) {
					const steps = entry.remediation(context);
					assert.ok(steps.length > 0, `${entry.code} gives a checklist`);
					// Which lines apply is decided once, whatever the language.
					const key = `${entry.code}#${index}`;
					if (language === 'en') english.set(key, steps.length);
					else assert.equal(steps.length, english.get(key), `${language}: ${key} has as many lines as in English`);
					for (const [number, step] of steps.entries()) {
						assertFits(step, `  ${number + 1}. `, '     ', language);
					}
				}
			}
		}
	} finally {
		setLanguage('en');
	}
});

test('the path, router, hairpin and host firewall lines fit 80 columns whole in en, it and ja', () => {
	try {
		for (const language of languages) {
			setLanguage(language);
			const lines = [
				...(['edge', 'double-nat', 'cgnat', 'no-nat', 'unknown'] as const).map(verdict => pathLine(path(verdict))),
				routerLine(router),
				routerLine({...router, answered: []}),
				routerLine({...router, gateway: undefined}),
				routerLine({...router, answered: ['upnp'], wanAddress: undefined, mappings: undefined}),
				...(['pass', 'fail', 'skipped'] as const).map(result => hairpinLine(result, 'no second address on the server')),
				...hostFirewallLines({...hostFirewall, note: 'nftables read as root.'}).map(line => line.text),
			];
			for (const line of lines) {
				assertFits(line, '  ', '    ', language);
			}
		}
	} finally {
		setLanguage('en');
	}
});

test('verdict(code) follows the chosen language; verdictMessage stays English', () => {
	try {
		setLanguage('en');
		const sentence = verdict('tcp-refused').sentence;
		const steps = verdict('mapping-only').remediation({ports: '9000', pbxAddress: '192.168.1.10'});
		for (const language of ['it', 'ja'] as const) {
			setLanguage(language);
			assert.notEqual(verdict('tcp-refused').sentence, sentence, language);
			assert.equal(verdictMessage('tcp-refused'), sentence, language);
			const translated = verdict('mapping-only').remediation({ports: '9000', pbxAddress: '192.168.1.10'});
			assert.ok(
				translated.every((step, index) => step !== steps[index]),
				language,
			);
			// The values a checklist names reach every language.
			assert.ok(
				translated.some(step => step.includes('9000') && step.includes('192.168.1.10')),
				language,
			);
		}
	} finally {
		setLanguage('en');
	}
});
