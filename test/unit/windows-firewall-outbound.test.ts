// The Windows Firewall on the way out: outbound rules from PowerShell's JSON and netsh's dir=out
// listing (English, Italian, Japanese in code page 932), decided for Test 1's request leaving
// from the ports whose Test 1 failed, block winning, the profile's default outbound action last.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {decideWindowsRanges, windowsAllowCommands} from '../../source/host-firewall/windows-decide.js';
import type {WindowsFirewall, WindowsProfile, WindowsRule} from '../../source/host-firewall/windows-model.js';
import {decodeConsoleBytes, decodeNetshProfiles, decodeNetshRules} from '../../source/host-firewall/windows-netsh.js';
import {decodePowerShellFirewall} from '../../source/host-firewall/windows-powershell.js';
import {readHostFirewall} from '../../source/system/host-firewall.js';
import type {Runner} from '../../source/system/run-command.js';
import type {BytesRunner} from '../../source/system/windows-firewall.js';

const bytes = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/host-firewall/windows/${name}`, import.meta.url));
const netsh = (name: string): string => decodeConsoleBytes(bytes(name));
const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, index) => from + index);

const server = {address: '198.51.100.7', port: 3478};
const failed = [...range(9000, 9009), ...range(9500, 9509)];
const blockOut = 'Windows Firewall rule "Block PBX media out" (block)';

const outbound = (firewall: WindowsFirewall, ports = failed, destination = server) =>
	decideWindowsRanges(firewall, ports, 'udp', null, destination).map(({range: item}) => [
		item.ports,
		item.direction,
		item.decision,
		item.rule,
		...(item.construct ? [item.construct] : []),
	]);

const expected = [
	['9000-9009', 'out', 'allowed', null],
	['9500-9509', 'out', 'blocked', blockOut],
];

const fromNetsh = (lang: string): WindowsFirewall => {
	const profiles = decodeNetshProfiles(netsh(`netsh-${lang}-allprofiles-on.txt`), netsh(`netsh-${lang}-currentprofile.txt`));
	assert.ok(profiles);
	const inbound = decodeNetshRules(netsh(`netsh-${lang}-rules-allow.txt`));
	const out = decodeNetshRules(netsh(`netsh-${lang}-rules-out.txt`), 'out');
	assert.equal(out.unreadable, 0, lang);
	return {...profiles, rules: [...inbound.rules, ...out.rules]};
};

for (const lang of ['en', 'it', 'ja']) {
	test(`netsh (${lang}): the outbound block rule blocks 9500-9509 going out, and nothing coming in`, () => {
		const firewall = fromNetsh(lang);
		const out = firewall.rules.filter(rule => rule.direction === 'out');
		// The disabled rule is left out; the other server's rule keeps its scope and remote port.
		assert.deepEqual(
			out.map(rule => [rule.name, rule.action, rule.localPorts, rule.remoteAddresses, rule.remotePorts]),
			[
				['Block PBX media out', 'block', [{from: 9500, to: 9509}], 'any', 'any'],
				['No other STUN', 'block', 'any', ['203.0.113.50/32'], [{from: 3478, to: 3478}]],
			],
			lang,
		);
		assert.deepEqual(outbound(firewall), expected, lang);
		// Inbound, the outbound rules change nothing: the allow rule lets 9000-10999 in.
		assert.deepEqual(
			decideWindowsRanges(firewall, failed, 'udp').map(({range: item}) => [item.ports, item.direction, item.decision]),
			[
				['9000-9009', undefined, 'allowed'],
				['9500-9509', undefined, 'allowed'],
			],
		);
	});
}

test('PowerShell: the same outbound rules and the same decisions', () => {
	const decoded = decodePowerShellFirewall(new TextDecoder().decode(bytes('powershell-out-block.json')));
	assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
	assert.deepEqual(
		decoded.firewall.profiles.map(profile => profile.defaultOutbound),
		['allow', 'allow', 'allow'],
	);
	assert.deepEqual(outbound(decoded.firewall), expected);
	// The other server's rule: a request to 203.0.113.50:3478 from any port is blocked by it.
	assert.deepEqual(outbound(decoded.firewall, [9000], {address: '203.0.113.50', port: 3478}), [
		['9000', 'out', 'blocked', 'Windows Firewall rule "No other STUN" (block)'],
	]);
	assert.deepEqual(outbound(decoded.firewall, [9000], {address: '203.0.113.50', port: 3479}), [['9000', 'out', 'allowed', null]]);
});

const profile = (name: WindowsProfile['name'], more: Partial<WindowsProfile> = {}): WindowsProfile => ({
	name,
	enabled: true,
	defaultInbound: 'block',
	blockAllInbound: false,
	...more,
});

const rule = (more: Partial<WindowsRule>): WindowsRule => ({
	name: 'r',
	id: null,
	action: 'block',
	profiles: 'any',
	protocol: 'udp',
	localPorts: [{from: 9500, to: 9509}],
	remoteAddresses: 'any',
	program: null,
	service: null,
	direction: 'out',
	...more,
});

const firewall = (rules: WindowsRule[], profiles = [profile('public')]): WindowsFirewall => ({
	profiles,
	active: ['public'],
	rules,
});

test('decision on the way out: block wins, default outbound action, scopes, keywords and unknowns', () => {
	const cases: Array<{
		name: string;
		firewall: WindowsFirewall;
		destination?: typeof server;
		decision: string;
		construct?: string;
	}> = [
		{name: 'no outbound rule: Windows allows', firewall: firewall([]), decision: 'allowed'},
		{name: 'a block rule on the port', firewall: firewall([rule({})]), decision: 'blocked'},
		{
			name: 'block wins over allow',
			firewall: firewall([rule({action: 'allow', name: 'a'}), rule({})]),
			decision: 'blocked',
		},
		{
			name: 'an inbound block rule does not stop what leaves',
			firewall: firewall([rule({direction: undefined})]),
			decision: 'allowed',
		},
		{
			name: 'default outbound block, no allow rule',
			firewall: firewall([], [profile('public', {defaultOutbound: 'block'})]),
			decision: 'blocked',
		},
		{
			name: 'default outbound block, an allow rule for the port',
			firewall: firewall([rule({action: 'allow'})], [profile('public', {defaultOutbound: 'block'})]),
			decision: 'allowed',
		},
		{
			name: 'a block scoped to the server in mask notation',
			firewall: firewall([rule({remoteAddresses: ['198.51.100.0/255.255.255.0']})]),
			decision: 'blocked',
		},
		{
			name: 'a block scoped to another network',
			firewall: firewall([rule({remoteAddresses: ['10.0.0.0/255.0.0.0']})]),
			decision: 'allowed',
		},
		{
			name: 'a block scoped to a keyword is not guessed',
			firewall: firewall([rule({remoteAddresses: ['LocalSubnet']})]),
			decision: 'unknown',
			construct: 'blocks only remote LocalSubnet',
		},
		{
			name: 'a block on a remote port, the server unknown',
			firewall: firewall([rule({remotePorts: [{from: 3478, to: 3478}]})]),
			destination: {address: null, port: null} as unknown as typeof server,
			decision: 'unknown',
		},
		{
			name: 'a block limited to a program, the holder unknown',
			firewall: firewall([rule({program: 'C:\\PBX\\pbx.exe'})]),
			decision: 'unknown',
			construct: 'blocks only C:\\PBX\\pbx.exe',
		},
		{
			name: 'firewall off for the profile',
			firewall: firewall([rule({})], [profile('public', {enabled: false})]),
			decision: 'allowed',
		},
	];
	for (const item of cases) {
		const [decided] = decideWindowsRanges(item.firewall, [9500], 'udp', null, item.destination ?? server);
		assert.equal(decided?.range.decision, item.decision, item.name);
		assert.equal(decided?.range.direction, 'out', item.name);
		if (item.construct) assert.equal(decided?.range.construct, item.construct, item.name);
	}
});

test('allow commands on the way out: disable the block rule, or add an outbound allow rule', () => {
	const [byRule] = decideWindowsRanges(
		firewall([rule({name: 'Block PBX media out', id: '{ID}'})]),
		range(9500, 9509),
		'udp',
		null,
		server,
	);
	assert.deepEqual(windowsAllowCommands(byRule!), [
		'netsh advfirewall firewall set rule name="Block PBX media out" dir=out new enable=no',
		'Disable-NetFirewallRule -Name "{ID}"',
	]);
	const [byDefault] = decideWindowsRanges(
		firewall([], [profile('public', {defaultOutbound: 'block'})]),
		range(9500, 9509),
		'udp',
		null,
		server,
	);
	assert.deepEqual(windowsAllowCommands(byDefault!), [
		'netsh advfirewall firewall add rule name="fwcheck PBX UDP 9500-9509 out" dir=out action=allow protocol=UDP localport=9500-9509',
		'New-NetFirewallRule -DisplayName "fwcheck PBX UDP 9500-9509 out" -Direction Outbound -Action Allow -Protocol UDP -LocalPort 9500-9509',
	]);
});

const replay =
	(answers: Record<string, string>): Runner =>
	async file => {
		const answer = answers[file];
		if (answer === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		return {stdout: answer};
	};

const replayBytes =
	(files: Record<string, string>): BytesRunner =>
	async (file, args) => {
		const name = files[args.join(' ')];
		if (file !== 'netsh' || name === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		return {stdout: bytes(name)};
	};

test('the reader on win32: netsh in Japanese, the failed ports decided outbound with their fix and note', async () => {
	const report = await readHostFirewall({
		platform: 'win32',
		udpPorts: failed,
		run: replay({}),
		runBytes: replayBytes({
			'advfirewall show allprofiles': 'netsh-ja-allprofiles-on.txt',
			'advfirewall show currentprofile': 'netsh-ja-currentprofile.txt',
			'advfirewall firewall show rule name=all dir=in verbose': 'netsh-ja-rules-allow.txt',
			'advfirewall firewall show rule name=all dir=out verbose': 'netsh-ja-rules-out.txt',
		}),
		outbound: {udpPorts: range(9500, 9509), destination: server.address, destinationPort: server.port, source: null},
	});
	assert.equal(report.tool, 'windows-firewall');
	assert.deepEqual(
		report.ranges.map(item => [item.ports, item.direction ?? 'in', item.decision]),
		[
			['9000-9009', 'in', 'allowed'],
			['9500-9509', 'in', 'allowed'],
			['9500-9509', 'out', 'blocked'],
		],
	);
	assert.deepEqual(report.fixes, [
		{
			protocol: 'udp',
			ports: '9500-9509',
			direction: 'out',
			commands: [
				'netsh advfirewall firewall set rule name="Block PBX media out" dir=out new enable=no',
				'Disable-NetFirewallRule -DisplayName "Block PBX media out"',
			],
		},
	]);
	assert.match(report.note, /blocks outbound traffic from one range of the ports whose Test 1 failed\./);
});
