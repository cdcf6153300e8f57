import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {addressKind} from '../../source/router/address-kind.js';
import {findGateway, parseProcNetRoute, parseRouteGet, parseRoutePrint} from '../../source/router/gateway.js';
import {parseTracepath, parseTracert} from '../../source/router/hops.js';
import {findWanService, mappingFromEntry, parseSoapReply, soapEnvelope} from '../../source/router/igd.js';
import {
	decodeExternalAddressReply,
	encodeExternalAddressReply,
	encodeExternalAddressRequest,
	encodeUnsupportedVersion,
	isExternalAddressRequest,
} from '../../source/router/nat-pmp.js';
import {decodePcpRequest, decodePcpResponse, encodeAnnounce, encodeMap, encodePcpResponse} from '../../source/router/pcp.js';
import {buildMSearch, parseSsdpReply} from '../../source/router/ssdp.js';
import {childText, descendants, parseXml} from '../../source/router/xml.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/router/${name}`, import.meta.url), 'utf8');
const location = new URL('http://192.168.77.1:5000/rootDesc.xml');

test('NAT-PMP: the request is version 0 opcode 0; a recorded miniupnpd reply gives 11.22.33.44', () => {
	assert.deepEqual([...encodeExternalAddressRequest()], [0, 0]);
	const reply = decodeExternalAddressReply(Buffer.from('00800000000006bf0b16212c', 'hex'));
	assert.deepEqual(reply, {resultCode: 0, epoch: 0x6bf, address: '11.22.33.44'});
});

test('NAT-PMP: a refusal carries no address; truncated, foreign and oversized packets are not replies', () => {
	// miniupnpd behind a second NAT: result 3 (network failure), address field zero.
	assert.deepEqual(decodeExternalAddressReply(Buffer.from('0080000300000010', 'hex')), {
		resultCode: 3,
		epoch: 16,
		address: undefined,
	});
	assert.equal(decodeExternalAddressReply(Buffer.from('008000', 'hex')), undefined);
	assert.equal(decodeExternalAddressReply(Buffer.from('0281000000000000', 'hex')), undefined);
	assert.equal(decodeExternalAddressReply(Buffer.from('0081000000000000', 'hex')), undefined, 'opcode 129 is a mapping reply');
	assert.equal(decodeExternalAddressReply(Buffer.alloc(2000)), undefined);
});

test('PCP ANNOUNCE: 24 bytes, version 2, opcode 0, lifetime 0, client address IPv4-mapped', () => {
	const packet = encodeAnnounce('192.168.77.10');
	assert.equal(packet.length, 24);
	assert.equal(packet.toString('hex'), '0200000000000000' + '00000000000000000000ffff' + 'c0a84d0a');
	const reply = decodePcpResponse(Buffer.from('0280000000000000000006bf000000000000000000000000', 'hex'));
	assert.deepEqual(reply, {version: 2, opcode: 0, resultCode: 0, lifetime: 0, epoch: 0x6bf});
});

test('PCP MAP: request layout, and a NO_RESOURCES reply still carries the router WAN address', () => {
	const nonce = Buffer.from('0102030405060708090a0b0c', 'hex');
	const request = encodeMap({
		nonce,
		protocol: 17,
		internalPort: 9000,
		suggestedExternalPort: 9000,
		lifetime: 30,
		clientAddress: '192.168.77.10',
	});
	assert.equal(request.length, 60);
	assert.equal(request.readUInt8(1), 1);
	assert.equal(request.readUInt32BE(4), 30);
	assert.ok(request.subarray(24, 36).equals(nonce));
	assert.equal(request.readUInt8(36), 17);
	assert.equal(request.readUInt16BE(40), 9000);
	assert.equal(request.subarray(44, 60).toString('hex'), '00000000000000000000ffff00000000', 'unspecified IPv4 suggestion');

	const reply = Buffer.alloc(60);
	reply.writeUInt8(2, 0);
	reply.writeUInt8(0x81, 1);
	reply.writeUInt8(8, 3); // NO_RESOURCES
	nonce.copy(reply, 24);
	reply.writeUInt8(17, 36);
	reply.writeUInt16BE(9000, 40);
	Buffer.from('00000000000000000000ffff64400002', 'hex').copy(reply, 44);
	const decoded = decodePcpResponse(reply);
	assert.equal(decoded?.resultCode, 8);
	assert.equal(decoded?.map?.externalAddress, '100.64.0.2');
	assert.ok(decoded?.map?.nonce.equals(nonce));
});

