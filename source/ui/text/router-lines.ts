// The header's path line and the n pane: what the router says about itself, the path and why,
// the router's mappings and the hairpin result. Pure line builders over the state.
import {sayNote, words} from '../../catalog/index.js';
import {hairpinWords, hopsLine, mappingLine, pathMeaning, pathWord, routerLine} from '../../router/text.js';
import type {PathReport} from '../../router/types.js';
import {networkOf} from '../state/selectors.js';
import type {SweepState} from '../state/types.js';
import {type Line, blank, line} from './line.js';
import {paragraph, width} from './wrap.js';

const toneOfPath = (path: PathReport): 'ok' | 'bad' | 'warn' | 'muted' =>
	path.verdict === 'edge' || path.verdict === 'no-nat'
		? 'ok'
		: path.verdict === 'unknown'
			? 'muted'
			: path.verdict === 'cgnat'
				? 'bad'
				: 'warn';

/** "path  double NAT (192.168.1.1): forward on both boxes…  n router": only once the path is known. */
export const pathHeaderLine = (state: SweepState): Line | undefined => {
	const {path} = networkOf(state);
	if (!path) {
		return undefined;
	}

	const outer = path.outerNat ? ` (${path.outerNat})` : '';
	return line(
		{text: words().tui.router.path, tone: 'muted'},
		{text: `${pathWord[path.verdict]}${outer}`, tone: toneOfPath(path), bold: path.verdict !== 'edge'},
		{text: `: ${pathMeaning[path.verdict]}`, tone: 'muted'},
	);
};

const heading = (text: string): Line => line({text, bold: true});

/** The n pane. */
export const routerPaneLines = (state: SweepState): Line[] => {
	const size = state.viewport.columns;
	const {router, path} = networkOf(state);
	const said = words().tui.router;
	if (!router && !path) {
		const why = state.report ? said.notAsked : said.asking;
		return paragraph(why, size, {tone: 'muted'});
	}

	const lines: Line[] = [];
	if (path) {
		lines.push(
			...paragraph(`${pathWord[path.verdict]}${path.outerNat ? ` (${path.outerNat})` : ''}: ${pathMeaning[path.verdict]}`, size, {
				tone: toneOfPath(path),
				bold: true,
			}),
		);
		lines.push(...paragraph(hopsLine(path.hops), size, {}, `  ${said.hops}  `, ' '.repeat(width(said.hops) + 4)));
		for (const evidence of path.evidence) {
			lines.push(...paragraph(evidence, size, {tone: 'muted'}, '  • ', '    '));
		}
	}

	if (router) {
		lines.push(blank, ...paragraph(routerLine(router), size, {bold: true}));
		if (router.wanAddress) {
			lines.push(
				line({text: said.wanAddress, tone: 'muted'}, router.wanAddress, {
					text: said.wanFrom(router.wanSource ?? '?'),
					tone: 'muted',
				}),
			);
		}

		for (const note of router.notes) {
			lines.push(...paragraph(sayNote(note), size, {tone: 'muted'}, '  • ', '    '));
		}

		const mappings = router.mappings ?? [];
		if (mappings.length > 0) {
			lines.push(blank, heading(said.mappings(mappings.length)));
			const pbx = state.localAddress;
			for (const mapping of mappings) {
				const elsewhere = pbx !== null && mapping.internalHost !== pbx;
				lines.push(...paragraph(mappingLine(mapping), size, elsewhere ? {tone: 'warn'} : {}, '  ', '    '));
			}
		}
	}

	const hairpin = state.report?.hairpin;
	if (hairpin) {
		const detail = hairpin === 'skipped' ? ` (${state.report?.hairpinDetail ?? ''})` : '';
		lines.push(
			blank,
			...paragraph(said.hairpin(`${hairpinWords[hairpin]}${detail}`), size, {
				tone: hairpin === 'pass' ? 'ok' : hairpin === 'fail' ? 'warn' : 'muted',
			}),
		);
	}

	return lines;
};
