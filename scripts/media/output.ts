// Writing a screenshot: media/<name>.ansi (the coloured capture), .txt (plain text) and .svg,
// plus a PNG in a temporary directory to look at when rsvg-convert (librsvg2-bin) is there.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {logger} from '../support/log.js';
import {COMMAND_LINE, MEDIA, SCREEN} from './config.js';
import {ansiToSvg} from './svg.js';

const log = logger('media');

export type Shot = {name: string; ansi: string; text: string; note: string};

const screenLines = (text: string): number => text.replace(/\n+$/, '').split('\n').length;

export async function writeShot(shot: Shot, pngDir: string | undefined): Promise<void> {
	mkdirSync(MEDIA, {recursive: true});
	writeFileSync(path.join(MEDIA, `${shot.name}.ansi`), shot.ansi);
	writeFileSync(path.join(MEDIA, `${shot.name}.txt`), shot.text.replace(/\n+$/, '\n'));
	const svgFile = path.join(MEDIA, `${shot.name}.svg`);
	writeFileSync(svgFile, await ansiToSvg(shot.ansi, SCREEN, {title: COMMAND_LINE}));
	let png = '';
	if (pngDir) {
		const pngFile = path.join(pngDir, `${shot.name}.png`);
		const r = spawnSync('rsvg-convert', ['-o', pngFile, svgFile], {encoding: 'utf8', timeout: 30_000});
		png = r.status === 0 ? `, ${pngFile}` : ` (rsvg-convert failed: ${r.stderr.trim()})`;
	}
	log(`${shot.name}: media/${shot.name}.svg .txt .ansi${png} — ${shot.note}; ${screenLines(shot.text)} lines on screen`);
}

/** Where the PNGs go; undefined (and a hint) without rsvg-convert. */
export function pngDirectory(): string | undefined {
	if (spawnSync('rsvg-convert', ['--version'], {stdio: 'ignore', timeout: 5000}).status !== 0) {
		log('rsvg-convert not found (apt-get install librsvg2-bin): no PNGs to look at');
		return undefined;
	}
	const dir = path.join(os.tmpdir(), 'fwcheck-media-png');
	mkdirSync(dir, {recursive: true});
	return dir;
}

/** --render-only: media/*.ansi to SVG (and PNG) again, without the lab. */
export async function renderOnly(): Promise<number> {
	const pngDir = pngDirectory();
	const names = existsSync(MEDIA) ? readdirSync(MEDIA).filter(file => file.endsWith('.ansi')) : [];
	if (names.length === 0) {
		log('no media/*.ansi to render: run without --render-only first (as root)');
		return 1;
	}
	for (const file of names) {
		const ansi = readFileSync(path.join(MEDIA, file), 'utf8');
		const name = file.slice(0, -'.ansi'.length);
		const textFile = path.join(MEDIA, `${name}.txt`);
		// eslint-disable-next-line no-control-regex
		const text = existsSync(textFile) ? readFileSync(textFile, 'utf8') : ansi.replaceAll(/\u001B\[[0-9;:?]*[A-Za-z]/g, '');
		await writeShot({name, ansi, text, note: 're-rendered'}, pngDir);
	}
	return 0;
}
