// This host's firewall beside the sweep, on the simulated network: a recorded ruleset (ufw: UDP
// 9000-9499 allowed, 9500-9599 denied) read while the ports are checked, carried in the report,
// and put first in the checklist of the failing ports it blocks, without changing any verdict.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {hostFirewallPorts, withHostFirewall} from '../../source/check/host-firewall-view.js';
import {sweep} from '../../source/check/sweep.js';
import {portHolders} from '../../source/check/port-holders.js';
import type {CheckConfig, CheckReport, PortResult, SweepEvent} from '../../source/check/types.js';
import {readHostFirewall} from '../../source/system/host-firewall.js';
import type {HostFirewallReader, HostFirewallRequest} from '../../source/system/this-host-firewall.js';
import {readThisHostFirewall, startReadingThisHostFirewall} from '../../source/system/this-host-firewall.js';
import type {Runner} from '../../source/system/run-command.js';
import {remediationFor} from '../../source/report/summary.js';
import {toJson} from '../../source/report/json.js';
import {formatSummary} from '../../source/report/plain.js';
import {toMarkdown} from '../../source/report/markdown.js';
import {pbxIp, range, simulate} from '../support/simulation.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/host-firewall/${name}`, import.meta.url), 'utf8');

/** The recorded ufw ruleset, as `nft -j list ruleset` and `iptables-save` printed it. */
const recorded: Runner = async file => {
	const outputs: Record<string, string> = {nft: fixture('ufw-nft.json'), 'iptables-save': fixture('ufw-iptables-save.txt')};
	const stdout = outputs[file];
	if (stdout === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
	return {stdout};
};

const recordingReader = () => {
	const requests: Array<HostFirewallRequest & {resolvedLocal?: string | null}> = [];
	const reader: HostFirewallReader = async request => {
		const entry: (typeof requests)[number] = {...request};
		requests.push(entry);
		entry.resolvedLocal = await request.localAddress;
		return readHostFirewall({...request, run: recorded});
	};

	return {requests, reader};
};

/** The router forwards 9000-9399 only: 9400-9499 fail at the router, 9500-9599 at the router and here. */
const scenario = async (reader?: HostFirewallReader) => {
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9399, host: pbxIp}]}});
	const environment = reader ? {...sim.environment, hostFirewall: reader} : sim.environment;
	const events: SweepEvent[] = [];
	const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(9000, 9599)};
	const report = await withHostFirewall(sweep, {enabled: true})(config, {
		signal: new AbortController().signal,
		environment,
		onEvent: event => events.push(event),
	});
	return {report, events};
};

test('read beside the sweep: the checked ports, the address the sweep learnt, and done carries it', async () => {
	const {requests, reader} = recordingReader();
	const {report, events} = await scenario(reader);
	assert.equal(requests.length, 1);
	assert.deepEqual(requests[0]?.udpPorts, range(9000, 9599));
	assert.deepEqual(requests[0]?.tcpPorts, []);
	assert.equal(requests[0]?.resolvedLocal, pbxIp, "the decision waits for this host's address toward the server");
	assert.equal(events.filter(event => event.type === 'done').length, 1);
	const done = events.at(-1);
	assert.equal(done?.type === 'done' && done.report.hostFirewall?.tool, 'ufw');
	assert.deepEqual(
		report.hostFirewall?.ranges.map(item => [item.protocol, item.ports, item.decision]),
		[
			['udp', '9000-9499', 'allowed'],
			['udp', '9500-9599', 'blocked'],
		],
	);
});