test('PCP decoder: requests, short, unaligned and other versions are not responses', () => {
	assert.equal(decodePcpResponse(encodeAnnounce('192.168.77.10')), undefined, 'R bit clear');
	assert.equal(decodePcpResponse(Buffer.alloc(20)), undefined);
	assert.equal(decodePcpResponse(Buffer.alloc(26)), undefined);
	assert.equal(decodePcpResponse(Buffer.from('0180' + '00'.repeat(22), 'hex')), undefined);
});

test("the router's side, for the simulated gateway: miniupnpd's recorded replies byte for byte; requests read back", () => {
	assert.equal(
		encodeExternalAddressReply({resultCode: 0, epoch: 0x6bf, address: '11.22.33.44'}).toString('hex'),
		'00800000000006bf0b16212c',
	);
	assert.equal(encodeUnsupportedVersion(1).toString('hex'), '0080000100000001');
	assert.equal(isExternalAddressRequest(encodeExternalAddressRequest()), true);
	assert.equal(isExternalAddressRequest(encodeAnnounce('192.168.77.10')), false);
	assert.equal(
		encodePcpResponse({opcode: 0, resultCode: 0, lifetime: 0, epoch: 0x6bf}).toString('hex'),
		'0280000000000000000006bf000000000000000000000000',
	);

	assert.deepEqual(decodePcpRequest(encodeAnnounce('192.168.77.10')), {opcode: 0, lifetime: 0, clientAddress: '192.168.77.10'});
	const nonce = Buffer.from('0102030405060708090a0b0c', 'hex');
	const map = encodeMap({
		nonce,
		protocol: 17,
		internalPort: 61_613,
		suggestedExternalPort: 61_614,
		lifetime: 30,
		clientAddress: '192.168.77.10',
	});
	assert.deepEqual(decodePcpRequest(map), {
		opcode: 1,
		lifetime: 30,
		clientAddress: '192.168.77.10',
		map: {nonce, protocol: 17, internalPort: 61_613, suggestedExternalPort: 61_614},
	});
	const granted = {nonce, protocol: 17, internalPort: 61_613, externalPort: 40_000, externalAddress: '11.22.33.44'};
	const response = encodePcpResponse({opcode: 1, resultCode: 0, lifetime: 30, epoch: 7, map: granted});
	assert.deepEqual(decodePcpResponse(response), {version: 2, opcode: 1, resultCode: 0, lifetime: 30, epoch: 7, map: granted});
	assert.equal(decodePcpRequest(response), undefined, 'a response is not a request');
	assert.equal(decodePcpRequest(Buffer.alloc(26)), undefined);
});

test('NAT-PMP and PCP decoders never throw on random bytes', () => {
	fc.assert(
		fc.property(fc.uint8Array({maxLength: 1200}), bytes => {
			decodeExternalAddressReply(Buffer.from(bytes));
			decodePcpResponse(Buffer.from(bytes));
			decodePcpRequest(Buffer.from(bytes));
			parseSsdpReply(Buffer.from(bytes));
		}),
	);
});

test('XML: reads the recorded miniupnpd description; refuses DOCTYPE, entities, bad nesting and size', () => {
	const root = parseXml(fixture('miniupnpd-rootDesc.xml'));
	assert.equal(root?.name, 'root');
	assert.equal(descendants(root, 'service').length, 5);
	assert.equal(parseXml('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>'), undefined);
	assert.equal(parseXml('<a><b></a></b>'), undefined);
	assert.equal(parseXml('<a>'), undefined);
	assert.equal(parseXml('<a/><b/>'), undefined, 'two roots');
	assert.equal(parseXml(`<a>${'x'.repeat(100)}</a>`, {maxLength: 50}), undefined);
	assert.equal(parseXml('<a>'.repeat(40) + '</a>'.repeat(40)), undefined, 'too deep');
	const text = parseXml('<a><b>x &amp; y &lt;&#65;&#x42;&unknown;</b><c><![CDATA[<raw>]]></c><!-- c --></a>');
	assert.equal(childText(text!, 'b'), 'x & y <AB&unknown;');
	assert.equal(childText(text!, 'c'), '<raw>');
});

