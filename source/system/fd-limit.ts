import {readFileSync, readdirSync} from 'node:fs';

/**
 * How many more sockets this process may open: each checked port in flight holds one, and
 * running into the open-file limit would turn good ports into errors. Linux only; elsewhere a
 * conservative guess.
 */
export const socketBudget = (margin = 64): number => {
	try {
		const limits = readFileSync('/proc/self/limits', 'utf8');
		const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
		const limit = soft === undefined || soft === 'unlimited' ? 65_536 : Number(soft);
		const open = readdirSync('/proc/self/fd').length;
		return Math.max(16, limit - open - margin);
	} catch {
		return 200;
	}
};
