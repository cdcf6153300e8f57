// Keeps the generated parts of readme.md (verdict table, --help text) equal to their sources.
// `node --import tsx scripts/sync-readme.ts` rewrites them; `--check` only reports drift (used by a test).
import {readFileSync, writeFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {verdictTableLines} from './verdict-table.js';

const readmePath = fileURLToPath(new URL('../readme.md', import.meta.url));
const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const helpText = (args: string[]): string =>
	execFileSync(process.execPath, [cliPath, ...args, '--help'], {encoding: 'utf8'})
		.split('\n')
		.map(line => line.replace(/^\t/, '').trimEnd())
		.join('\n')
		.trim();

export const generatedSections = (): Record<string, string> => ({
	verdicts: verdictTableLines().join('\n'),
	usage: ['```', helpText([]), '```'].join('\n'),
});

export const syncReadme = (text: string): string => {
	let result = text;
	for (const [name, body] of Object.entries(generatedSections())) {
		const pattern = new RegExp(`(<!-- ${name}:start -->\\n)(?:[\\s\\S]*?\\n)?(<!-- ${name}:end -->)`);
		if (!pattern.test(result)) {
			throw new Error(`readme.md has no <!-- ${name}:start --> … <!-- ${name}:end --> section`);
		}

		result = result.replace(pattern, (_match, start: string, end: string) => `${start}${body}\n${end}`);
	}

	return result;
};

if (import.meta.url === `file://${process.argv[1]}`) {
	const current = readFileSync(readmePath, 'utf8');
	const synced = syncReadme(current);
	if (process.argv.includes('--check')) {
		process.exitCode = synced === current ? 0 : 1;
		console.log(
			synced === current ? 'readme.md is in sync' : 'readme.md is out of date: run node --import tsx scripts/sync-readme.ts',
		);
	} else {
		writeFileSync(readmePath, synced);
	}
}
