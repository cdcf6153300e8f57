import {test} from 'node:test';
import assert from 'node:assert/strict';
import {pathVerdict} from '../../source/router/path.js';
import type {PathEvidence} from '../../source/router/path.js';
import type {PathVerdict} from '../../source/router/types.js';

const lan = '192.168.77.10';
const wan = (address: string, source = 'nat-pmp'): PathEvidence['routerWan'] => ({address, source});

const rows: Array<{name: string; evidence: PathEvidence; verdict: PathVerdict; outerNat?: string; says: RegExp}> = [
	{
		name: 'edge: public WAN, public hop 2, STUN agrees',
		evidence: {
			localAddress: lan,
			routerWan: wan('11.22.33.44'),
			hops: ['192.168.77.1', '11.22.33.10'],
			mappedAddress: '11.22.33.44',
		},
		verdict: 'edge',
		says: /WAN address 11\.22\.33\.44 \(from nat-pmp\) is public/,
	},
	{
		name: 'edge without any router protocol: hop 2 public',
		evidence: {localAddress: lan, routerWan: undefined, hops: ['192.168.77.1', '11.22.33.10'], mappedAddress: '11.22.33.44'},
		verdict: 'edge',
		says: /did not report its WAN address/,
	},
	{
		name: 'double NAT from the router WAN (private) and hop 2',
		evidence: {
			localAddress: lan,
			routerWan: wan('192.168.1.2', 'pcp-map'),
			hops: ['192.168.77.1', '192.168.1.1', '11.22.33.10'],
			mappedAddress: '11.22.33.44',
		},
		verdict: 'double-nat',
		outerNat: '192.168.1.1',
		says: /hop 2 192\.168\.1\.1 is a private/,
	},
	{
		name: 'double NAT where the router reports the outer public address (miniupnpd STUN option): the path wins',
		evidence: {
			localAddress: lan,
			routerWan: wan('11.22.33.44', 'upnp'),
			hops: ['192.168.77.1', '192.168.1.1', '11.22.33.10'],
			mappedAddress: '11.22.33.44',
		},
		verdict: 'double-nat',
		outerNat: '192.168.1.1',
		says: /believing the path/,
	},
	{
		name: 'double NAT known only from the router WAN (no trace)',
		evidence: {
			localAddress: lan,
			routerWan: wan('192.168.1.2'),
			hops: undefined,
			hopsNote: 'tracepath is not installed',
			mappedAddress: '11.22.33.44',
		},
		verdict: 'double-nat',
		says: /192\.168\.1\.2 .* is a private/,
	},
	{
		name: 'double NAT with a silent modem and a public hop 3: a private WAN cannot be reached',
		evidence: {
			localAddress: lan,
			routerWan: wan('192.168.1.2'),
			hops: ['192.168.77.1', '*', '11.22.33.10'],
			mappedAddress: '11.22.33.44',
		},
		verdict: 'double-nat',
		says: /cannot be reached from the internet/,
	},
	{
		name: 'CGNAT from hop 2 in 100.64.0.0/10',
		evidence: {
			localAddress: lan,
			routerWan: undefined,
			hops: ['192.168.77.1', '100.64.0.1', '11.22.33.10'],
			mappedAddress: '11.22.33.44',
		},
		verdict: 'cgnat',
		says: /100\.64\.0\.1 is in 100\.64\.0\.0\/10/,
	},
	{
		name: 'CGNAT from the router WAN',
		evidence: {localAddress: lan, routerWan: wan('100.64.0.2', 'pcp-map'), hops: undefined, mappedAddress: '11.22.33.44'},
		verdict: 'cgnat',
		says: /100\.64\.0\.2/,
	},
	{
		name: 'CGNAT where the router reports the outer address and hop 2 is shared space',
		evidence: {
			localAddress: lan,
			routerWan: wan('11.22.33.44', 'upnp'),
			hops: ['192.168.77.1', '100.64.0.1'],
			mappedAddress: '11.22.33.44',
		},
		verdict: 'cgnat',
		says: /believing the path/,
	},
	{
		name: 'CGNAT on the host itself (a 4G modem in bridge mode)',
		evidence: {localAddress: '100.70.1.2', routerWan: undefined, hops: undefined, mappedAddress: '11.22.33.44'},
		verdict: 'cgnat',
		says: /own address 100\.70\.1\.2/,
	},
	{
		name: 'no NAT: the host holds the address the STUN server sees',
		evidence: {localAddress: '11.22.33.44', routerWan: undefined, hops: ['11.22.33.1'], mappedAddress: '11.22.33.44'},
		verdict: 'no-nat',
		says: /holds the public address 11\.22\.33\.44/,
	},
	{
		name: 'unknown: no router protocol, no trace tool',
		evidence: {
			localAddress: lan,
			routerWan: undefined,
			hops: undefined,
			hopsNote: 'tracepath is not installed',
			mappedAddress: '11.22.33.44',
		},
		verdict: 'unknown',
		says: /tracepath is not installed/,
	},
	{
		name: 'unknown: the router says one public address, the STUN server sees another',
		evidence: {localAddress: lan, routerWan: wan('11.22.33.44'), hops: ['192.168.77.1', '*', '*'], mappedAddress: '11.22.33.99'},
		verdict: 'unknown',
		says: /STUN server sees 11\.22\.33\.99/,
	},
	{
		name: 'unknown: hops past the router are all silent',
		evidence: {localAddress: lan, routerWan: undefined, hops: ['192.168.77.1', '*', '*'], mappedAddress: undefined},
		verdict: 'unknown',
		says: /no hop past the router answered/,
	},
];

for (const row of rows) {
	test(`path: ${row.name}`, () => {
		const report = pathVerdict(row.evidence);
		assert.equal(report.verdict, row.verdict, report.evidence.join(' | '));
		assert.equal(report.outerNat, row.outerNat);
		assert.ok(
			report.evidence.some(line => row.says.test(line)),
			report.evidence.join(' | '),
		);
		assert.deepEqual(report.hops, row.evidence.hops ?? []);
	});
}
