import type {
	CheckReport,
	OwnerLookup,
	PortResult,
	ReportOrigin,
	SipAlgCheck,
	SipServiceCheck,
	TcpPortResult,
	TestDetail,
	TestOutcome,
} from '../check/types.js';
import type {PathReport, RouterView} from '../router/types.js';
import type {HostFirewallReport} from '../system/host-firewall.js';
import type {PortOwner} from '../system/port-owner.js';

/** `router` as documented: gateway, wanAddress, answered, mappings; then the details. */
const routerJson = ({gateway, wanAddress, answered, mappings, ...details}: RouterView) => ({
	gateway: gateway ?? null,
	wanAddress: wanAddress ?? null,
	answered,
	mappings: mappings ?? [],
	...details,
});

/** `path` as documented: verdict, hops, evidence; then the details. */
const pathJson = ({verdict, hops, evidence, ...details}: PathReport) => ({verdict, hops, evidence, ...details});

/** `sip.udp` / `sip.tcp` as documented: status, alg, rewritten; then the details. */
const sipAlgJson = ({status, alg, rewritten, ...details}: SipAlgCheck) => ({status, alg, rewritten, ...details});

/** `sipService`: the port and who holds it, then the OPTIONS answer per transport. */
const sipServiceJson = ({port, held, process, udp, tcp}: SipServiceCheck) => ({port, held, process, udp, tcp});

/** `tcp[]` as documented: port, status, code, message, process; then the details. */
const tcpJson = ({port, status, code, message, process, ...details}: TcpPortResult) => ({
	port,
	status,
	code,
	message,
	process,
	...details,
});

/** A port as `--json` writes it: the model's names mapped to the documented keys. */
export interface PortJson extends Omit<PortResult, 'owner' | 'ownerLookup'> {
	/** Test 1 reached the server: any answer came back, an error response included (whose `test1.outcome` is fail). */
	reachability: TestOutcome;
	/** Test 2's outcome, as `test2.outcome`. */
	inbound: TestOutcome;
	/** Test 3's outcome, as `test3.outcome`. */
	unsolicited: TestOutcome;
	/** Who holds the port. */
	process: PortOwner | null;
	/** For a busy port: how its owner was looked for. */
	owner?: OwnerLookup;
}

/** The `--json` document, as a reader parses it back. */
export type ReportJson = Omit<CheckReport, 'ports' | 'hostFirewall' | 'origin'> &
	Partial<ReportOrigin> & {ports: PortJson[]; hostFirewall?: HostFirewallJson};

/** `hostFirewall` in the document: what was read, and per range its decision and rule (no commands run). */
export type HostFirewallJson = ReturnType<typeof hostFirewallJson>;

/**
 * Test 1 as `reachability` has always read: pass once any answer came back, an error response
 * included (that is when `from` is set), else the test's own outcome: fail, or skipped.
 */
const reachability = (test1: TestDetail): TestOutcome => (test1.from === null ? test1.outcome : 'pass');

/**
 * A port as documented: port, protocol, status, the three outcomes, mapped, code, message, process;
 * then the details in the result's own order (notes, test1, test2, test3), then how a busy port's
 * owner was looked for.
 */
const portJson = ({port, protocol, status, mapped, code, message, owner, ownerLookup, ...details}: PortResult): PortJson => ({
	port,
	protocol,
	status,
	reachability: reachability(details.test1),
	inbound: details.test2.outcome,
	unsolicited: details.test3.outcome,
	mapped,
	code,
	message,
	process: owner,
	...details,
	...(ownerLookup === undefined ? {} : {owner: ownerLookup}),
});

/**
 * `hostFirewall` as documented: checked, tool, note, and per range protocol, ports, (direction
 * "out" for the ports whose Test 1 failed), decision, rule, sources; then what could not be evaluated and the commands that allow a blocked range.
 */
const hostFirewallJson = ({checked, tool, note, ranges, fixes}: HostFirewallReport) => ({
	checked,
	tool,
	note,
	ranges: ranges.map(({protocol, ports, direction, decision, rule, sources, construct}) => {
		const fix = fixes.find(item => item.protocol === protocol && item.ports === ports && item.direction === direction);
		return {
			protocol,
			ports,
			// Only on a range decided for packets leaving from it: inbound ranges read as they always have.
			...(direction === undefined ? {} : {direction}),
			decision,
			rule,
			sources,
			...(construct === undefined ? {} : {construct}),
			...(fix === undefined ? {} : {allowCommands: fix.commands}),
		};
	}),
});

