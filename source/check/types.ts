import type {HairpinResult, PathReport, RouterView} from '../router/types.js';
import type {TransportAddress} from '../stun/address.js';
import type {VerdictCode} from './verdicts.js';

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
	outcome: TestOutcome;
	/** Requests sent, retransmissions included. */
	sends: number;
	/** Round trip of the answered request, when one was answered. */
	rttMs: number | null;
	/** From first send to the decision. */
	elapsedMs: number;
	/** Where the accepted reply came from. */
	from: string | null;
	/** Replies that matched the transaction but came from an address the test does not accept. */
	wrongSource: string[];
	/** How many passes (first sweep plus slow rechecks) this test took. */
	attempts: number;
}

export interface PortOwnerInfo {
	pid: number;
	name: string;
}

export interface PortResult {
	port: number;
	protocol: 'udp';
	status: 'pass' | 'fail' | 'busy' | 'skipped';
	reachability: TestOutcome;
	inbound: TestOutcome;
	/** Test 3: an answer reached the port before it had sent anything (only a static forward lets that in). */
	unsolicited: TestOutcome;
	/** Public address the server saw, "ip:port". */
	mapped: string | null;
	code: VerdictCode | null;
	message: string;
	process: PortOwnerInfo | null;
	/** Things worth knowing that do not change the verdict (e.g. an ALG rewriting addresses). */
	notes: string[];
	test1: TestDetail;
	test2: TestDetail;
	/** Asked from a control socket with RESPONSE-PORT = this port; `from` is where the answer came from. */
	test3: TestDetail;
	/** For a busy port: how its owner was found, for the drill-down. */
	owner?: {userCommand: string; excerpt: string; runs: Array<{command: string[]; output: string; error?: string}>};
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

export interface CheckReport {
	schema: 1;
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
}

export type SweepEvent =
	| {type: 'server-probing'; host: string; port: number}
	| {type: 'server-rejected'; host: string; port: number; code: VerdictCode; detail: string}
	| {type: 'server-ready'; server: ServerInfo; localAddress: string | null}
	| {type: 'sweep-started'; ports: number[]}
	/** Test 3 runs over every port before any of them sends: these events bracket it. */
	| {type: 'test3-started'; ports: number[]}
	| {type: 'test3-rechecking'; ports: number[]; reason: string}
	| {type: 'test3-finished'; passed: number; failed: number; skippedReason: string | null}
	| {type: 'port-started'; port: number}
	| {type: 'port-finished'; result: PortResult}
	| {type: 'paced'; rate: number; reason: string}
	| {type: 'confirming'; ports: number[]; reason: string}
	| {type: 'network'; router: RouterView; path: PathReport}
	| {type: 'done'; report: CheckReport};