test('a failing range this machine blocks: its checklist starts with this machine, the verdict stays', async () => {
	const {reader} = recordingReader();
	const {report} = await scenario(reader);
	const blocked = report.ports.filter(result => result.port >= 9500);
	assert.ok(
		blocked.every(result => result.code === 'inbound-blocked'),
		'the verdict is what the tests found',
	);
	assert.equal(report.code, 'some-failed');
	const steps = remediationFor(report, 'inbound-blocked', '9400-9599');
	assert.match(steps[0] ?? '', /^This machine's own firewall \(ufw\) blocks inbound UDP 9500-9599: .*ufw-user-input.*DROP/);
	assert.match(steps[0] ?? '', /`ufw allow 9500:9599\/udp`/);
	assert.ok(!steps.some(step => step.startsWith('Check that the host firewall')), 'allowed or blocked: no generic item');
	const overall = remediationFor(report, 'some-failed');
	assert.match(overall[0] ?? '', /^This machine's own firewall/);
});

test('failing ports this machine lets in are not blamed on it, and lose the generic host-firewall item', async () => {
	const {reader} = recordingReader();
	const {report} = await scenario(reader);
	assert.ok(report.ports.filter(result => result.port >= 9400 && result.port < 9500).every(result => result.status === 'fail'));
	const steps = report.ports.some(result => result.port === 9450) ? remediationForPorts(report, range(9400, 9499)) : [];
	assert.ok(steps.length > 0);
	assert.ok(!steps.some(step => step.includes('This machine')));
	assert.ok(!steps.some(step => step.startsWith('Check that the host firewall')));
});

/** The inbound-blocked checklist for exactly these ports. */
const remediationForPorts = (report: Awaited<ReturnType<typeof scenario>>['report'], ports: number[]) =>
	remediationFor(
		{...report, ports: report.ports.filter(result => ports.includes(result.port))},
		'inbound-blocked',
		`${ports[0]}-${ports.at(-1)}`,
	);

test('without a reading the checklist is as before, and the JSON has no hostFirewall key', async () => {
	const {report} = await scenario();
	assert.equal(report.hostFirewall, undefined);
	const steps = remediationFor(report, 'inbound-blocked', '9400-9599');
	assert.ok(steps.some(step => step.startsWith('Check that the host firewall')));
	assert.doesNotMatch(toJson(report), /hostFirewall/);
});

test('every output shows what blocks here: JSON ranges with rule and command, plain and Markdown lines', async () => {
	const {reader} = recordingReader();
	const {report} = await scenario(reader);
	const json = JSON.parse(toJson(report)) as {
		hostFirewall: {checked: boolean; tool: string; ranges: Array<Record<string, unknown>>};
	};
	assert.equal(json.hostFirewall.checked, true);
	assert.equal(json.hostFirewall.tool, 'ufw');
	assert.deepEqual(json.hostFirewall.ranges[0], {
		protocol: 'udp',
		ports: '9000-9499',
		decision: 'allowed',
		rule: null,
		sources: [],
	});
	assert.equal(json.hostFirewall.ranges[1]?.decision, 'blocked');
	assert.deepEqual(json.hostFirewall.ranges[1]?.allowCommands, ['ufw allow 9500:9599/udp']);
	assert.doesNotMatch(toJson(report), /"runs"|"cause"/, 'the commands run and the rule position stay out of the document');
	const plain = formatSummary(report).join('\n');
	assert.match(plain, /Host firewall: This host's firewall \(ufw\) blocks/);
	assert.match(plain, /✘ UDP 9500-9599 blocked: /);
	assert.match(plain, /allow: ufw allow 9500:9599\/udp/);
	const markdown = toMarkdown(report);
	assert.match(markdown, /## This host's firewall/);
	assert.match(markdown, /- allow: `ufw allow 9500:9599\/udp`/);
});

/** A reader that counts its requests and notes how far the sweep had got at the first. */
const countingReader = (events: SweepEvent[], ports: number) => {
	const asked: Array<{portsFinished: number; done: boolean}> = [];
	const reader: HostFirewallReader = async request => {
		asked.push({
			portsFinished: events.filter(event => event.type === 'port-finished').length,
			done: events.some(event => event.type === 'done'),
		});
		return readHostFirewall({...request, run: recorded});
	};

	return {asked, reader, ports};
};

const checkWith = async (
	forwards: Array<{from: number; to: number}>,
	config: Omit<CheckConfig, 'servers'>,
	prepare?: (sim: Awaited<ReturnType<typeof simulate>>) => Promise<void>,
) => {
	const sim = await simulate({router: {forwards: forwards.map(item => ({...item, host: pbxIp}))}, services: {}});
	await prepare?.(sim);
	const events: SweepEvent[] = [];
	const counting = countingReader(events, config.ports.length);
	const report = await withHostFirewall(sweep, {enabled: true})(
		{servers: [{host: 'stun.test', port: 3478}], ...config},
		{
			signal: new AbortController().signal,
			environment: {...sim.environment, hostFirewall: counting.reader},
			onEvent: event => events.push(event),
		},
	);
	return {report, events, asked: counting.asked};
};

test('a check where every port passes never reads the firewall, and its report says why', async () => {
	const {report, events, asked} = await checkWith([{from: 9000, to: 9099}], {ports: range(9000, 9099)});
	assert.equal(report.status, 'pass');
	assert.equal(asked.length, 0, 'the reader was never called');
	assert.equal(report.hostFirewall?.checked, false);
	assert.match(report.hostFirewall?.note ?? '', /^This host's firewall was not read: no checked port or service failed/);
	const done = events.at(-1);
	assert.equal(done?.type === 'done' && done.report.hostFirewall?.note, report.hostFirewall?.note, 'done carries it');
	const json = JSON.parse(toJson(report)) as {hostFirewall: Record<string, unknown>};
	assert.deepEqual(json.hostFirewall, {checked: false, tool: null, note: report.hostFirewall?.note, ranges: []});
	assert.match(formatSummary(report).join('\n'), /Host firewall: This host's firewall was not read: no checked port/);
	assert.match(toMarkdown(report), /This host's firewall was not read: no checked port/);
});

test('busy ports alone are no failure the firewall explains: not read', async () => {
	const {report, asked} = await checkWith([{from: 9000, to: 9009}], {ports: range(9000, 9009)}, async sim => {
		await sim.holdPort(9005);
	});
	assert.equal(report.ports.find(result => result.port === 9005)?.status, 'busy');
	assert.ok(report.ports.every(result => result.status === 'pass' || result.port === 9005));
	assert.equal(asked.length, 0);
	assert.equal(report.hostFirewall?.checked, false);
});

test('a failing check reads the firewall exactly once, from its first failure, not at its end', async () => {
	// 9000-9049 forwarded, 9050-9099 not: the quick Test 3 pass finds the first failure early.
	const {report, asked} = await checkWith([{from: 9000, to: 9049}], {ports: range(9000, 9099)});
	assert.equal(report.status, 'fail');
	assert.equal(asked.length, 1);
	assert.equal(asked[0]?.done, false);
	assert.ok(asked[0].portsFinished < 100, `asked after ${asked[0]?.portsFinished} of 100 ports had finished`);
	assert.equal(report.hostFirewall?.checked, true);
	assert.deepEqual(
		report.hostFirewall?.ranges.map(item => [item.ports, item.decision]),
		[['9000-9099', 'allowed']],
	);
});

test('a failing service check alone reads the firewall, its TCP port among those decided', async () => {
	// Every UDP port forwarded, TCP 8089 not: only the TCP check fails.
	const {report, asked} = await checkWith([{from: 9000, to: 9009}], {
		ports: range(9000, 9009),
		services: {sip: false, sipPort: 5060, tcp: [8089]},
	});
	assert.ok(report.ports.every(result => result.status === 'pass'));
	assert.equal(report.tcp?.[0]?.status, 'fail');
	assert.equal(asked.length, 1);
	assert.equal(report.hostFirewall?.checked, true);
	assert.ok(report.hostFirewall?.ranges.some(item => item.protocol === 'tcp' && item.ports === '8089'));
});

test('the ports read: the swept UDP ports, the --tcp ports and the SIP port over both', () => {
	const ports = hostFirewallPorts({
		servers: [],
		ports: [9000, 9001],
		services: {sip: true, sipPort: 5060, tcp: [5061, 8089]},
	});
	assert.deepEqual(ports, {udpPorts: [9000, 9001, 5060], tcpPorts: [5061, 8089, 5060]});
	assert.deepEqual(hostFirewallPorts({servers: [], ports: [9000], services: {sip: false, sipPort: 5060, tcp: []}}), {
		udpPorts: [9000],
		tcpPorts: [],
	});
});

test('skipped with --no-host-firewall and across loopback; a failing reader never fails the check', async () => {
	let calls = 0;
	const counting: HostFirewallReader = async () => {
		calls++;
		throw new Error('boom');
	};
	// 9010-9019 are not forwarded: they fail, so a check that reads the firewall at all reads it here.
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9009, host: pbxIp}]}});
	const options = {signal: new AbortController().signal, environment: {...sim.environment, hostFirewall: counting}, onEvent() {}};
	const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(9000, 9019)};
	const off = await withHostFirewall(sweep, {enabled: false})(config, options);
	assert.equal(off.hostFirewall, undefined);
	assert.equal(off.code, 'some-failed');
	const loopback = await withHostFirewall(sweep, {enabled: true})(
		{...config, servers: [{host: '127.0.0.1', port: 3478}]},
		options,
	);
	assert.equal(loopback.hostFirewall, undefined);
	assert.equal(calls, 0);
	const failing = await withHostFirewall(sweep, {enabled: true})(config, options);
	assert.equal(calls, 1);
	assert.equal(failing.hostFirewall, undefined);
	assert.equal(failing.code, off.code, 'the verdict is the same as without the reading');
});

test('off Linux and Windows the firewall is not read, in one line', async () => {
	const report = await readThisHostFirewall({udpPorts: [9000]}, 'darwin');
	assert.equal(report.checked, false);
	assert.match(report.note, /^This host's firewall was not read: .*Linux and Windows only/);
	assert.doesNotMatch(report.note, /\n/);
});

test(
	'started before the check: the commands run at once, the decision waits for the ports and the address',
	{timeout: 20_000},
	async () => {
		const ran: string[] = [];
		let bothRunning: () => void = () => undefined;
		const running = new Promise<void>(resolve => (bothRunning = resolve));
		const counting: Runner = async (file, args, options) => {
			ran.push(file);
			if (ran.length === 2) bothRunning();
			return recorded(file, args, options);
		};

		const noLegacy = async () => false;
		const reader = startReadingThisHostFirewall({family: 'ipv4', platform: 'linux', run: counting, legacyTables: noLegacy});
		// No request yet: the commands are under way all the same (they need no port).
		await running;
		assert.deepEqual([...ran].sort(), ['iptables-save', 'nft']);
		const request = {udpPorts: range(9000, 9599), tcpPorts: [], family: 'ipv4' as const, localAddress: null};
		const early = await reader(request);
		assert.deepEqual(early, await readHostFirewall({...request, run: recorded, legacyTables: noLegacy}));
		assert.equal(ran.length, 2, 'deciding runs nothing more');
		// A request of the other family reads its own rules (ip6tables-save), not the ones started.
		const other = await reader({...request, family: 'ipv6'});
		assert.ok(other.runs.some(run => run.command[0] === 'ip6tables-save'));
	},
);

test("the reader handed to the view is the one the report carries, not the environment's", async () => {
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9399, host: pbxIp}]}});
	let environmentCalls = 0;
	const environment = {
		...sim.environment,
		hostFirewall: async () => {
			environmentCalls++;
			return readThisHostFirewall({udpPorts: []}, 'darwin');
		},
	};
	const started = startReadingThisHostFirewall({
		family: 'ipv4',
		platform: 'linux',
		run: recorded,
		legacyTables: async () => false,
	});
	const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(9000, 9599)};
	const report = await withHostFirewall(sweep, {enabled: true, read: started})(config, {
		signal: new AbortController().signal,
		environment,
		onEvent() {},
	});
	assert.equal(environmentCalls, 0);
	assert.equal(report.hostFirewall?.tool, 'ufw');
	assert.deepEqual(
		report.hostFirewall?.ranges.map(item => [item.ports, item.decision]),
		[
			['9000-9499', 'allowed'],
			['9500-9599', 'blocked'],
		],
	);
});