/** The document with `ports` in its place: schema 1, the documented keys first, details after. */
const documentJson = (report: CheckReport, ports: unknown[]) => {
	const {
		schema,
		origin,
		demo,
		simulation,
		status,
		code,
		message,
		notes,
		server,
		publicAddress,
		durationMs,
		ports: _ports,
		path,
		router,
		hairpin,
		hostFirewall,
		services,
		sip,
		sipService,
		tcp,
		...rest
	} = report;
	return {
		schema,
		// A demo's made-up network says so before anything else.
		...(demo === undefined ? {} : {demo}),
		...(simulation === undefined ? {} : {simulation}),
		// Whose report and when: what lets reports from many hosts be merged (`fwcheck merge`).
		...(origin === undefined ? {} : {fwcheckVersion: origin.fwcheckVersion, host: origin.host, checkedAt: origin.checkedAt}),
		status,
		code,
		message,
		notes,
		server,
		publicAddress,
		durationMs,
		// The router view: only when it was asked (not against loopback, not with --no-router).
		...(path === undefined ? {} : {path: pathJson(path)}),
		...(router === undefined ? {} : {router: routerJson(router)}),
		...(hairpin === undefined ? {} : {hairpin}),
		// This host's firewall: only when it was read (not against loopback, not with --no-host-firewall).
		...(hostFirewall === undefined ? {} : {hostFirewall: hostFirewallJson(hostFirewall)}),
		// The checks only `fwcheck serve` offers: absent when the engine did not run them.
		...(services === undefined ? {} : {services}),
		...(sip === undefined ? {} : {sip: {udp: sipAlgJson(sip.udp), tcp: sipAlgJson(sip.tcp)}}),
		...(sipService === undefined ? {} : {sipService: sipServiceJson(sipService)}),
		...(tcp === undefined ? {} : {tcp: tcp.map(result => tcpJson(result))}),
		ports,
		...rest,
	};
};

/** The `--json` document: schema 1, the documented keys first, details after. */
export const toJson = (report: CheckReport): string =>
	JSON.stringify(
		documentJson(
			report,
			report.ports.map(result => portJson(result)),
		),
		null,
		2,
	);

/** Around a value printed inside two arrays: `[[value]]` with the indentation of two. */
const nested = '[\n  [\n    ';
const nestedEnd = '\n  ]\n]';

/** Where the ports array stands in the document printed with no ports: a top-level key starts a line indented by two. */
const emptyPorts = '\n  "ports": []';

/**
 * toJson's text in pieces of about `chunkChars`, made one port at a time: a check of 32000 ports
 * never holds its 37 MB document as one string (nor the Buffer copy of it on the way out).
 */
export function* jsonChunks(report: CheckReport, chunkChars = 65_536): Generator<string> {
	if (report.ports.length === 0) {
		yield toJson(report);
		return;
	}

	const outline = JSON.stringify(documentJson(report, []), null, 2);
	// JSON escapes line breaks inside strings, so only the key itself can start a line this way.
	const at = outline.indexOf(emptyPorts);
	let chunk = `${outline.slice(0, at)}\n  "ports": [`;
	let separator = '\n    ';
	for (const result of report.ports) {
		// Printed two arrays deep, it is indented as in the document: cut out of the brackets, not
		// re-indented line by line (a copy of every port's text less).
		chunk += separator + JSON.stringify([[portJson(result)]], null, 2).slice(nested.length, -nestedEnd.length);
		separator = ',\n    ';
		if (chunk.length >= chunkChars) {
			yield chunk;
			chunk = '';
		}
	}

	yield `${chunk}\n  ]${outline.slice(at + emptyPorts.length)}`;
}

/** The document as a file or stdout ends: jsonChunks, then a line break. */
export function* jsonFileChunks(report: CheckReport): Generator<string> {
	yield* jsonChunks(report);
	yield '\n';
}
