// Results of the SIP ALG, SIP port and TCP checks as the engine gives them (the report
// types), for the outputs' tests: an ALG that rewrites over UDP only, a clean path, and a server
// that offers none of it. Documentation and private addresses only.
import type {CheckReport, SipAlgCheck, SipServiceCheck, SweepEvent, TcpPortResult} from '../../source/check/types.js';
import {verdict} from '../../source/check/verdicts.js';
import {localIp, publicIp} from './fixtures.js';

export const asterisk = {pid: 812, name: 'asterisk'};

const via = (ip: string, transport: string) => `Via: SIP/2.0/${transport} ${ip}:5060;branch=z9hG4bK-7f3a;rport`;

export const rewrittenUdp = [
	{header: 'Via', sent: via(localIp, 'UDP'), received: via(publicIp, 'UDP')},
	{header: 'Contact', sent: `Contact: <sip:fwcheck@${localIp}:5060>`, received: `Contact: <sip:fwcheck@${publicIp}:5060>`},
	{header: 'c=', sent: `c=IN IP4 ${localIp}`, received: `c=IN IP4 ${publicIp}`},
];

const exchange = (method: 'OPTIONS' | 'INVITE', answered: boolean, transport: string): SipAlgCheck['exchanges'][number] => ({
	method,
	sends: answered ? 1 : 3,
	answered,
	statusLine: answered ? (method === 'OPTIONS' ? 'SIP/2.0 200 OK' : 'SIP/2.0 488 Not Acceptable Here') : null,
	sourceSeen: answered ? `${publicIp}:5060` : null,
	sent: `${method} sip:echo@198.51.100.10 SIP/2.0\r\n${via(localIp, transport)}\r\n`,
	received: answered ? `${method} sip:echo@198.51.100.10 SIP/2.0\r\n${via(publicIp, transport)}\r\n` : null,
});

export const algCheck = (transport: 'udp' | 'tcp', rewritten: SipAlgCheck['rewritten']): SipAlgCheck => ({
	transport,
	status: rewritten.length > 0 ? 'fail' : 'pass',
	alg: rewritten.length > 0,
	code: rewritten.length > 0 ? 'sip-alg' : null,
	message:
		rewritten.length > 0
			? `A SIP ALG rewrote ${rewritten.length} lines of the request on its way out.`
			: 'The server received the request exactly as sent.',
	rewritten,
	exchanges: [exchange('OPTIONS', true, transport.toUpperCase()), exchange('INVITE', true, transport.toUpperCase())],
});

export const sipServiceHeld: SipServiceCheck = {
	port: 5060,
	held: true,
	process: asterisk,
	udp: {
		status: 'pass',
		code: 'sip-service-ok',
		message: 'The PBX answered an OPTIONS sent from the internet.',
		statusLine: 'SIP/2.0 401 Unauthorized',
		privateAddress: null,
		reachedThisHost: null,
	},
	tcp: {
		status: 'pass',
		code: 'sip-service-ok',
		message: 'The PBX answered an OPTIONS sent from the internet.',
		statusLine: 'SIP/2.0 401 Unauthorized',
		privateAddress: null,
		reachedThisHost: null,
	},
};

const tcpPort = (
	port: number,
	code: NonNullable<TcpPortResult['code']>,
	overrides: Partial<TcpPortResult> = {},
): TcpPortResult => ({
	port,
	status: code === 'tcp-ok' ? 'pass' : code === 'tcp-busy-reached' ? 'busy' : 'fail',
	code,
	message: verdict(code).sentence,
	process: null,
	outcome: code === 'tcp-refused' ? 'refused' : code === 'tcp-no-answer' ? 'timeout' : 'connected',
	reachedThisHost: code === 'tcp-ok' ? true : code === 'tcp-elsewhere' ? false : null,
	...overrides,
});

export const tcpMixed: TcpPortResult[] = [
	tcpPort(5001, 'tcp-ok'),
	tcpPort(5060, 'tcp-busy-reached', {process: asterisk}),
	tcpPort(5061, 'tcp-refused'),
	tcpPort(5090, 'tcp-elsewhere'),
];

export const services = {offered: true, detail: 'fwcheck/1 sip=5060 control=3478 options=1 connect=1 maxports=16'};

/** A router whose SIP ALG rewrites UDP (not TCP), the PBX answering on 5060, two TCP ports failing. */
export const withAlg: Pick<CheckReport, 'services' | 'sip' | 'sipService' | 'tcp'> = {
	services,
	sip: {udp: algCheck('udp', rewrittenUdp), tcp: algCheck('tcp', [])},
	sipService: sipServiceHeld,
	tcp: tcpMixed,
};

/** Nothing rewritten, the SIP port answering, every TCP port reaching this host. */
export const clean: Pick<CheckReport, 'services' | 'sip' | 'sipService' | 'tcp'> = {
	services,
	sip: {udp: algCheck('udp', []), tcp: algCheck('tcp', [])},
	sipService: sipServiceHeld,
	tcp: [tcpPort(5001, 'tcp-ok'), tcpPort(5061, 'tcp-ok')],
};

const skippedSentence = verdict('services-unavailable').sentence;

const skippedAlg = (transport: 'udp' | 'tcp'): SipAlgCheck => ({
	transport,
	status: 'skipped',
	alg: false,
	code: 'services-unavailable',
	message: skippedSentence,
	rewritten: [],
	exchanges: [],
});

/** A server that is not `fwcheck serve` (coturn, stund): every one of these checks skipped. */
export const unavailable: Pick<CheckReport, 'services' | 'sip' | 'sipService' | 'tcp'> = {
	services: {offered: false, detail: 'needs a server run with `fwcheck serve`'},
	sip: {udp: skippedAlg('udp'), tcp: skippedAlg('tcp')},
	sipService: {
		port: 5060,
		held: true,
		process: asterisk,
		udp: {
			status: 'skipped',
			code: 'services-unavailable',
			message: skippedSentence,
			statusLine: null,
			privateAddress: null,
			reachedThisHost: null,
		},
		tcp: {
			status: 'skipped',
			code: 'services-unavailable',
			message: skippedSentence,
			statusLine: null,
			privateAddress: null,
			reachedThisHost: null,
		},
	},
};

/** The two events the engine sends for these checks, carrying `results`. */
export const serviceEvents = (
	results: Pick<CheckReport, 'services' | 'sip' | 'sipService' | 'tcp'>,
	tcp = [5001, 5060, 5061, 5090],
): SweepEvent[] => [
	{type: 'services-started', tcp, sipPort: 5060},
	{
		type: 'services-finished',
		services: results.services ?? services,
		sip: results.sip,
		sipService: results.sipService,
		tcp: results.tcp,
	},
];
