import type {CheckReport} from '../check/types.js';
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
