// The `--json` document is for tools: its messages are English whatever language a person chose.
// The engine is run in each language on the simulated network, with a failure of every kind, and
// the documents must be the same byte for byte.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {type Language, setLanguage} from '../../source/catalog/index.js';
import {verdict} from '../../source/check/verdicts.js';
import {toJson} from '../../source/report/json.js';
import {tcpOf} from '../../source/sim/virtual-tcp.js';
import {pbxIp, range, simulate} from '../support/simulation.js';

const ports = range(9000, 9007);
const tcpPorts = [7001, 7002, 7003, 7004, 7005];
const toPbx = (from: number, to = from) => ({from, to, host: pbxIp});

/** A port and service verdict of every kind in one report, and the three ways a server fails. */
const documents = async (): Promise<string[]> => {
	const sim = await simulate({
		router: {
			forwards: [toPbx(9000, 9003), toPbx(5060)],
			translated: [[9004, 9004]],
			fullCone: [[9005, 9005]],
			outboundBlocked: [[9006, 9006]],
			tcpForwards: [
				toPbx(7001),
				{from: 7003, to: 7003, host: '192.168.1.20'},
				{from: 7004, to: 7004, host: '192.168.1.99'},
				toPbx(7005),
			],
			sipAlg: true,
		},
		services: {},
		findPortOwners: async held =>
			new Map(
				held.map(port => [
					port,
					{port, owner: {pid: 812, name: 'asterisk'}, runs: [], excerpt: '', userCommand: `ss -uanp 'sport = :${port}'`},
				]),
			),
	});
	const other = sim.addLanHost('other', '192.168.1.20');
	assert.ok((await tcpOf(other).listen({port: 7003, family: 4}, () => undefined)).ok);
	await sim.holdPort(9001);
	await sim.holdTcpPort(7005);
	const {report} = await sim.run({ports, services: {sip: true, sipPort: 5060, tcp: tcpPorts}});

	const single = await simulate({servers: [{name: 'single.test', primary: '198.51.100.50'}]});
	const nameless = await simulate();
	const dropped = await simulate({router: {outboundBlocked: [[1, 65_535]]}});
	const failed = [
		(await single.run({ports})).report,
		(await nameless.run({ports, servers: [{host: 'nowhere.test', port: 3478}]})).report,
		(await dropped.run({ports})).report,
	];
	return [report, ...failed].map(each => masked(toJson(each)));
};

/**
 * The SIP requests carry random values (branch, tag, Call-ID, session id, media port) that differ
 * from run to run in any language: those are masked, every word is compared.
 */
const masked = (document: string): string =>
	document
		.replaceAll(/[\da-f]{8,}/g, '<hex>')
		.replaceAll(/fwcheck \d+ \d+ IN IP4/g, 'fwcheck <session> IN IP4')
		.replaceAll(/audio \d+/g, 'audio <port>');

const codesOf = (document: string): string[] =>
	[...new Set([...document.matchAll(/"code": ?"([a-z-]+)"/g)].map(match => match[1]!))].sort();

test('the JSON document is the same in Italian and Japanese as in English, for failures of every kind', async () => {
	const byLanguage = new Map<Language, string[]>();
	try {
		for (const language of ['en', 'it', 'ja'] as const) {
			setLanguage(language);
			byLanguage.set(language, await documents());
		}

		// The languages did differ where a person reads.
		setLanguage('ja');
		const japanese = verdict('inbound-blocked').sentence;
		setLanguage('en');
		assert.notEqual(japanese, verdict('inbound-blocked').sentence);
	} finally {
		setLanguage('en');
	}

	const english = byLanguage.get('en')!;
	// Every kind the documents are meant to hold is there, so the comparison covers them.
	const codes = codesOf(english.join('\n'));
	for (const code of [
		'ok',
		'port-in-use',
		'port-translated',
		'mapping-only',
		'outbound-blocked',
		'inbound-blocked',
		'some-failed',
		'sip-alg',
		'sip-reached-fwcheck',
		'sip-service-silent',
		'tcp-ok',
		'tcp-refused',
		'tcp-elsewhere',
		'tcp-no-answer',
		'tcp-busy-reached',
		'stun-no-second-address',
		'stun-unresolvable',
		'stun-unreachable',
	]) {
		assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
	}

	for (const language of ['it', 'ja'] as const) {
		const documents = byLanguage.get(language)!;
		for (const [index, document] of english.entries()) {
			assert.equal(documents[index], document, `${language}: document ${index}`);
		}
	}
});
