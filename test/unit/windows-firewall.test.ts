// The Windows Firewall: PowerShell's JSON and netsh's localized text (English, Italian, Japanese in
// code page 932) decoded into one model, decided per range like the Linux side, and the reader.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {decideWindowsRanges, windowsAllowCommands} from '../../source/host-firewall/windows-decide.js';
import type {WindowsFirewall, WindowsProfile, WindowsRule} from '../../source/host-firewall/windows-model.js';
import {decodeConsoleBytes, decodeNetshProfiles, decodeNetshRules} from '../../source/host-firewall/windows-netsh.js';
import {decodePowerShellFirewall} from '../../source/host-firewall/windows-powershell.js';
import {readHostFirewall} from '../../source/system/host-firewall.js';
import type {Runner} from '../../source/system/run-command.js';
import type {BytesRunner} from '../../source/system/windows-firewall.js';

const bytes = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/host-firewall/windows/${name}`, import.meta.url));
const netsh = (name: string): string => decodeConsoleBytes(bytes(name));
const json = (name: string): string => new TextDecoder().decode(bytes(name));

const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, index) => from + index);
const checked = [5060, 5062, ...range(9000, 10_999)];

const summary = (firewall: WindowsFirewall, ports = checked) =>
	decideWindowsRanges(firewall, ports, 'udp').map(({range: item}) => [
		item.ports,
		item.decision,
		item.rule,
		...(item.sources.length > 0 ? [item.sources] : []),
		...(item.construct ? [item.construct] : []),
	]);

const fromNetsh = (lang: string, state: 'on' | 'off', rules: string): WindowsFirewall => {
	const profiles = decodeNetshProfiles(
		netsh(`netsh-${lang}-allprofiles-${state}.txt`),
		netsh(`netsh-${lang}-currentprofile.txt`),
	);
	assert.ok(profiles);
	return {...profiles, rules: decodeNetshRules(netsh(`netsh-${lang}-rules-${rules}.txt`)).rules};
};

const fromPowerShell = (name: string): WindowsFirewall => {
	const decoded = decodePowerShellFirewall(json(`powershell-${name}.json`));
	assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
	return decoded.firewall;
};

const defaultBlock = 'Windows Firewall Public profile: default inbound action block';
const microsip = 'Windows Firewall rule "MicroSIP" (allow, program C:\\Program Files\\MicroSIP\\microsip.exe)';
const provider = ['203.0.113.0/24', '198.51.100.7/32'];

// The same four situations, whichever source and language: the decisions must not differ.
const expected = {
	off: [
		['5060', 'allowed', null],
		['5062', 'allowed', null],
		['9000-10999', 'allowed', null],
	],
	allow: [
		['5060', 'unknown', microsip, 'allows only C:\\Program Files\\MicroSIP\\microsip.exe'],
		['5062', 'blocked', defaultBlock, provider],
		['9000-10999', 'allowed', null],
	],
	none: [
		['5060', 'unknown', microsip, 'allows only C:\\Program Files\\MicroSIP\\microsip.exe'],
		['5062', 'blocked', defaultBlock, provider],
		['9000-10999', 'blocked', defaultBlock],
	],
	'block-wins': [
		['5060', 'unknown', microsip, 'allows only C:\\Program Files\\MicroSIP\\microsip.exe'],
		['5062', 'blocked', defaultBlock, provider],
		['9000-9999', 'allowed', null],
		['10000-10099', 'blocked', 'Windows Firewall rule "Block media" (block)'],
		['10100-10499', 'allowed', null],
		['10500', 'blocked', 'Windows Firewall rule "Block media" (block)'],
		['10501-10999', 'allowed', null],
	],
};

for (const lang of ['en', 'it', 'ja']) {
	test(`netsh (${lang}): firewall off, allow rule, no rule, block over allow decide alike`, () => {
		assert.deepEqual(summary(fromNetsh(lang, 'off', 'allow')), expected.off);
		assert.deepEqual(summary(fromNetsh(lang, 'on', 'allow')), expected.allow);
		assert.deepEqual(summary(fromNetsh(lang, 'on', 'none')), expected.none);
		assert.deepEqual(summary(fromNetsh(lang, 'on', 'block-wins')), expected['block-wins']);
	});
}

test('netsh: the profiles by position, the active one by its header, whatever the language', () => {
	for (const lang of ['en', 'it', 'ja']) {
		const profiles = decodeNetshProfiles(netsh(`netsh-${lang}-allprofiles-on.txt`), netsh(`netsh-${lang}-currentprofile.txt`));
		assert.deepEqual(profiles?.active, ['public'], lang);
		assert.deepEqual(
			profiles?.profiles.map(profile => [profile.name, profile.enabled, profile.defaultInbound]),
			[
				['domain', true, 'block'],
				['private', true, 'block'],
				['public', true, 'block'],
			],
			lang,
		);
		const off = decodeNetshProfiles(netsh(`netsh-${lang}-allprofiles-off.txt`));
		assert.deepEqual(
			off?.profiles.map(profile => profile.enabled),
			[false, false, false],
			lang,
		);
	}
});

test('netsh: a disabled rule is left out; lists, keywords, programs and remote scopes are read', () => {
	const {rules, unreadable} = decodeNetshRules(netsh('netsh-ja-rules-block-wins.txt'));
	assert.equal(unreadable, 0);
	assert.deepEqual(
		rules.map(rule => [rule.name, rule.action, rule.profiles, rule.localPorts, rule.remoteAddresses, rule.program]),
		[
			['Core Networking - Teredo (UDP-In)', 'allow', 'any', [], 'any', '%SystemRoot%\\system32\\svchost.exe'],
			['MicroSIP', 'allow', ['private', 'public'], [{from: 5060, to: 5060}], 'any', 'C:\\Program Files\\MicroSIP\\microsip.exe'],
			[
				'SIP from provider',
				'allow',
				'any',
				[
					{from: 5062, to: 5062},
					{from: 5080, to: 5080},
				],
				provider,
				null,
			],
			['PBX RTP', 'allow', 'any', [{from: 9000, to: 10_999}], 'any', null],
			[
				'Block media',
				'block',
				['public'],
				[
					{from: 10_000, to: 10_099},
					{from: 10_500, to: 10_500},
				],
				'any',
				null,
			],
		],
	);
});

test('netsh: a rule whose labels are in no known language is counted, never read as any port', () => {
	const german = [
		'Regelname:                            PBX',
		'----------------------------------------------------------------------',
		'Aktiviert:                            Ja',
		'Profile:                              Domäne,Privat,Öffentlich',
		'Remote-IP:                            Beliebig',
		'Protokoll:                            UDP',
		'Lokaler Port:                         9000-10999',
		'Aktion:                               Zulassen',
		'',
	].join('\r\n');
	assert.deepEqual(decodeNetshRules(german), {rules: [], unreadable: 1});
	// Every label known but the ports' one: still left out rather than allowing every port.
	const english = netsh('netsh-en-rules-allow.txt');
	assert.equal(decodeNetshRules(english).unreadable, 0);
	const unknownPorts = decodeNetshRules(english.replaceAll('LocalPort:', 'Lokaler Port:'));
	assert.deepEqual(
		unknownPorts.rules.map(rule => rule.name),
		[],
	);
	assert.equal(unknownPorts.unreadable, 4);
});

test('console bytes: Japanese in code page 932 and in UTF-8 read the same; nonsense never throws', () => {
	const shiftJis = bytes('netsh-ja-rules-allow.txt');
	const text = decodeConsoleBytes(shiftJis);
	assert.match(text, /規則名:/);
	assert.equal(decodeConsoleBytes(new TextEncoder().encode(text)), text);
	const garbage = Uint8Array.from({length: 512}, (_, index) => (index * 151) % 256);
	assert.equal(typeof decodeConsoleBytes(garbage), 'string');
	assert.deepEqual(decodeNetshRules(decodeConsoleBytes(garbage)).rules, []);
	assert.equal(decodeNetshProfiles(decodeConsoleBytes(garbage)), null);
});

test('decoders of netsh text and PowerShell JSON never throw, whatever they are given', () => {
	const netshLike = fc.array(
		fc.oneof(
			fc.constantFrom(
				'-'.repeat(70),
				'',
				'Rule Name: x',
				'LocalPort: 1-',
				'Action: Allow',
				'State  OFF',
				'規則名: y',
				'Profiles: ,,',
			),
			fc.string(),
		),
		{maxLength: 40},
	);
	fc.assert(
		fc.property(netshLike, netshLike, (first, second) => {
			decodeNetshRules(first.join('\r\n'));
			decodeNetshProfiles(first.join('\n'), second.join('\n'));
		}),
		{numRuns: 300},
	);
	fc.assert(
		fc.property(fc.jsonValue(), value => {
			decodePowerShellFirewall(JSON.stringify(value) ?? '');
			decodePowerShellFirewall(JSON.stringify({Profiles: value, Rules: value, ActiveProfile: value}) ?? '');
		}),
		{numRuns: 300},
	);
	fc.assert(
		fc.property(fc.uint8Array({maxLength: 256}), data => typeof decodeConsoleBytes(data) === 'string'),
		{numRuns: 300},
	);
});

test('PowerShell JSON: the four situations decide as netsh does', () => {
	assert.deepEqual(summary(fromPowerShell('off')), expected.off);
	assert.deepEqual(
		summary(fromPowerShell('allow')),
		expected.allow.map(row =>
			row[0] === '5062' ? ['5062', 'blocked', defaultBlock, ['203.0.113.0/255.255.255.0', '198.51.100.7']] : row,
		),
	);
	assert.deepEqual(summary(fromPowerShell('none'))[2], expected.none[2]);
	assert.deepEqual(summary(fromPowerShell('block-wins')).slice(2), expected['block-wins'].slice(2));
});

test('PowerShell JSON: not JSON, or JSON without profiles, is an error and never a throw', () => {
	assert.deepEqual(decodePowerShellFirewall('Get-NetFirewallRule : not recognized'), {
		ok: false,
		error: 'PowerShell printed something that is not JSON',
	});
	assert.equal(decodePowerShellFirewall('[1,2]').ok, false);
	assert.equal(decodePowerShellFirewall('{"Profiles": {"Name": "Nowhere"}}').ok, false);
	// One rule and one profile arrive unwrapped from their arrays; enums as numbers.
	const single = decodePowerShellFirewall(
		'{"ActiveProfile":"Private","Profiles":{"Name":"Private","Enabled":1,"DefaultInboundAction":4},"Rules":{"Name":"x","DisplayName":"RTP","Action":2,"Profile":2,"Protocol":"17","LocalPort":"9000-9099","RemoteAddress":"Any","Program":"Any","Service":"Any"}}',
	);
	assert.ok(single.ok);
	assert.deepEqual(summary(single.firewall, range(8999, 9100)), [
		['8999', 'blocked', 'Windows Firewall Private profile: default inbound action block'],
		['9000-9099', 'allowed', null],
		['9100', 'blocked', 'Windows Firewall Private profile: default inbound action block'],
	]);
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
	action: 'allow',
	profiles: 'any',
	protocol: 'udp',
	localPorts: [{from: 9000, to: 9099}],
	remoteAddresses: 'any',
	program: null,
	service: null,
	...more,
});

const firewall = (rules: WindowsRule[], profiles = [profile('public')], active: WindowsProfile['name'][] = ['public']) => ({
	profiles,
	active,
	rules,
});

test('decision: a block rule wins over an allow rule whatever their order; a remote-limited block does not', () => {
	const allow = rule({name: 'allow'});
	const block = rule({name: 'block', action: 'block'});
	for (const rules of [
		[allow, block],
		[block, allow],
	]) {
		assert.deepEqual(summary(firewall(rules), [9000]), [['9000', 'blocked', 'Windows Firewall rule "block" (block)']]);
	}

	const narrowBlock = rule({action: 'block', remoteAddresses: ['192.0.2.1']});
	assert.deepEqual(summary(firewall([allow, narrowBlock]), [9000]), [['9000', 'allowed', null]]);
});

test('decision: a rule of another profile, protocol or port does not apply; a profile off lets all in', () => {
	const allow = rule({profiles: ['private']});
	assert.equal(summary(firewall([allow]), [9000])[0]![1], 'blocked');
	assert.equal(summary(firewall([rule({protocol: 'tcp'})]), [9000])[0]![1], 'blocked');
	assert.equal(summary(firewall([rule({protocol: 'any'})]), [9000])[0]![1], 'allowed');
	assert.equal(summary(firewall([rule({action: 'block'})], [profile('public', {enabled: false})]), [9000])[0]![1], 'allowed');
	assert.equal(summary(firewall([], [profile('public', {defaultInbound: 'allow'})]), [9000])[0]![1], 'allowed');
	assert.deepEqual(summary(firewall([rule({})], [profile('public', {blockAllInbound: true})]), [9000]), [
		['9000', 'blocked', 'Windows Firewall Public profile: block all incoming connections'],
	]);
});

test('decision: program-limited rules are unknown and name the program; a plain block still wins', () => {
	const exe = rule({program: 'C:\\PBX\\pbx.exe'});
	assert.deepEqual(summary(firewall([exe]), [9000]), [
		['9000', 'unknown', 'Windows Firewall rule "r" (allow, program C:\\PBX\\pbx.exe)', 'allows only C:\\PBX\\pbx.exe'],
	]);
	const exeBlock = rule({action: 'block', program: 'C:\\PBX\\pbx.exe'});
	assert.equal(summary(firewall([rule({}), exeBlock]), [9000])[0]![3], 'blocks only C:\\PBX\\pbx.exe');
	assert.equal(summary(firewall([exe, rule({action: 'block'})]), [9000])[0]![1], 'blocked');
	assert.equal(summary(firewall([rule({service: 'pbxsvc'})]), [9000])[0]![3], 'allows only service pbxsvc');
});

test('decision: with the program holding the port known, its own rules decide and others do not apply', () => {
	const pbx = 'C:\\Program Files\\3CX Phone System\\Bin\\3CXMediaServer.exe';
	const exeAllow = rule({program: pbx});
	const decide = (rules: WindowsRule[], program: string) =>
		decideWindowsRanges(firewall(rules), [9000], 'udp', program)[0]!.range;
	assert.equal(decide([exeAllow], pbx.toUpperCase()).decision, 'allowed');
	assert.deepEqual(decide([exeAllow], 'C:\\fwcheck\\fwcheck.exe').rule, defaultBlock);
	const exeBlock = rule({action: 'block', program: pbx});
	assert.equal(decide([rule({}), exeBlock], pbx).rule, `Windows Firewall rule "r" (block, program ${pbx})`);
	assert.equal(decide([rule({}), exeBlock], 'C:\\other.exe').decision, 'allowed');
	// tasklist names a process without its folder: the file name decides.
	assert.equal(decide([exeAllow], '3cxmediaserver.exe').decision, 'allowed');
	assert.equal(decide([exeAllow], 'other.exe').decision, 'blocked');
	// %SystemRoot% is not expanded: the file name decides.
	const svchost = rule({program: '%SystemRoot%\\system32\\svchost.exe'});
	assert.equal(decide([svchost], 'C:\\Windows\\System32\\svchost.exe').decision, 'allowed');
	// Which service owns a socket is not known: a service rule stays unknown, even for its program.
	const service = rule({program: '%SystemRoot%\\system32\\svchost.exe', service: 'iphlpsvc'});
	assert.equal(decide([service], 'C:\\Windows\\System32\\svchost.exe').decision, 'unknown');
});

test('decision: two active profiles that disagree make the port unknown and say which does what', () => {
	const both = firewall([rule({profiles: ['private']})], [profile('private'), profile('public')], ['private', 'public']);
	assert.deepEqual(summary(both, [9000]), [
		['9000', 'unknown', defaultBlock, 'the active profiles disagree: Private allowed, Public blocked'],
	]);
});

test('fixes: an allow rule against the default action; against a winning block rule, that rule named', () => {
	const [blocked] = decideWindowsRanges(firewall([]), range(9000, 10_999), 'udp');
	assert.deepEqual(windowsAllowCommands(blocked!), [
		'netsh advfirewall firewall add rule name="fwcheck PBX UDP 9000-10999" dir=in action=allow protocol=UDP localport=9000-10999',
		'New-NetFirewallRule -DisplayName "fwcheck PBX UDP 9000-10999" -Direction Inbound -Action Allow -Protocol UDP -LocalPort 9000-10999',
	]);
	const byRule = decideWindowsRanges(fromPowerShell('block-wins'), [10_000], 'udp')[0]!;
	assert.deepEqual(windowsAllowCommands(byRule), [
		'netsh advfirewall firewall set rule name="Block media" dir=in new enable=no',
		'Disable-NetFirewallRule -Name "{9E8D7C6B-5A4F-4E3D-8C2B-1A0F9E8D7C04}"',
	]);
});

const replay =
	(answers: Record<string, string>): Runner =>
	async file => {
		const answer = answers[file];
		if (answer === undefined) {
			throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		}

		return {stdout: answer};
	};

const replayBytes =
	(answers: Record<string, string>): BytesRunner =>
	async (file, args) => {
		const name = answers[args.join(' ')];
		if (name === undefined) {
			throw Object.assign(new Error(`spawn ${file} ENOENT`), {code: 'ENOENT'});
		}

		return {stdout: bytes(name)};
	};

test('the reader on win32: PowerShell first, its decisions and fixes in the Linux report shape', async () => {
	const report = await readHostFirewall({
		platform: 'win32',
		udpPorts: range(9000, 10_999),
		run: replay({'powershell.exe': json('powershell-block-wins.json')}),
		runBytes: replayBytes({}),
	});
	assert.equal(report.checked, true);
	assert.equal(report.tool, 'windows-firewall');
	assert.equal(report.runs.length, 1);
	assert.deepEqual(
		report.fixes.map(fix => fix.ports),
		['10000-10099', '10500'],
	);
	assert.match(report.note, /block rule "Block media" wins over any allow rule/);
});

test('the reader on win32: the program holding the ports settles rules limited to it', async () => {
	const read = async (program?: string) =>
		readHostFirewall({
			platform: 'win32',
			udpPorts: [5060],
			...(program ? {program} : {}),
			run: replay({'powershell.exe': json('powershell-none.json')}),
			runBytes: replayBytes({}),
		});
	assert.equal((await read()).ranges[0]?.decision, 'unknown');
	assert.equal((await read('c:\\program files\\microsip\\MicroSIP.exe')).ranges[0]?.decision, 'allowed');
	assert.equal((await read('C:\\fwcheck\\fwcheck.exe')).ranges[0]?.decision, 'blocked');
});

const microsipPath = 'C:\\Program Files\\MicroSIP\\microsip.exe';
const nodeExe = 'C:\\Program Files\\nodejs\\node.exe';

for (const source of ['PowerShell', 'netsh (Italian)'] as const) {
	test(`the reader on win32 (${source}): each port decided for the program that held it`, async () => {
		const read = async (holderOf5060: string | null) =>
			readHostFirewall({
				platform: 'win32',
				udpPorts: [5059, 5060, 5061],
				// As the check hands them over: a promise, settled once the sweep has named the owners.
				holders: Promise.resolve((protocol: 'udp' | 'tcp', port: number) => (port === 5060 ? holderOf5060 : nodeExe)),
				run: replay(source === 'PowerShell' ? {'powershell.exe': json('powershell-none.json')} : {}),
				runBytes: replayBytes({
					'advfirewall show allprofiles': 'netsh-it-allprofiles-on.txt',
					'advfirewall show currentprofile': 'netsh-it-currentprofile.txt',
					'advfirewall firewall show rule name=all dir=in verbose': 'netsh-it-rules-none.txt',
				}),
			});
		const rows = async (holder: string | null) =>
			(await read(holder)).ranges.map(item => [item.ports, item.decision, item.construct ?? null]);
		// MicroSIP holds 5060 (tasklist names only the file): its rule lets it in; fwcheck's ports get no such rule.
		assert.deepEqual(await rows('MicroSIP.exe'), [
			['5059', 'blocked', null],
			['5060', 'allowed', null],
			['5061', 'blocked', null],
		]);
		// Another program holds it: MicroSIP's rule is not for it, and the three ports fare alike.
		assert.deepEqual(await rows('C:\\PBX\\pbx.exe'), [['5059-5061', 'blocked', null]]);
		// Nobody could be named: never allowed, and the program the rule needs is named.
		assert.deepEqual((await rows(null))[1], ['5060', 'unknown', `allows only ${microsipPath}`]);
	});
}

test('decision: one program-limited rule for any port, ports held by it, by fwcheck, by nobody known', () => {
	// As Windows' own prompt creates them: one program, every port.
	const pbx = 'C:\\PBX\\pbx.exe';
	const exeAllow = rule({program: pbx, localPorts: 'any'});
	const holders = (port: number): string | null => (port < 9005 ? 'pbx.exe' : port < 9008 ? nodeExe : null);
	const decided = decideWindowsRanges(firewall([exeAllow]), range(9000, 9009), 'udp', holders);
	assert.deepEqual(
		decided.map(({range: item}) => [item.ports, item.decision, item.construct ?? null]),
		[
			['9000-9004', 'allowed', null],
			['9005-9007', 'blocked', null],
			['9008-9009', 'unknown', `allows only ${pbx}`],
		],
	);
	// Holders that change from port to port never merge ports that fare differently, nor split ones alike.
	const alternating = decideWindowsRanges(firewall([exeAllow]), range(9000, 9003), 'udp', port => (port % 2 ? pbx : 'PBX.EXE'));
	assert.deepEqual(
		alternating.map(({range: item}) => [item.ports, item.decision]),
		[['9000-9003', 'allowed']],
	);
});

test('the reader on win32: without PowerShell, netsh in Japanese (code page 932) decides alike', async () => {
	const report = await readHostFirewall({
		platform: 'win32',
		udpPorts: checked,
		run: replay({}),
		runBytes: replayBytes({
			'advfirewall show allprofiles': 'netsh-ja-allprofiles-on.txt',
			'advfirewall show currentprofile': 'netsh-ja-currentprofile.txt',
			'advfirewall firewall show rule name=all dir=in verbose': 'netsh-ja-rules-none.txt',
		}),
	});
	assert.equal(report.checked, true);
	assert.deepEqual(
		report.ranges.map(item => [item.ports, item.decision]),
		expected.none.map(row => [row[0], row[1]]),
	);
	// PowerShell, then netsh's profiles, current profile, inbound rules and outbound rules.
	assert.equal(report.runs.length, 5);
	assert.deepEqual(report.runs[4]?.command, [
		'netsh',
		'advfirewall',
		'firewall',
		'show',
		'rule',
		'name=all',
		'dir=out',
		'verbose',
	]);
});

test('the reader on win32: neither PowerShell nor netsh is one line, not a verdict', async () => {
	const report = await readHostFirewall({platform: 'win32', udpPorts: [9000], run: replay({}), runBytes: replayBytes({})});
	assert.equal(report.checked, false);
	assert.equal(report.tool, null);
	assert.deepEqual(report.ranges, []);
	assert.match(report.note, /^The Windows Firewall was not read: netsh is not installed/);
	assert.doesNotMatch(report.note, /\n/);
});
