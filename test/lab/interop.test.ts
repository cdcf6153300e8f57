// Our server (`fwcheck serve`) against reference clients from Debian, through the lab's NAT:
// each client must see the same NAT behaviour through ours as through the reference server of
// its own era (stund for RFC 3489's `stun`, coturn for RFC 5780's turnutils_natdiscovery).
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';
import {ADDR, setUpLab} from '../../lab/lab.js';
import type {Lab, RouterScenario} from '../../lab/lab.js';

const lab = setUpLab();

before(async () => {
	const l = await lab.ready;
	if (!l) return;
	await l.startCoturn();
	await l.startStund();
	await l.startOwn();
});

const scenarios: Array<{name: string; router: RouterScenario}> = [
	{name: '1:1 forward', router: {kind: 'forward-all', ports: [9000, 9100]}},
	{name: 'masquerade', router: {kind: 'masquerade'}},
	{name: 'masquerade --random-fully', router: {kind: 'masquerade-random'}},
];

/** turnutils_natdiscovery's conclusions (the lines that name a behaviour), in order. */
const natdiscovery = async (l: Lab, server: string, mode: '-m' | '-f'): Promise<string[]> => {
	// From a port inside the forwarded range, so the 1:1 forward shows as open filtering.
	const result = await l.exec('pbx', 'turnutils_natdiscovery', [mode, '-L', ADDR.pbx, '-l', '9050', server], {
		timeoutMs: 30_000,
		reject: false,
	});
	const output = `${result.stdout}\n${result.stderr}`;
	return output
		.split('\n')
		.map(line => line.trim())
		.filter(
			line => /NAT with|No NAT|Endpoint|Address|Mapping|Filtering/i.test(line) && !/Other addr|origin|address:/i.test(line),
		);
};

describe('Debian stun (RFC 3489) sees the same NAT through fwcheck serve as through stund', () => {
	for (const {name, router} of scenarios) {
		test(name, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter(router);
			const reference = await l.debianStun(ADDR.stund[0], 9040);
			await l.flushConntrack();
			const ours = await l.debianStun(ADDR.own[0], 9040);
			console.log(`${name}: stund → ${reference.primary}; fwcheck serve → ${ours.primary}`);
			assert.notEqual(ours.nat, 'unknown', ours.primary);
			assert.equal(ours.nat, reference.nat);
			assert.equal(ours.preservesPorts, reference.preservesPorts);
		});
	}
});

describe('turnutils_natdiscovery (RFC 5780) sees the same NAT through fwcheck serve as through coturn', () => {
	for (const {name, router} of scenarios) {
		test(name, async t => {
			const l = lab(t);
			if (!l) return;
			await l.setRouter(router);
			for (const mode of ['-m', '-f'] as const) {
				const reference = await natdiscovery(l, ADDR.coturn[0], mode);
				await l.flushConntrack();
				const ours = await natdiscovery(l, ADDR.own[0], mode);
				await l.flushConntrack();
				console.log(`${name} ${mode}: coturn → ${reference.join(' | ')}; fwcheck serve → ${ours.join(' | ')}`);
				assert.ok(
					ours.some(line => /NAT with|No NAT/.test(line)),
					'natdiscovery printed no conclusion',
				);
				assert.deepEqual(
					ours.filter(line => /NAT with|No NAT/.test(line)),
					reference.filter(line => /NAT with|No NAT/.test(line)),
				);
			}
		});
	}
});
