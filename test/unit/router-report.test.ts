// The router view in the reports: JSON fields as documented, plain and Markdown lines, and
// checklists that lead with the right box.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mergeReports} from '../../source/check/report-model.js';
import type {CheckReport} from '../../source/check/types.js';
import {toJson} from '../../source/report/json.js';
import {toMarkdown} from '../../source/report/markdown.js';
import {formatSummary} from '../../source/report/plain.js';
import type {PathReport, RouterView} from '../../source/router/types.js';
import {localIp, makeReport, portResult} from '../ui/fixtures.js';

const router: RouterView = {
	gateway: '192.168.1.1',
	wanAddress: '100.64.0.2',
	wanSource: 'pcp-map',
	answered: ['nat-pmp', 'pcp', 'upnp'],
	mappings: [{protocol: 'UDP', externalPort: 9001, internalHost: '192.168.1.50', internalPort: 9001, description: 'old pbx'}],
	notes: ['PCP MAP probe: NO_RESOURCES'],
};
const cgnat: PathReport = {
	verdict: 'cgnat',
	hops: ['192.168.1.1', '100.64.0.1', '198.51.100.10'],
	evidence: ['hop 2 100.64.0.1 is in 100.64.0.0/10, the carrier-grade NAT range'],
};
const results = [portResult(9000, 'ok'), portResult(9001, 'inbound-blocked'), portResult(9002, 'inbound-blocked')];
const withView = (overrides: Partial<CheckReport> = {}): CheckReport =>
	makeReport(results, {router, path: cgnat, hairpin: 'fail', hairpinDetail: 'x', ...overrides});

test('JSON: path, router and hairpin as documented, after durationMs; absent when the router was not asked', () => {
	const json = JSON.parse(toJson(withView())) as Record<string, unknown>;
	const keys = Object.keys(json);
	assert.deepEqual(keys.slice(keys.indexOf('durationMs'), keys.indexOf('durationMs') + 5), [
		'durationMs',
		'path',
		'router',
		'hairpin',
		'ports',
	]);
	assert.equal(json.schema, 1);
	assert.deepEqual(json.path, cgnat);
	const routerJson = json.router as Record<string, unknown>;
	assert.deepEqual(Object.keys(routerJson).slice(0, 4), ['gateway', 'wanAddress', 'answered', 'mappings']);
	assert.deepEqual(routerJson.mappings, router.mappings);
	assert.equal(json.hairpin, 'fail');

	const silent = JSON.parse(
		toJson(withView({router: {...router, answered: [], wanAddress: undefined, mappings: undefined}})),
	) as {router: unknown};
	assert.deepEqual((silent.router as Record<string, unknown>).wanAddress, null);
	assert.deepEqual((silent.router as Record<string, unknown>).mappings, []);

	const plain = JSON.parse(toJson(makeReport(results))) as Record<string, unknown>;
	assert.equal('path' in plain || 'router' in plain || 'hairpin' in plain, false);
});

test('plain summary: a router line, the path with why, hairpin; the failing checklist leads with the ISP and names the other host', () => {
	const lines = formatSummary(withView());
	const text = lines.join('\n');
	assert.ok(lines.includes('Router 192.168.1.1: NAT-PMP, PCP and UPnP answer; WAN 100.64.0.2; 1 mapping.'), text);
	assert.ok(
		lines.some(line => line.startsWith('Path: carrier-grade NAT: ')),
		text,
	);
	assert.ok(
		lines.some(line => line.startsWith('  why: hop 2 100.64.0.1')),
		text,
	);
	assert.ok(
		lines.some(line => line.startsWith('Hairpin: does not work')),
		text,
	);
	const todo = lines.indexOf('What to do (inbound-blocked):');
	assert.match(lines[todo + 1]!, /^ {2}- Your internet provider puts a carrier-grade NAT in front/);
	assert.ok(
		lines.slice(todo).some(line => line.includes(`forwards UDP 9001 to 192.168.1.50, not to this host (${localIp})`)),
		text,
	);
});

test('plain summary: a router that answers nothing is one line, and an edge path adds no why', () => {
	const silent = withView({
		router: {gateway: '192.168.1.1', wanAddress: undefined, wanSource: undefined, answered: [], mappings: undefined, notes: []},
		path: {verdict: 'unknown', hops: [], evidence: ['no router protocol reported a WAN address']},
		hairpin: 'skipped',
	});
	const before = formatSummary(makeReport(results));
	const after = formatSummary(silent);
	assert.deepEqual(
		after.filter(line => !before.includes(line)),
		['Router 192.168.1.1: no NAT-PMP, PCP or UPnP answer (many routers have them off; that is fine).'],
	);
	const edge = formatSummary(withView({path: {verdict: 'edge', hops: [], evidence: ['x']}, router: {...router, mappings: []}}));
	assert.equal(
		edge.some(line => line.startsWith('  why:')),
		false,
	);
	// The edge checklist starts as it always did.
	assert.match(edge[edge.indexOf('What to do (inbound-blocked):') + 1]!, /Add a static forward on the router/);
});

test('Markdown: path and router in the summary, a section with hops, evidence and mappings', () => {
	const markdown = toMarkdown(withView());
	assert.match(markdown, /- \*\*Path:\*\* carrier-grade NAT: your provider's carrier-grade NAT/);
	assert.match(markdown, /- \*\*Hairpin:\*\* does not work/);
	assert.match(
		markdown,
		/## Router and path\n\n- \*\*Verdict:\*\* carrier-grade NAT\n- \*\*Hops:\*\* 192\.168\.1\.1 → 100\.64\.0\.1 → 198\.51\.100\.10/,
	);
	assert.match(markdown, /- UDP 9001 → 192\.168\.1\.50:9001 {2}old pbx/);
	assert.match(markdown, /1\. Your internet provider puts a carrier-grade NAT/);
	assert.doesNotMatch(toMarkdown(makeReport(results)), /Router and path/);
});

test("a re-run that did not ask the router keeps the first run's view", () => {
	const merged = mergeReports(withView(), makeReport([portResult(9001, 'ok')]), results);
	assert.equal(merged.path?.verdict, 'cgnat');
	assert.equal(merged.router?.gateway, '192.168.1.1');
	assert.equal(merged.hairpin, 'fail');
	assert.equal('router' in mergeReports(makeReport(results), makeReport(results), results), false);
});
