import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	columns: number;
	rows: number;
}

/** The terminal's size, following resizes; fixed values (tests, embedding) win over the live ones. */
export const useTerminalSize = (fixed: Partial<TerminalSize>): TerminalSize => {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [live, setLive] = useState(read);
	useEffect(() => {
		const onResize = () => {
			setLive(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return {columns: fixed.columns ?? live.columns, rows: fixed.rows ?? live.rows};
};
