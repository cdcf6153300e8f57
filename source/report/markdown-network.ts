// The Markdown report's router and path parts: summary items and one section with the evidence,
// the hops and the router's mapping list (bounded), for a ticket to the ISP or whoever runs the modem.
import type {CheckReport} from '../check/types.js';
import {blockedHere, hostFirewallLines} from '../host-firewall/text.js';
import {hairpinWords, hopsLine, mappingLine, pathMeaning, pathWord, routerLine} from '../router/text.js';
import {sayNote, words} from '../catalog/index.js';

const maxMappingRows = 30;

export const networkSummaryItems = (report: CheckReport): Array<[string, string]> => {
	const items: Array<[string, string]> = [];
	const {markdown} = words().report;
	if (report.path) {
		const outer = report.path.outerNat ? ` (${report.path.outerNat})` : '';
		items.push([markdown.path, `${pathWord[report.path.verdict]}${outer}: ${pathMeaning[report.path.verdict]}`]);
	}

	if (report.router) {
		items.push([
			markdown.router,
			routerLine(report.router)
				.replace(/^Router /, '')
				.replace(/\.$/, ''),
		]);
	}

	if (report.hostFirewall) {
		const blocked = blockedHere(report.hostFirewall);
		items.push([markdown.hostFirewall, blocked ? markdown.blocks(blocked) : sayNote(report.hostFirewall.note)]);
	}

	if (report.hairpin) {
		items.push([
			markdown.hairpin,
			report.hairpin === 'skipped' ? markdown.notTested(report.hairpinDetail ?? markdown.noReason) : hairpinWords[report.hairpin],
		]);
	}

	return items;
};

/** The host firewall's ranges and rules, when it was read and something is not simply let in. */
export const hostFirewallSection = (report: CheckReport): string[] => {
	const findings = report.hostFirewall;
	if (!findings?.checked || findings.ranges.every(range => range.decision === 'allowed')) return [];
	const {markdown} = words().report;
	return [
		`## ${markdown.hostFirewall}`,
		'',
		...hostFirewallLines(findings).map(({kind, text}) =>
			kind === 'note' ? `${text}\n` : kind === 'allow' ? `  - ${markdown.allowRule(text)}` : `- ${text}`,
		),
		'',
	];
};

export const networkSection = (report: CheckReport): string[] => {
	const {path, router} = report;
	if (!path && !router) {
		return [];
	}

	const {markdown} = words().report;
	const lines = [`## ${markdown.routerAndPath}`, ''];
	if (path) {
		lines.push(markdown.item(markdown.verdict, pathWord[path.verdict]), markdown.item(markdown.hops, hopsLine(path.hops)));
		lines.push(...path.evidence.map(line => `- ${line}`), '');
	}

	if (router) {
		lines.push(...router.notes.map(note => `- ${sayNote(note)}`));
		const mappings = router.mappings ?? [];
		if (mappings.length > 0) {
			lines.push('', markdown.mappingList(mappings.length), '');
			lines.push(...mappings.slice(0, maxMappingRows).map(mapping => `- ${mappingLine(mapping)}`));
			if (mappings.length > maxMappingRows) {
				lines.push(markdown.more(mappings.length - maxMappingRows));
			}
		}

		lines.push('');
	}

	return lines;
};
