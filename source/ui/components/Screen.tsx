import {Box} from 'ink';
import {useMemo} from 'react';
import {FailedSummary} from './FailedSummary.js';
import {Footer} from './Footer.js';
import {Header} from './Header.js';
import {KeyHelp} from './KeyHelp.js';
import {Lines} from './Lines.js';
import {PortDetail} from './PortDetail.js';
import {PortTable} from './PortTable.js';
import {RouterPane} from './RouterPane.js';
import {ServicesPane} from './ServicesPane.js';
import {layoutOf} from '../text/layout.js';
import type {SweepState} from '../state/types.js';
import {ThemeContext} from '../theme.js';
import type {GlyphSet} from '../glyphs.js';

/** Everything the TUI draws for one state: no effects, so a recorded state can be drawn again. */
export function Screen({
	state,
	columns,
	color,
	glyphs = 'unicode',
}: {
	state: SweepState;
	columns: number;
	color: boolean;
	/** ASCII on Windows consoles (glyphs.ts); the pictures in media/ are drawn with the Unicode set. */
	glyphs?: GlyphSet;
}) {
	const theme = useMemo(() => ({color, glyphs}), [color, glyphs]);
	const layout = layoutOf(state);
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={columns}>
				{state.pane.kind === 'table' ? (
					<>
						<Header state={state} />
						<Lines lines={layout.banner} columns={columns} />
						<PortTable state={state} height={layout.tableRows} />
					</>
				) : (
					<>
						<PortDetail state={state} height={layout.paneRows} />
						<FailedSummary state={state} height={layout.paneRows} />
						<KeyHelp state={state} height={layout.paneRows} />
						<RouterPane state={state} height={layout.paneRows} />
						<ServicesPane state={state} height={layout.paneRows} />
					</>
				)}
				<Footer state={state} />
			</Box>
		</ThemeContext.Provider>
	);
}
