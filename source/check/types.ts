import type {HairpinResult, PathReport, RouterView} from '../router/types.js';
import type {TransportAddress} from '../stun/address.js';
import type {PortOwner} from '../system/port-owner.js';
import type {HostFirewallReport} from '../system/host-firewall.js';
import type {VerdictCode} from './verdict-types.js';

/** A STUN server as the user named it. */
export interface ServerSpec {
	host: string;
	port: number;
}

export interface CheckConfig {
	servers: ServerSpec[];
	ports: number[];
	/** Local address to bind the checked ports on; undefined = all addresses. */
	bindAddress?: string;
	/** The public IP the PBX is meant to have; a different mapped IP fails the port. */
	publicIp?: string;
	/** Cap on packets per second, set by hand. */
	rate?: number;
	/** Cap on ports in flight at once. */
	window?: number;
	/** The checks only `fwcheck serve` offers; undefined = do not ask the server (simulations, tests). */
	services?: ServicesConfig;
}

export interface ServicesConfig {
	/** SIP ALG test and SIP service check (off with --no-sip). */
	sip: boolean;
	/** The PBX's SIP port (--sip-port, default 5060). */
	sipPort: number;
	/** TCP ports to have the server connect back to (--tcp), at most 64. */
	tcp: number[];
}

/** The server the sweep runs against, once it has shown it can do Test 2. */
export interface ServerInfo {
	host: string;
	port: number;
	/** Where Test 1 goes. */
	address: TransportAddress;
	/** The server's second address: Test 2's reply must come from this IP. */
	otherAddress: TransportAddress;
	software?: string;
	rttMs: number;
	/** Whether it honours RESPONSE-PORT, which Test 3 needs; found out at selection, never assumed. */
	responsePort: ResponsePortSupport;
}

export type ResponsePortSupport = {supported: true} | {supported: false; detail: string};

export type TestOutcome = 'pass' | 'fail' | 'skipped';

/** What happened in one test (Test 1, 2 or 3) of one port: the drill-down shows it. */
export interface TestDetail {
	/** Pass only for a success answer from the address the test accepts; skipped when it did not run. */
	outcome: TestOutcome;
	/** Requests sent, retransmissions included. */
	sends: number;
	/** Round trip of the answered request, when one was answered. */
	rttMs: number | null;
	/** From first send to the decision. */
	elapsedMs: number;
	/** Where the accepted reply came from, error answers included. */
	from: string | null;
	/** Replies that matched the transaction but came from an address the test does not accept. */
	wrongSource: readonly string[];
	/** How many passes (first sweep plus slow rechecks) this test took. */
	attempts: number;
}

/** How a busy port's owner was looked for: what the user can type, the lines about the port, every command run. */
export interface OwnerLookup {
	userCommand: string;
	excerpt: string;
	runs: Array<{command: string[]; output: string; error?: string}>;
	/** One line on why no owner could be named, when the lookup could tell. */
	note?: string;
}

export interface PortResult {
	port: number;
	protocol: 'udp';
	status: 'pass' | 'fail' | 'busy' | 'skipped';
	/** Public address the server saw, "ip:port". */
	mapped: string | null;
	code: VerdictCode | null;
	message: string;
	/** Who holds the port, when it is busy and the OS named the process. */
	owner: PortOwner | null;
	/** Things worth knowing that do not change the verdict (e.g. an ALG rewriting addresses). Shared when empty: replace, never push. */
	notes: readonly string[];
	/** Test 1, reachability: a request from the port to the server's first address. */
	test1: TestDetail;
	/** Test 2, 1:1 forwarding: the answer must come from the server's second IP. */
	test2: TestDetail;
	/**
	 * Test 3, unsolicited inbound: asked from a control socket with RESPONSE-PORT = this port, before
	 * the port sent anything (only a static forward lets the answer in); `from` is where it came from.
	 */
	test3: TestDetail;
	/** For a busy port: how its owner was looked for, for the drill-down. */
	ownerLookup?: OwnerLookup;
	/**
	 * Set when the check was cancelled before this port's findings were confirmed (its code is then
	 * `cancelled`): the verdict its tests pointed to so far, or null when they were too few to point
	 * to one, and what was and was not done. Never a verdict.
	 */
	provisional?: Provisional;
}

