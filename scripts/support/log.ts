import process from 'node:process';

/** A logger to stderr that prefixes every line with the script's tag, e.g. `[bench]`. */
export const logger =
	(tag: string) =>
	(line: string): void => {
		process.stderr.write(`[${tag}] ${line}\n`);
	};
