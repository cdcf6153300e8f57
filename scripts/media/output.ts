// Writing a screenshot: media/<name>.ansi (the coloured capture), .txt (plain text) and .svg,
// plus a PNG in a temporary directory to look at when rsvg-convert (librsvg2-bin) is there; and
// media/shots.json, which ties each one to the recorded state it shows.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {logger} from '../support/log.js';
import {MEDIA, SCREEN, SHOTS_FILE} from './config.js';
import {ansiToSvg} from './svg.js';

const log = logger('media');

/** How a screenshot's state is rebuilt: the first `intents` intents of media/<recording>. */
export type ShotSource = {name: string; title: string; recording: string; intents: number; note: string};

export type Shot = ShotSource & {ansi: string; text: string};

const screenLines = (text: string): number => text.replace(/\n+$/, '').split('\n').length;

export async function writeShot(shot: Shot, pngDir: string | undefined): Promise<void> {
	mkdirSync(MEDIA, {recursive: true});
	writeFileSync(path.join(MEDIA, `${shot.name}.ansi`), shot.ansi);
	writeFileSync(path.join(MEDIA, `${shot.name}.txt`), shot.text.replace(/\n+$/, '\n'));
	const svgFile = path.join(MEDIA, `${shot.name}.svg`);
	writeFileSync(svgFile, await ansiToSvg(shot.ansi, SCREEN, {title: shot.title}));
	let png = '';
	if (pngDir) {
		const pngFile = path.join(pngDir, `${shot.name}.png`);
		const r = spawnSync('rsvg-convert', ['-o', pngFile, svgFile], {encoding: 'utf8', timeout: 30_000});
		png = r.status === 0 ? `, ${pngFile}` : ` (rsvg-convert failed: ${r.stderr.trim()})`;
	}
	log(`${shot.name}: media/${shot.name}.svg .txt .ansi${png} — ${shot.note}; ${screenLines(shot.text)} lines on screen`);
}

export const writeShotSources = (shots: readonly ShotSource[]): void => {
	const sources = shots.map(({name, title, recording, intents, note}) => ({name, title, recording, intents, note}));
	writeFileSync(SHOTS_FILE, `${JSON.stringify(sources, null, '\t')}\n`);
};

export const readShotSources = (): ShotSource[] =>
	existsSync(SHOTS_FILE) ? (JSON.parse(readFileSync(SHOTS_FILE, 'utf8')) as ShotSource[]) : [];

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
	const shots = readShotSources();
	if (shots.length === 0) {
		log('no media/shots.json to render from: run without --render-only first (as root)');
		return 1;
	}
	for (const source of shots) {
		const ansi = readFileSync(path.join(MEDIA, `${source.name}.ansi`), 'utf8');
		const text = readFileSync(path.join(MEDIA, `${source.name}.txt`), 'utf8');
		await writeShot({...source, ansi, text, note: 're-rendered'}, pngDir);
	}
	return 0;
}
