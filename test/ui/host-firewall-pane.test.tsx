// This host's firewall in the TUI: a header line when it blocks some of the ports (the frame still
// fits 80×24 with the path line beside it), the range and fix in a port's drill-down, the ranges in
// the F summary, and checklists that start with this machine; when nothing failed, why it was not read.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {setLanguage} from '../../source/catalog/index.js';
import {hostFirewallNotNeeded} from '../../source/check/host-firewall-need.js';
import type {CheckReport} from '../../source/check/types.js';
import type {PathReport} from '../../source/router/types.js';
import type {HostFirewallReport} from '../../source/system/host-firewall.js';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, makeReport, portResult, range} from './fixtures.js';
import {delay, keys, lineCount, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

const rule = 'inet pbxfw input: udp dport 9010-9019 counter drop (handle 2)';
const hostFirewall: HostFirewallReport = {
	checked: true,
	tool: 'nftables',
	note: "This host's firewall (nftables) blocks inbound traffic to one range of the checked ports.",
	ranges: [
		{protocol: 'udp', ports: '9000-9009', decision: 'allowed', rule: null, sources: []},
		{protocol: 'udp', ports: '9010-9019', decision: 'blocked', rule, sources: []},
	],
	fixes: [
		{protocol: 'udp', ports: '9010-9019', commands: ['nft insert rule inet pbxfw input position 2 udp dport 9010-9019 accept']},
	],
	runs: [],
};
const results = range(9000, 9019).map(port => portResult(port, port < 9010 ? 'ok' : 'inbound-blocked'));

const start = async (report: CheckReport) => {
	const app = render(
		<App config={config(results.map(result => result.port))} run={instantRunner(results, report)} columns={80} rows={24} />,
	);
	await delay(20);
	return app;
};

test('a header line names what this machine blocks; with the path line too, the frame fits 80×24', async () => {
	const path: PathReport = {verdict: 'double-nat', hops: ['192.168.1.1'], evidence: ['e'], outerNat: '192.168.0.1'};
	const app = await start(makeReport(results, {hostFirewall, path}));
	const frame = await waitForText(app, 'this host  firewall (nftables) blocks UDP 9010-9019');
	assert.match(frame, /^path /m);
	assert.ok(lineCount(frame) <= 23, `${lineCount(frame)} lines`);
	assert.ok(frame.split('\n').every(line => line.length <= 80));
});

test('nothing blocked here: no header line', async () => {
	const allowed: HostFirewallReport = {...hostFirewall, ranges: [hostFirewall.ranges[0]!], fixes: []};
	const app = await start(makeReport(results, {hostFirewall: allowed}));
	const frame = await waitForText(app, 'SOME-FAILED');
	assert.doesNotMatch(frame, /this host {2}firewall/);
});

test('the F summary lists the ranges and leads the checklist with this machine and its command', async () => {
	const app = await start(makeReport(results, {hostFirewall}));
	await waitForText(app, 'this host');
	app.stdin.write('F');
	const summary = await waitForText(app, 'inbound-blocked: 9010-9019');
	assert.match(summary, /1\. This machine's own firewall \(nftables\) blocks inbound UDP/);
	assert.doesNotMatch(summary, /Check that the host firewall/);
	app.stdin.write(keys.end);
	const bottom = await waitForText(app, "This host's firewall");
	assert.match(bottom, /✘ UDP 9010-9019 blocked/);
	assert.match(bottom, /allow: nft insert rule inet pbxfw/);
});

test("a port's drill-down shows its range's decision and rule", async () => {
	const app = await start(makeReport(results, {hostFirewall}));
	await waitForText(app, 'this host');
	app.stdin.write('/9015\r');
	await delay(20);
	app.stdin.write('\r');
	const detail = await waitForText(app, 'Port 9015/udp');
	assert.match(detail, /This host's firewall {2}nftables\n {2}✘ UDP 9010-9019 blocked: inet pbxfw input/);
	app.stdin.write(keys.end);
	const bottom = await waitForText(app, 'What to do');
	assert.match(bottom, /1\. This machine's own firewall \(nftables\) blocks inbound UDP 9010-9019/);
});

test('a check where every port passed: the F summary says in a line why the firewall was not read', async () => {
	const passed = range(9000, 9019).map(port => portResult(port, 'ok'));
	const report = makeReport(passed);
	const app = render(
		<App
			config={config(passed.map(result => result.port))}
			run={instantRunner(passed, {...report, hostFirewall: hostFirewallNotNeeded(report)})}
			columns={80}
			rows={24}
		/>,
	);
	await delay(20);
	await waitForText(app, 'OK');
	assert.doesNotMatch(app.lastFrame() ?? '', /this host {2}firewall/, 'no header line: nothing is blocked');
	app.stdin.write('F');
	app.stdin.write(keys.end);
	const bottom = await waitForText(app, 'no checked port or');
	assert.match(bottom, /This host's firewall was not read: no checked port or/);
});

test('the same line in Italian and Japanese', async () => {
	const passed = range(9000, 9019).map(port => portResult(port, 'ok'));
	const report = makeReport(passed);
	for (const [language, words] of [
		['it', 'nessuna porta né servizio'],
		['ja', '不合格のポートやサービスがなく'],
	] as const) {
		setLanguage(language);
		try {
			const app = render(
				<App
					config={config(passed.map(result => result.port))}
					run={instantRunner(passed, {...report, hostFirewall: hostFirewallNotNeeded(report)})}
					columns={80}
					rows={24}
				/>,
			);
			await delay(20);
			app.stdin.write('F');
			app.stdin.write(keys.end);
			// Wrapped at 80 cells: the words may break across lines, so look for them with the breaks taken out.
			const bottom = await waitForText(
				app,
				language === 'it' ? 'firewall di questa macchina non' : 'ファイアウォールは読み取って',
			);
			assert.ok(bottom.replaceAll(/\n\s*/g, ' ').includes(words) || bottom.replaceAll(/\n\s*/g, '').includes(words), bottom);
			cleanup();
		} finally {
			setLanguage('en');
		}
	}
});