/** What an unconfirmed port's tests found so far (see PortResult.provisional). */
export interface Provisional {
	code: VerdictCode | null;
	detail: string;
}

/** Why and when the sweep slowed down. */
export interface PacingInfo {
	/** Packets per second at the end, or null when never limited. */
	finalRate: number | null;
	slowdowns: Array<{atMs: number; rate: number; reason: string}>;
	/** Ports rechecked slowly before their failure stood, and how many verdicts changed. */
	confirmed: number;
	flipped: number;
}

export interface CheckStats {
	packetsSent: number;
	/** Datagrams on a checked port that were not a reply we were waiting for. */
	dropped: {garbage: number; unknownTransaction: number; wrongSource: number};
}

export type CheckStatus = 'pass' | 'fail' | 'error' | 'cancelled';

// The services only `fwcheck serve` offers: SIP ALG, SIP service and TCP connect-back.

export type ServiceStatus = 'pass' | 'fail' | 'skipped';

/** One line an ALG (or anything on the path) changed: header "Via", "Contact", ... or SDP "c=", "o=", "m=". */
export interface SipRewrite {
	header: string;
	sent: string;
	received: string;
}

export interface SipExchange {
	method: 'OPTIONS' | 'INVITE';
	/** Requests sent, retransmissions included. */
	sends: number;
	answered: boolean;
	statusLine: string | null;
	/** X-Fwcheck-Source: where the server saw the request come from, "ip:port". */
	sourceSeen: string | null;
	/** The request as sent, and as the server received it (from the echo); text. */
	sent: string;
	received: string | null;
}

export interface SipAlgCheck {
	transport: 'udp' | 'tcp';
	status: ServiceStatus;
	/** Something on the path rewrote the request: a SIP ALG. */
	alg: boolean;
	/** 'sip-alg' | 'sip-invite-dropped' | 'sip-no-answer' | 'services-unavailable' | null (passed). */
	code: VerdictCode | null;
	message: string;
	rewritten: SipRewrite[];
	/** Each request sent, for the drill-down. */
	exchanges: SipExchange[];
}

export interface SipServiceOutcome {
	status: ServiceStatus;
	/** 'sip-service-ok' | 'sip-service-silent' | 'sip-private-contact' | 'sip-reached-fwcheck' | 'sip-elsewhere' | 'services-unavailable'. */
	code: VerdictCode | null;
	message: string;
	/** The first line of the answer, e.g. "SIP/2.0 401 Unauthorized". */
	statusLine: string | null;
	/** A private address in the answer's Via or Contact. */
	privateAddress: string | null;
	/** Whether the server's OPTIONS reached fwcheck's own listener; null when the PBX held the port. */
	reachedThisHost: boolean | null;
}

export interface SipServiceCheck {
	port: number;
	/** Another program (the PBX) holds the SIP port on this host, on UDP or TCP. */
	held: boolean;
	process: PortOwner | null;
	udp: SipServiceOutcome;
	tcp: SipServiceOutcome;
}

export interface TcpPortResult {
	port: number;
	status: 'pass' | 'fail' | 'busy' | 'skipped';
	/** 'tcp-ok' | 'tcp-elsewhere' | 'tcp-refused' | 'tcp-no-answer' | 'tcp-busy-reached' | 'services-unavailable'. */
	code: VerdictCode | null;
	message: string;
	process: PortOwner | null;
	/** What the server's connection attempt from its second IP gave. */
	outcome: 'connected' | 'refused' | 'timeout' | 'unreachable' | null;
	/** Our listener read our nonce; null when another program holds the port. */
	reachedThisHost: boolean | null;
}

export interface ServicesResult {
	services: {offered: boolean; detail: string};
	sip?: {udp: SipAlgCheck; tcp: SipAlgCheck};
	sipService?: SipServiceCheck;
	tcp?: TcpPortResult[];
}

