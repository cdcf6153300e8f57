import {Box, Text} from 'ink';
import {words} from '../../catalog/index.js';
import {Lines} from './Lines.js';
import type {Line} from '../text/line.js';
import {fit, width} from '../text/wrap.js';
import {drawn} from '../theme.js';
import {useTheme} from '../hooks/use-theme.js';

/** A titled window onto lines longer than the screen; the reducer keeps `scroll` in range. */
export function ScrollPane({
	tag,
	title,
	lines,
	scroll,
	height,
	columns,
}: {
	/** Shown first, so a narrow terminal cuts the title, never the tag. */
	tag: string | null;
	title: string;
	lines: Line[];
	scroll: number;
	height: number;
	columns: number;
}) {
	const theme = useTheme();
	const top = Math.max(0, Math.min(scroll, lines.length - height));
	const shown = lines.slice(top, top + height);
	const position =
		lines.length > height
			? `${words().tui.panes.lines(top + 1, top + shown.length, lines.length)}${top + height < lines.length ? ' ↓' : ''}`
			: '';
	const room = Math.max(1, columns - width(position) - 1);
	return (
		<Box flexDirection="column">
			<Text bold inverse wrap="truncate-end">
				{drawn(theme, fit(tag ? `${tag} · ${title}` : title, room) + ' ' + position)}
			</Text>
			<Lines lines={shown} columns={columns} />
		</Box>
	);
}
