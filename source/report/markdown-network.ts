// The Markdown report's router and path parts: summary items and one section with the evidence,
// the hops and the router's mapping list (bounded), for a ticket to the ISP or whoever runs the modem.
import type {CheckReport} from '../check/types.js';
import {blockedHere, hostFirewallLines} from '../host-firewall/text.js';
import {hairpinWords, hopsLine, mappingLine, pathMeaning, pathWord, routerLine} from '../router/text.js';

const maxMappingRows = 30;

export const networkSummaryItems = (report: CheckReport): Array<[string, string]> => {
	const items: Array<[string, string]> = [];
	if (report.path) {
		const outer = report.path.outerNat ? ` (${report.path.outerNat})` : '';
		items.push(['Path', `${pathWord[report.path.verdict]}${outer}: ${pathMeaning[report.path.verdict]}`]);
	}

	if (report.router) {
		items.push([
			'Router',
			routerLine(report.router)
				.replace(/^Router /, '')
				.replace(/\.$/, ''),
		]);
	}

	if (report.hostFirewall) {
		const blocked = blockedHere(report.hostFirewall);
		items.push(["This host's firewall", blocked ? `blocks ${blocked}` : report.hostFirewall.note]);
	}

	if (report.hairpin) {
		items.push([
			'Hairpin',
			report.hairpin === 'skipped' ? `not tested (${report.hairpinDetail ?? 'no reason given'})` : hairpinWords[report.hairpin],
		]);
	}

	return items;
};

/** The host firewall's ranges and rules, when it was read and something is not simply let in. */
export const hostFirewallSection = (report: CheckReport): string[] => {
	const findings = report.hostFirewall;
	if (!findings?.checked || findings.ranges.every(range => range.decision === 'allowed')) return [];
	return [
		"## This host's firewall",
		'',
		...hostFirewallLines(findings).map(({kind, text}) =>
			kind === 'note' ? `${text}\n` : kind === 'allow' ? `  - allow: \`${text}\`` : `- ${text}`,
		),
		'',
	];
};

export const networkSection = (report: CheckReport): string[] => {
	const {path, router} = report;
	if (!path && !router) {
		return [];
	}

	const lines = ['## Router and path', ''];
	if (path) {
		lines.push(`- **Verdict:** ${pathWord[path.verdict]}`, `- **Hops:** ${hopsLine(path.hops)}`);
		lines.push(...path.evidence.map(line => `- ${line}`), '');
	}

	if (router) {
		lines.push(...router.notes.map(note => `- ${note}`));
		const mappings = router.mappings ?? [];
		if (mappings.length > 0) {
			lines.push('', `The router's mapping list (UPnP, ${mappings.length}):`, '');
			lines.push(...mappings.slice(0, maxMappingRows).map(mapping => `- ${mappingLine(mapping)}`));
			if (mappings.length > maxMappingRows) {
				lines.push(`- … and ${mappings.length - maxMappingRows} more.`);
			}
		}

		lines.push('');
	}

	return lines;
};