/** The Windows Firewall as PowerShell printed it: MicroSIP's program may take UDP 5060 in, nothing else. */
const windowsReader: HostFirewallReader = async request =>
	readHostFirewall({
		...request,
		platform: 'win32',
		run: async file => {
			if (file !== 'powershell.exe') throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
			return {stdout: fixture('windows/powershell-none.json')};
		},
	});

const nodeExe = 'C:\\Program Files\\nodejs\\node.exe';

test("Windows: a program's rule decides the port that program held in the check, not the ones fwcheck held", async () => {
	const decided = async (owner: string) => {
		const sim = await simulate({
			// 5059 and 5061 are not forwarded: they fail, and so the firewall is read.
			router: {forwards: [{from: 5060, to: 5060, host: pbxIp}]},
			findPortOwners: async ports =>
				new Map(
					ports.map(port => [
						port,
						{port, owner: owner === '' ? null : {pid: 4242, name: owner}, runs: [], excerpt: '', userCommand: 'netstat -ano'},
					]),
				),
		});
		await sim.holdPort(5060);
		const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(5059, 5061)};
		const report = await withHostFirewall(sweep, {enabled: true, ownProgram: nodeExe})(config, {
			signal: new AbortController().signal,
			environment: {...sim.environment, hostFirewall: windowsReader},
			onEvent() {},
		});
		assert.equal(report.ports.find(result => result.port === 5060)?.status, 'busy');
		return report.hostFirewall?.ranges.map(item => [item.ports, item.decision, item.construct ?? null]);
	};

	assert.deepEqual(await decided('MicroSIP.exe'), [
		['5059', 'blocked', null],
		['5060', 'allowed', null],
		['5061', 'blocked', null],
	]);
	assert.deepEqual(await decided('asterisk.exe'), [['5059-5061', 'blocked', null]]);
	// The owner could not be named: unknown, naming the program the rule is for; never allowed.
	assert.deepEqual(await decided(''), [
		['5059', 'blocked', null],
		['5060', 'unknown', 'allows only C:\\Program Files\\MicroSIP\\microsip.exe'],
		['5061', 'blocked', null],
	]);
});

