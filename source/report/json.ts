import type {CheckReport, SipAlgCheck, SipServiceCheck, TcpPortResult} from '../check/types.js';
import type {PathReport, RouterView} from '../router/types.js';

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

/** The `--json` document: schema 1, the documented keys first, details after. */
export const toJson = (report: CheckReport): string => {
	const {
		schema,
		demo,
		simulation,
		status,
		code,
		message,
		notes,
		server,
		publicAddress,
		durationMs,
		ports,
		path,
		router,
		hairpin,
		services,
		sip,
		sipService,
		tcp,
		...rest
	} = report;
	return JSON.stringify(
		{
			schema,
			// A demo's made-up network says so before anything else.
			...(demo === undefined ? {} : {demo}),
			...(simulation === undefined ? {} : {simulation}),
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
			// The checks only `fwcheck serve` offers: absent when the engine did not run them.
			...(services === undefined ? {} : {services}),
			...(sip === undefined ? {} : {sip: {udp: sipAlgJson(sip.udp), tcp: sipAlgJson(sip.tcp)}}),
			...(sipService === undefined ? {} : {sipService: sipServiceJson(sipService)}),
			...(tcp === undefined ? {} : {tcp: tcp.map(result => tcpJson(result))}),
			ports: ports.map(
				({port, protocol, status, reachability, inbound, unsolicited, mapped, code, message, process, ...details}) => ({
					port,
					protocol,
					status,
					reachability,
					inbound,
					unsolicited,
					mapped,
					code,
					message,
					process,
					...details,
				}),
			),
			...rest,
		},
		null,
		2,
	);
};
