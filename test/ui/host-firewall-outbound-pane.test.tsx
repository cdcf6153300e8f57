// This host's output rules in the TUI: the header line, a failing port's drill-down (its inbound
// range, then its outbound one) and its checklist say "outbound" where the range is one.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {CheckReport} from '../../source/check/types.js';
import type {HostFirewallReport} from '../../source/system/host-firewall.js';
import {App} from '../../source/ui/components/App.js';
import {config, instantRunner, makeReport, portResult, range} from './fixtures.js';
import {delay, keys, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

const rule = 'inet pbxfw output: udp sport 9010-9019 counter drop (handle 3)';
const command = 'nft insert rule inet pbxfw output position 3 udp sport 9010-9019 accept';
const hostFirewall: HostFirewallReport = {
	checked: true,
	tool: 'nftables',
	note: "This host's firewall (nftables) lets the checked ports in. This host's firewall (nftables) blocks outbound traffic from one range of the ports whose Test 1 failed.",
	ranges: [
		{protocol: 'udp', ports: '9000-9019', decision: 'allowed', rule: null, sources: []},
		{protocol: 'udp', ports: '9010-9019', direction: 'out', decision: 'blocked', rule, sources: []},
	],
	fixes: [{protocol: 'udp', ports: '9010-9019', direction: 'out', commands: [command]}],
	runs: [],
};
const results = range(9000, 9019).map(port => portResult(port, port < 9010 ? 'ok' : 'outbound-blocked'));

const start = async (report: CheckReport) => {
	const app = render(
		<App config={config(results.map(result => result.port))} run={instantRunner(results, report)} columns={80} rows={24} />,
	);
	await delay(20);
	return app;
};

test('the header names the outbound range this machine blocks', async () => {
	const app = await start(makeReport(results, {hostFirewall}));
	await waitForText(app, 'this host  firewall (nftables) blocks UDP 9010-9019 outbound');
});

test("a failing port's drill-down: inbound allowed, outbound blocked with its command; the checklist leads with it", async () => {
	const app = await start(makeReport(results, {hostFirewall}));
	await waitForText(app, 'this host');
	app.stdin.write('/9015\r');
	await delay(20);
	app.stdin.write('\r');
	const detail = await waitForText(app, 'Port 9015/udp');
	assert.match(detail, /✔ UDP 9000-9019 allowed\n {2}✘ UDP 9010-9019 outbound blocked: inet pbxfw output/);
	app.stdin.write(keys.end);
	const bottom = await waitForText(app, 'What to do');
	assert.match(bottom, /1\. This machine's own firewall \(nftables\) blocks outbound UDP from ports\s+9010-9019/);
});

test('a passing port shows only its inbound range', async () => {
	const app = await start(makeReport(results, {hostFirewall}));
	await waitForText(app, 'this host');
	app.stdin.write('/9003\r');
	await delay(20);
	app.stdin.write('\r');
	const detail = await waitForText(app, 'Port 9003/udp');
	assert.match(detail, /✔ UDP 9000-9019 allowed/);
	assert.doesNotMatch(detail, /outbound blocked/);
});