test('the holder of each port, from the report: its owner when busy, fwcheck when it held it, else unknown', () => {
	const result = (port: number, status: PortResult['status'], owner: string | null = null) =>
		({port, status, owner: owner === null ? null : {pid: 7, name: owner}}) as PortResult;
	const report = {
		ports: [
			result(9000, 'pass'),
			result(9001, 'fail'),
			result(9002, 'busy', 'pbx.exe'),
			result(9003, 'busy', ''),
			result(9004, 'skipped'),
		],
		tcp: [
			{port: 8089, status: 'busy', process: {pid: 9, name: 'nginx.exe'}},
			{port: 8090, status: 'pass', process: null},
		],
		sipService: {port: 5060, held: true, process: {pid: 8, name: '3CXPhoneSystem.exe'}},
	} as unknown as CheckReport;
	const holders = portHolders(report, nodeExe);
	assert.deepEqual(
		[9000, 9001, 9002, 9003, 9004, 9999].map(port => holders('udp', port)),
		[nodeExe, nodeExe, 'pbx.exe', null, null, null],
	);
	assert.deepEqual(
		[8089, 8090, 5060].map(port => holders('tcp', port)),
		['nginx.exe', nodeExe, '3CXPhoneSystem.exe'],
	);
	assert.equal(holders('udp', 5060), '3CXPhoneSystem.exe');
	const free = portHolders({...report, sipService: {...report.sipService!, held: false, process: null}}, nodeExe);
	assert.equal(free('udp', 5060), nodeExe, 'fwcheck answered on the SIP port itself');
});

