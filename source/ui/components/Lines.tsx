import {Text} from 'ink';
import type {Line} from '../text/line.js';
import {clip} from '../text/wrap.js';
import {colorOf, drawn} from '../theme.js';
import {useTheme} from '../hooks/use-theme.js';

/**
 * One terminal line per Line, cut (never wrapped) at the edge so heights stay as planned; given
 * the columns, cut here first, so a wide character at the edge is dropped rather than split.
 */
export function LineView({line: given, inverse, columns}: {line: Line; inverse?: boolean; columns?: number}) {
	const theme = useTheme();
	const line = columns === undefined ? given : clip(given, columns);
	return (
		<Text wrap="truncate-end" inverse={inverse}>
			{line.length === 0
				? ' '
				: line.map((segment, index) => (
						<Text key={index} color={colorOf(theme, segment.tone)} bold={segment.bold} dimColor={segment.tone === 'muted'}>
							{drawn(theme, segment.text)}
						</Text>
					))}
		</Text>
	);
}

export function Lines({lines, columns}: {lines: Line[]; columns?: number}) {
	return (
		<>
			{lines.map((line, index) => (
				<LineView key={index} line={line} columns={columns} />
			))}
		</>
	);
}
