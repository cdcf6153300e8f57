import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
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

test("readme.md's Architecture names every folder of source/, and only folders that exist", () => {
	const readme = readFileSync(new URL('../../readme.md', import.meta.url), 'utf8');
	const section = /## Architecture\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
	const named = new Set([...section.matchAll(/^(source\/[\w/-]+\/)\s/gm)].map(match => match[1]!));
	const root = new URL('../../', import.meta.url);
	const folders = readdirSync(new URL('source/', root), {recursive: true, withFileTypes: true})
		.filter(entry => entry.isDirectory())
		.map(entry => `${path.relative(fileURLToPath(root), path.join(entry.parentPath, entry.name))}/`);
	assert.ok(folders.length > 10, 'found the folders of source/');
	assert.deepEqual(
		folders.filter(folder => !named.has(folder)),
		[],
		'folders of source/ the Architecture section does not name',
	);
	assert.deepEqual(
		[...named].filter(folder => !folders.includes(folder)),
		[],
		'folders the Architecture section names that do not exist',
	);
});