test("the command line's reader runs nothing until asked; a re-run reads the rules again", async () => {
	const {hostFirewallReader} = await import('../../source/check/host-firewall-start.js');
	let nftRuns = 0;
	const counting: Runner = async (file, args, options) => {
		if (file === 'nft') nftRuns++;
		return recorded(file, args, options);
	};

	const config = {servers: [{host: '203.0.113.1', port: 3478}], ports: range(9000, 9009)} as unknown as CheckConfig;
	const reader = hostFirewallReader(config, counting);
	const request = {udpPorts: range(9000, 9599), tcpPorts: [], family: 'ipv4' as const, localAddress: null};
	await new Promise(resolve => setImmediate(resolve));
	assert.equal(nftRuns, 0, 'a check where nothing fails never asks, so nothing may run before it does');
	const first = await reader(request);
	assert.equal(nftRuns, 1);
	// `r` or a watch round: the admin may have just opened the ports, so the rules are read anew.
	const again = await reader(request);
	assert.equal(nftRuns, 2);
	assert.deepEqual(again.ranges, first.ranges);
});

test('watch rounds: a round with failures reads the rules again, the round where all pass reads nothing', async () => {
	const {watchUntilPass} = await import('../../source/check/watch-loop.js');
	const sim = await simulate({router: {forwards: [{from: 9000, to: 9009, host: pbxIp}]}});
	const {requests, reader} = recordingReader();
	const run = withHostFirewall(sweep, {enabled: true});
	const options = {signal: new AbortController().signal, environment: {...sim.environment, hostFirewall: reader}, onEvent() {}};
	const config: CheckConfig = {servers: [{host: 'stun.test', port: 3478}], ports: range(9000, 9019)};
	const first = await run(config, options);
	assert.equal(requests.length, 1);
	const rounds: Array<{round: number; reads: number}> = [];
	const outcome = await watchUntilPass(
		config,
		first,
		async (roundConfig, roundOptions) => run(roundConfig, {...options, ...roundOptions}),
		{
			pauseMs: 1000,
			signal: options.signal,
			clock: sim.network.clock,
			wallClock: () => sim.network.clock.now(),
			onRound({round}) {
				rounds.push({round, reads: requests.length});
				// The admin adds the forward after the first round: the next one passes.
				if (round === 1) sim.router.policy.forwards.push({from: 9010, to: 9019, host: pbxIp});
			},
		},
	);
	assert.equal(outcome.stopped, 'all pass');
	assert.deepEqual(rounds, [
		{round: 1, reads: 2},
		{round: 2, reads: 2},
	]);
	assert.deepEqual(requests[1]?.udpPorts, range(9010, 9019), 'the round asks about the ports it checks');
	assert.equal(outcome.report.hostFirewall?.tool, 'ufw', "the first check's reading stays");
});
