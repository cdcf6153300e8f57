import {Text} from 'ink';
import type {Line} from '../text/line.js';
import {colorOf, drawn} from '../theme.js';
import {useTheme} from '../hooks/use-theme.js';

/** One terminal line per Line, cut (never wrapped) at the edge so heights stay as planned. */
export function LineView({line, inverse}: {line: Line; inverse?: boolean}) {
	const theme = useTheme();
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

export function Lines({lines}: {lines: Line[]}) {
	return (
		<>
			{lines.map((line, index) => (
				<LineView key={index} line={line} />
			))}
		</>
	);
}
