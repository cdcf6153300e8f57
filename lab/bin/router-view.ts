// Runs fwcheck's router view, hop trace and path verdict from inside the router lab's PBX namespace
// and prints them as one JSON line (the lab tests read it; the CLI wires the same modules).
// Usage: node --import tsx lab/bin/router-view.ts --target IP [--mapped IP] [--probe-map PORT] [--hairpin PORT]
import {hairpinTest} from '../../source/router/hairpin.js';
import {traceFirstHops} from '../../source/router/hops.js';
import {pathVerdict} from '../../source/router/path.js';
import {realRouterEnvironment} from '../../source/router/router-environment.js';
import {readRouterView} from '../../source/router/router-view.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const target = args.get('target') ?? '';
const probePort = args.get('probe-map');
const [router, trace, localAddress] = await Promise.all([
	readRouterView(probePort ? {probeMap: {internalPort: Number(probePort)}} : {}),
	traceFirstHops({target, maxHops: 4}),
	realRouterEnvironment.localAddressToward(target),
]);
const path = pathVerdict({
	localAddress,
	routerWan: router.wanAddress ? {address: router.wanAddress, source: router.wanSource ?? '?'} : undefined,
	hops: trace.note && trace.hops.length === 0 ? undefined : trace.hops,
	hopsNote: trace.note,
	mappedAddress: args.get('mapped'),
});
const hairpinPort = args.get('hairpin');
const publicAddress = args.get('mapped') ?? router.wanAddress;
const hairpin = hairpinPort && publicAddress ? await hairpinTest({publicAddress, port: Number(hairpinPort)}) : undefined;
console.log(JSON.stringify({router, trace, path, localAddress, hairpin}));
