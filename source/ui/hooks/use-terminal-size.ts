import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	columns: number;
	rows: number;
}

const sizeOf = (stdout: NodeJS.WriteStream): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});

/** The terminal's size, following resizes; fixed values (tests, embedding) win over the live ones. */
export const useTerminalSize = (fixed: Partial<TerminalSize>): TerminalSize => {
	const {stdout} = useStdout();
	const [live, setLive] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const onResize = () => {
			setLive(sizeOf(stdout));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return {columns: fixed.columns ?? live.columns, rows: fixed.rows ?? live.rows};
};
