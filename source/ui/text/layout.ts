import type {ScreenMeasure, SweepState} from '../state/types.js';
import {bannerLines} from './banner-lines.js';
import {detailLines} from './detail-lines.js';
import {helpLines} from './help-lines.js';
import {type Line} from './line.js';
import {hostFirewallHeaderLine} from './host-firewall-lines.js';
import {pathHeaderLine, routerPaneLines} from './router-lines.js';
import {servicesHeaderLine} from './services-header.js';
import {servicesPaneLines} from './services-lines.js';
import {summaryLines} from './summary-lines.js';

/**
 * Lines of the header: server, addresses and time, counts, progress bar; the path and SIP/TCP once
 * known, and this host's firewall when it blocks some of the ports.
 */
export const headerHeightOf = (state: SweepState): number =>
	4 + (pathHeaderLine(state) ? 1 : 0) + (servicesHeaderLine(state) ? 1 : 0) + (hostFirewallHeaderLine(state) ? 1 : 0);
const footerHeight = 1;
const tableHeadHeight = 1;
const paneTitleHeight = 1;
/** The banner gives way before the table shrinks below this. */
const minTableRows = 5;

export interface Layout {
	banner: Line[];
	tableRows: number;
	paneRows: number;
}

/**
 * Heights for this state. The frame stays one line short of the terminal: at exactly `rows`
 * lines Ink clears the whole screen on every update, which flickers and eats scrollback.
 */
export const layoutOf = (state: SweepState): Layout => {
	const budget = Math.max(1, state.viewport.rows - 1);
	const paneRows = Math.max(1, budget - paneTitleHeight - footerHeight);
	if (state.pane.kind !== 'table') {
		return {banner: [], tableRows: Math.max(1, budget - headerHeightOf(state) - tableHeadHeight - footerHeight), paneRows};
	}

	const fixed = headerHeightOf(state) + tableHeadHeight + footerHeight;
	const banner = bannerLines(state).slice(0, Math.max(0, budget - fixed - minTableRows));
	return {banner, tableRows: Math.max(1, budget - fixed - banner.length), paneRows};
};

/** The content of the open pane, wrapped to the terminal's width. */
export const paneLines = (state: SweepState): Line[] => {
	switch (state.pane.kind) {
		case 'detail': {
			const index = state.rowIndex.get(state.pane.port);
			const row = index === undefined ? undefined : state.rows[index];
			return row ? detailLines(state, row) : [];
		}

		case 'summary': {
			return summaryLines(state);
		}

		case 'help': {
			return helpLines(state.viewport.columns);
		}

		case 'router': {
			return routerPaneLines(state);
		}

		case 'services': {
			return servicesPaneLines(state);
		}

		default: {
			return [];
		}
	}
};

/** What the reducer is handed to measure the screen with (see ScreenMeasure). */
export const screenMeasure: ScreenMeasure = {
	tableRows: state => layoutOf(state).tableRows,
	paneRows: state => layoutOf(state).paneRows,
	paneLineCount: state => paneLines(state).length,
};
