import type {CheckReport} from '../check/types.js';

/** The `--json` document: schema 1, the documented keys first, details after. */
export const toJson = (report: CheckReport): string => {
	const {schema, demo, simulation, status, code, message, server, publicAddress, durationMs, ports, ...rest} = report;
	return JSON.stringify(
		{
			schema,
			// A demo's made-up network says so before anything else.
			...(demo === undefined ? {} : {demo}),
			...(simulation === undefined ? {} : {simulation}),
			status,
			code,
			message,
			server,
			publicAddress,
			durationMs,
			ports: ports.map(({port, protocol, status, reachability, inbound, mapped, code, message, process, ...details}) => ({
				port,
				protocol,
				status,
				reachability,
				inbound,
				mapped,
				code,
				message,
				process,
				...details,
			})),
			...rest,
		},
		null,
		2,
	);
};
