import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mappingFindings, pathRemediation} from '../../source/router/remediation.js';
import {hairpinLine, pathLine, routerLine} from '../../source/router/text.js';
import type {PathReport, RouterMapping, RouterView} from '../../source/router/types.js';

const pbx = '192.168.77.10';
const path = (verdict: PathReport['verdict'], outerNat?: string): PathReport => ({
	verdict,
	hops: [],
	evidence: [],
	...(outerNat ? {outerNat} : {}),
});
const udp = (externalPort: number, internalHost: string, internalPort = externalPort): RouterMapping => ({
	protocol: 'UDP',
	externalPort,
	internalHost,
	internalPort,
	description: '',
});
const view = (mappings: RouterMapping[] | undefined): RouterView => ({
	gateway: '192.168.77.1',
	wanAddress: '11.22.33.44',
	wanSource: 'upnp',
	answered: ['upnp'],
	mappings,
	notes: [],
});

test('remediation leads with the right box: the ISP for CGNAT, both boxes or bridge mode for double NAT', () => {
	const [cgnat] = pathRemediation(path('cgnat'), {ports: '9000-9003'});
	assert.match(cgnat!, /provider .* carrier-grade NAT .* no forward on your side/);
	assert.match(cgnat!, /public IPv4 address/);
	const [double] = pathRemediation(path('double-nat', '192.168.1.1'), {
		ports: '9000-9003',
		pbxAddress: pbx,
		routerWan: '192.168.1.2',
	});
	assert.match(double!, /modem\/router \(192\.168\.1\.1\)/);
	assert.match(double!, /bridge mode/);
	assert.match(
		double!,
		/UDP 9000-9003 on both boxes: on the modem to your router's WAN address 192\.168\.1\.2, and on your router to 192\.168\.77\.10/,
	);
	assert.match(pathRemediation(path('no-nat'), {ports: '9000'})[0]!, /this host's firewall/);
	assert.deepEqual(pathRemediation(path('edge'), {}), []);
	assert.deepEqual(pathRemediation(path('unknown'), {}), []);
	assert.deepEqual(pathRemediation(undefined, {}), []);
});

test('mapping findings: forwards to another LAN host as ranges, moved ports, and ports the list lacks', () => {
	const mappings = [
		...[9000, 9001, 9002].map(port => udp(port, '192.168.77.50')),
		udp(9004, '192.168.77.50'),
		udp(9005, pbx, 9105),
		udp(9006, pbx),
	];
	const lines = mappingFindings(view(mappings), [9000, 9001, 9002, 9003, 9004, 9005, 9007], pbx);
	assert.deepEqual(lines, [
		'The router forwards UDP 9000-9002 to 192.168.77.50, not to this host (192.168.77.10): point those forwards at 192.168.77.10.',
		'The router forwards UDP 9004 to 192.168.77.50, not to this host (192.168.77.10): point that forward at 192.168.77.10.',
		'The router forwards UDP 9005 to port 9105: the port number must stay the same.',
		"The router's UPnP list (6 mappings) has no entry for UDP 9003, 9007; forwards set by hand in the router's web page may not appear there.",
	]);
});

test('mapping findings: nothing without a list, without failing ports, or from an empty list', () => {
	assert.deepEqual(mappingFindings(view(undefined), [9000], pbx), []);
	assert.deepEqual(mappingFindings(view([udp(9000, '192.168.77.50')]), [], pbx), []);
	assert.deepEqual(mappingFindings(view([]), [9000], pbx), [], 'an empty list says nothing about hand-made forwards');
	assert.deepEqual(mappingFindings(undefined, [9000], pbx), []);
	// A TCP mapping does not forward UDP.
	const tcp = {...udp(9000, '192.168.77.50'), protocol: 'TCP'};
	assert.match(mappingFindings(view([tcp]), [9000], pbx)[0]!, /no entry for UDP 9000/);
});

test('text: path, router and hairpin lines', () => {
	assert.equal(
		pathLine(path('double-nat', '192.168.1.1')),
		'Path: double NAT (192.168.1.1): a second NAT sits in front of your router: forward on both boxes, or bridge the modem.',
	);
	assert.equal(
		routerLine({...view([udp(9000, pbx)]), answered: ['nat-pmp', 'pcp', 'upnp']}),
		'Router 192.168.77.1: NAT-PMP, PCP and UPnP answer; WAN 11.22.33.44; 1 mapping.',
	);
	assert.equal(
		routerLine({...view(undefined), answered: []}),
		'Router 192.168.77.1: no NAT-PMP, PCP or UPnP answer (many routers have them off; that is fine).',
	);
	assert.match(hairpinLine('fail'), /^Hairpin: does not work/);
	assert.equal(hairpinLine('skipped', 'no port passed'), 'Hairpin: not tested (no port passed).');
});
