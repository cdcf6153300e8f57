// Commit subjects of at most 72 characters (CONTRIBUTING.md), for every commit since the rule was
// first enforced: older history is left as it is. A clone without that history (shallow) or
// without git says so and passes: there is nothing to judge.
import {execFileSync} from 'node:child_process';
import {stdout, stderr, exit} from 'node:process';

/** The last commit made before the rule was checked. */
const since = 'e012b29d2ed0b6ad84c169f2d87738a77f02eb82';
const limit = 72;

/** @param {string[]} args */
const git = args => execFileSync('git', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});

let subjects;
try {
	git(['cat-file', '-e', `${since}^{commit}`]);
	subjects = git(['log', '--format=%h %s', `${since}..HEAD`])
		.split('\n')
		.filter(Boolean);
} catch {
	stdout.write(`commit subjects not checked: no git history back to ${since.slice(0, 7)} here\n`);
	exit(0);
}

const long = subjects.filter(line => [...line.slice(line.indexOf(' ') + 1)].length > limit);
for (const line of long) {
	stderr.write(`commit subject over ${limit} characters: ${line}\n`);
}

exit(long.length > 0 ? 1 : 0);