test('XML parser never throws on random text', () => {
	fc.assert(
		fc.property(fc.string({maxLength: 300}), text => {
			parseXml(text);
			parseXml(`<a>${text}</a>`);
		}),
	);
});

test('IGD description: the WANIPConnection control URL, resolved on the describing host only', () => {
	const service = findWanService(fixture('miniupnpd-rootDesc.xml'), location);
	assert.equal(service?.serviceType, 'urn:schemas-upnp-org:service:WANIPConnection:2');
	assert.equal(service?.controlUrl.href, 'http://192.168.77.1:5000/ctl/IPConn');
	const elsewhere = fixture('miniupnpd-rootDesc.xml').replace(
		'<controlURL>/ctl/IPConn</controlURL>',
		'<controlURL>http://203.0.113.9/ctl</controlURL>',
	);
	assert.equal(findWanService(elsewhere, location), undefined, 'a control URL on another host is not followed');
	const ppp =
		'<root><URLBase>http://192.168.77.1:49000/</URLBase><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>upnp/control/WANPPPConn1</controlURL></service></serviceList></device></root>';
	assert.equal(findWanService(ppp, location)?.controlUrl.href, 'http://192.168.77.1:49000/upnp/control/WANPPPConn1');
});

test('SOAP: recorded GetExternalIPAddress, a mapping entry, and fault 713', () => {
	const external = parseSoapReply('GetExternalIPAddress', 200, fixture('miniupnpd-get-external-ip.xml'));
	assert.deepEqual(external, {kind: 'ok', values: {NewExternalIPAddress: '11.22.33.44'}});
	const entry = parseSoapReply('GetGenericPortMappingEntry', 200, fixture('miniupnpd-mapping-entry-0.xml'));
	assert.equal(entry.kind, 'ok');
	assert.deepEqual(mappingFromEntry(entry.kind === 'ok' ? entry.values : {}), {
		protocol: 'UDP',
		externalPort: 5060,
		internalHost: '192.168.77.10',
		internalPort: 5060,
		description: 'NAT-PMP 5060 udp',
	});
	assert.deepEqual(parseSoapReply('GetGenericPortMappingEntry', 500, fixture('miniupnpd-mapping-fault-713.xml')), {
		kind: 'fault',
		errorCode: 713,
		description: 'SpecifiedArrayIndexInvalid',
	});
	assert.equal(parseSoapReply('GetExternalIPAddress', 200, 'not xml').kind, 'failed');
	assert.equal(mappingFromEntry({NewExternalPort: '70000', NewInternalPort: '1', NewInternalClient: 'x'}), undefined);
});

test('SOAP envelope escapes argument values', () => {
	const envelope = soapEnvelope('urn:x', 'Act', {A: '<&>'});
	assert.match(envelope, /<A>&lt;&amp;&gt;<\/A>/);
	assert.equal(childText(descendants(parseXml(envelope)!, 'Act')[0]!, 'A'), '<&>');
});

test('SSDP: M-SEARCH shape; the recorded miniupnpd reply gives its LOCATION; other statuses are not replies', () => {
	const search = buildMSearch('urn:schemas-upnp-org:device:InternetGatewayDevice:1').toString();
	assert.match(search, /^M-SEARCH \* HTTP\/1\.1\r\nHOST: 239\.255\.255\.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: urn:/);
	assert.ok(search.endsWith('\r\n\r\n'));
	const headers = parseSsdpReply(Buffer.from(fixture('miniupnpd-ssdp-reply.txt'), 'latin1'));
	assert.equal(headers?.get('location'), 'http://192.168.77.1:5000/rootDesc.xml');
	assert.equal(parseSsdpReply(Buffer.from('NOTIFY * HTTP/1.1\r\nLOCATION: http://x/\r\n\r\n')), undefined);
	assert.equal(parseSsdpReply(Buffer.alloc(3000, 'a')), undefined);
});