/** Where and when a report was made, so reports gathered from many hosts still say whose they are. */
export interface ReportOrigin {
	/** The version of fwcheck that ran the check. */
	fwcheckVersion: string;
	/** The checking machine's host name. */
	host: string;
	/** When the check started: ISO 8601 with the local offset (2026-12-05T14:28:50+01:00). */
	checkedAt: string;
}

export interface CheckReport {
	schema: 1;
	/** Set by the command line for every check it runs; absent in reports made inside tests. */
	origin?: ReportOrigin;
	status: CheckStatus;
	code: VerdictCode;
	message: string;
	server: {host: string; address: string | null; otherAddress: string | null; responsePort: boolean} | null;
	/** Things about the whole check worth saying in every output (e.g. no Test 3 with this server). */
	notes: string[];
	publicAddress: string | null;
	/** This host's address toward the server: where forwarding rules must point. */
	localAddress: string | null;
	durationMs: number;
	ports: PortResult[];
	/** Servers tried before (or instead of) the one used, and why each was passed over. */
	serversTried: Array<{host: string; port: number; code: VerdictCode; detail: string}>;
	pacing: PacingInfo;
	stats: CheckStats;
	/** Set by `--demo`: the check ran against fwcheck's own server on loopback, not across a network. */
	demo?: string;
	/** Set when the check ran on fwcheck's simulated network (a demo): what it describes is made up. */
	simulation?: string;
	/** What the router says about itself (NAT-PMP, PCP, UPnP); absent when not asked (loopback, --no-router). */
	router?: RouterView;
	/** How many NATs stand between this host and the internet, and which evidence says so. */
	path?: PathReport;
	/** Whether a packet to this host's own public address and port comes back. */
	hairpin?: HairpinResult;
	hairpinDetail?: string;
	/** This host's own firewall for the checked ports; absent when not read (loopback, --no-host-firewall). */
	hostFirewall?: HostFirewallReport;
	/** Whether the server offers fwcheck's own services; detail: its "fwcheck/1 ..." text or why not. */
	services?: {offered: boolean; detail: string};
	/** The SIP ALG test, over UDP and TCP (absent with --no-sip or when services were not asked). */
	sip?: {udp: SipAlgCheck; tcp: SipAlgCheck};
	/** Whether the SIP port's forward reaches a SIP service. */
	sipService?: SipServiceCheck;
	/** The --tcp ports, each connected to from the server's second address. */
	tcp?: TcpPortResult[];
}

export type SweepEvent =
	| {type: 'server-probing'; host: string; port: number}
	| {type: 'server-rejected'; host: string; port: number; code: VerdictCode; detail: string}
	| {type: 'server-ready'; server: ServerInfo; localAddress: string | null}
	| {type: 'sweep-started'; ports: number[]}
	/**
	 * The Test 3 pass, each port's Test 3 before that port sends: a port whose Test 3 passed goes on
	 * to Tests 1-2 at once, failures are rechecked chunk by chunk while the pass goes on; these
	 * events bracket the pass, and `test3-rechecking` announces each round of a chunk's recheck.
	 */
	| {type: 'test3-started'; ports: number[]}
	| {type: 'test3-rechecking'; ports: number[]; reason: string}
	/**
	 * One port's Test 3 as it comes, not a verdict: a failure is rechecked before it stands
	 * (`attempt` counts this port's Test 3s), so a screen can show how the pass is going.
	 */
	| {type: 'test3-port'; port: number; outcome: 'pass' | 'fail' | 'busy'; attempt: number}
	| {type: 'test3-finished'; passed: number; failed: number; skippedReason: string | null}
	| {type: 'port-started'; port: number}
	| {type: 'port-finished'; result: PortResult}
	| {type: 'paced'; rate: number; reason: string}
	| {type: 'confirming'; ports: number[]; reason: string}
	| {type: 'network'; router: RouterView; path: PathReport}
	/** The services checks (SIP ALG, SIP service, TCP ports) run beside the sweep: these bracket them. */
	| {type: 'services-started'; tcp: number[]; sipPort: number}
	| {
			type: 'services-finished';
			services: ServicesResult['services'];
			sip?: ServicesResult['sip'];
			sipService?: SipServiceCheck;
			tcp?: TcpPortResult[];
	  }
	| {type: 'done'; report: CheckReport};
