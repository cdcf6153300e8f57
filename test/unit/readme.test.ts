import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {syncReadme} from '../../scripts/sync-readme.js';

test('readme.md shows the current verdict table and --help text', () => {
	const readme = readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');
	assert.equal(syncReadme(readme), readme, 'run: node --import tsx scripts/sync-readme.ts');
});

test('readme.md opens with the install-and-run and the test commands', () => {
	const readme = readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');
	const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
	const scripts = (
		JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {scripts: Record<string, string>}
	).scripts;
	for (const match of firstBlock.matchAll(/npm (?:run )?([\w-]+)/g)) {
		const name = match[1]!;
		assert.ok(name === 'ci' || name in scripts, `readme runs "npm ${name}", which package.json does not define`);
	}
});
