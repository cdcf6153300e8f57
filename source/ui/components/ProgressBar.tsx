import {Text} from 'ink';
import stringWidth from 'string-width';
import {colorOf, drawn} from '../theme.js';
import {useTheme} from '../hooks/use-theme.js';

/** Filled and empty cells plus the numbers, so it reads in a screenshot and without colour. */
export function ProgressBar({done, total, width, label: given}: {done: number; total: number; width: number; label?: string}) {
	const theme = useTheme();
	const ratio = total === 0 ? 1 : Math.min(1, done / total);
	const label = given ?? ` ${done}/${total} ${String(Math.floor(ratio * 100)).padStart(3)}%`;
	const cells = Math.max(10, width - stringWidth(label));
	const filled = Math.round(ratio * cells);
	return (
		<Text wrap="truncate-end">
			<Text color={colorOf(theme, ratio === 1 ? 'ok' : 'info')}>{drawn(theme, '█'.repeat(filled))}</Text>
			<Text dimColor>{drawn(theme, '░'.repeat(cells - filled))}</Text>
			{label}
		</Text>
	);
}