test('gateway: /proc/net/route picks the up default route with the lowest metric', () => {
	const table = [
		'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
		'wlan0\t00000000\tFE01A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
		'eth0\t00000000\t014DA8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
		'eth0\t004DA8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
		'tun0\t00000000\t01010101\t0001\t0\t0\t1\t00000000\t0\t0\t0',
	].join('\n');
	assert.equal(parseProcNetRoute(table), '192.168.77.1');
	assert.equal(parseProcNetRoute('Iface\tDestination\n'), undefined);
});

test('gateway: Windows route print', () => {
	const text = [
		'IPv4 Route Table',
		'===========================================================================',
		'Active Routes:',
		'Network Destination        Netmask          Gateway       Interface  Metric',
		'          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.20     35',
		'          0.0.0.0          0.0.0.0     192.168.77.1   192.168.77.10     25',
		'        127.0.0.0        255.0.0.0         On-link         127.0.0.1    331',
	].join('\r\n');
	assert.equal(parseRoutePrint(text), '192.168.77.1');
});

test('gateway: macOS route -n get default, and findGateway per platform on recorded outputs', async () => {
	const text = '   route to: default\ndestination: default\n       mask: default\n    gateway: 192.168.77.1\n  interface: en0\n';
	assert.equal(parseRouteGet(text), '192.168.77.1');
	assert.equal(parseRouteGet('    gateway: fe80::1%en0\n'), undefined);
	const commands: string[] = [];
	const host = (platform: NodeJS.Platform, stdout: string) => ({
		platform,
		readRouteTable: async () => Promise.reject(new Error('ENOENT')),
		run: async (file: string, args: string[]) => {
			commands.push([file, ...args].join(' '));
			return {stdout, failed: false, notFound: false};
		},
	});
	assert.equal(await findGateway(host('darwin', text)), '192.168.77.1');
	assert.equal(
		await findGateway(host('win32', '          0.0.0.0          0.0.0.0      10.0.0.1    10.0.0.5     25')),
		'10.0.0.1',
	);
	assert.deepEqual(commands, ['route -n get default', 'route print -4']);
	assert.equal(await findGateway(host('linux', '')), undefined);
	assert.equal(await findGateway(host('aix', '')), undefined);
	assert.equal(commands.length, 2, 'Linux reads its route table, and AIX has no route command we read');
});

test('tracepath and tracert output: hop addresses in order, "*" for silent hops', () => {
	assert.deepEqual(parseTracepath(fixture('tracepath-edge.txt')), ['192.168.77.1', '11.22.33.10']);
	assert.deepEqual(parseTracepath(fixture('tracepath-no-reply.txt')), ['192.168.77.1', '11.22.33.44']);
	// Recorded in the router lab (lab/router-lab.ts) behind a modem and behind a carrier NAT.
	assert.deepEqual(parseTracepath(fixture('tracepath-double-nat.txt')), ['192.168.77.1', '192.168.1.1', '11.22.33.10']);
	assert.deepEqual(parseTracepath(fixture('tracepath-cgnat.txt')), ['192.168.77.1', '100.64.0.1', '11.22.33.10']);
	assert.deepEqual(parseTracepath(' 1:  no reply\n 2:  no reply\n 3:  100.64.0.1  1.0ms\n'), ['*', '*', '100.64.0.1']);
	assert.deepEqual(parseTracert(fixture('tracert-cgnat.txt')), ['192.168.77.1', '*', '100.64.0.1']);
	assert.deepEqual(parseTracepath('garbage\n 999: 1.2.3.4\n'), []);
});

test('address kinds: RFC 1918, the shared CGNAT range, public', () => {
	assert.equal(addressKind('192.168.1.1'), 'private');
	assert.equal(addressKind('172.31.255.1'), 'private');
	assert.equal(addressKind('172.32.0.1'), 'public');
	assert.equal(addressKind('100.64.0.2'), 'shared');
	assert.equal(addressKind('100.127.255.255'), 'shared');
	assert.equal(addressKind('100.128.0.1'), 'public');
	assert.equal(addressKind('11.22.33.44'), 'public');
	assert.equal(addressKind('127.0.0.1'), 'loopback');
	assert.equal(addressKind('::1'), 'other');
});
