// On Windows the console, not string-width, decides how wide a symbol is: conhost on a CJK
// Windows measures the font's glyph (ambiguous-width symbols, even ⏎, take two cells), and Wine
// draws ✔ ● › ⏎ as two. The TUI draws ASCII there; every screen must then fit 80 cells even when
// each non-ASCII symbol is counted as two.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import type {SweepRunner} from '../../source/check/sweep.js';
import {App} from '../../source/ui/components/App.js';
import {type GlyphSet, asciiFor, drawnWith, glyphSetFor} from '../../source/ui/glyphs.js';
import {config, instantRunner, makeReport, portResult, range, server} from './fixtures.js';
import {delay, keys, plain, waitForText} from './helpers.js';

afterEach(() => {
	cleanup();
});

/** Cells as a Windows console may draw them: a symbol string-width calls narrow may take two. */
const consoleCells = (text: string): number =>
	[...text].reduce((sum, char) => {
		const cells = stringWidth(char);
		return sum + (cells === 1 && char.codePointAt(0)! > 0x7f ? 2 : cells);
	}, 0);

const overflowing = (frame: string): string[] => frame.split('\n').filter(line => consoleCells(line) > 80);

/** Every verdict a port can have, and a busy one, so every symbol shows. */
const finished = [
	...range(9000, 9009).map(port => portResult(port, 'ok')),
	portResult(9010, 'mapping-only'),
	portResult(9011, 'inbound-blocked'),
	portResult(9012, 'port-translated'),
	portResult(9013, 'outbound-blocked'),
	portResult(9014, 'address-mismatch'),
	portResult(9015, 'port-in-use'),
];

/** A sweep that stays running: some ports done, some checking (the spinner), until cancelled. */
const runningRunner: SweepRunner = async (checkConfig, {signal, onEvent}) => {
	onEvent({type: 'server-ready', server, localAddress: '192.168.1.20'});
	onEvent({type: 'sweep-started', ports: checkConfig.ports});
	for (const result of finished.slice(0, 12)) {
		onEvent({type: 'port-started', port: result.port});
		onEvent({type: 'port-finished', result});
	}

	for (const port of range(9012, 9015)) {
		onEvent({type: 'port-started', port});
	}

	await new Promise(resolve => {
		signal.addEventListener('abort', resolve, {once: true});
	});
	const report = makeReport(
		checkConfig.ports.map(port => portResult(port, 'skipped')),
		{status: 'cancelled', code: 'cancelled'},
	);
	onEvent({type: 'done', report});
	return report;
};

const frameOf = (app: {lastFrame: () => string | undefined}): string => plain(app.lastFrame() ?? '');

/** The screens a user sees: the table while checking and when done, a drill-down, the summary, the keys. */
const screens = async (glyphs: GlyphSet): Promise<string[]> => {
	const frames: string[] = [];
	const ports = finished.map(result => result.port);
	const running = render(<App config={config(ports)} run={runningRunner} columns={80} rows={24} glyphs={glyphs} />);
	await delay(20);
	await waitForText(running, '9015');
	// The spinner's frames change with the ticker: take a few.
	for (let tick = 0; tick < 3; tick++) {
		frames.push(frameOf(running));
		await delay(160);
	}

	running.unmount();

	const done = render(
		<App config={config(ports)} run={instantRunner(finished, makeReport(finished))} columns={80} rows={24} glyphs={glyphs} />,
	);
	await delay(20);
	frames.push(await waitForText(done, '9015'));
	done.stdin.write('G');
	await delay(20);
	done.stdin.write(keys.enter);
	frames.push(await waitForText(done, 'Port 9015'));
	done.stdin.write(keys.escape);
	await delay(20);
	done.stdin.write('F');
	await delay(50);
	frames.push(frameOf(done));
	done.stdin.write(keys.escape);
	await delay(20);
	done.stdin.write('?');
	await delay(50);
	frames.push(frameOf(done));
	return frames;
};

test('Windows draws ASCII; everywhere else Unicode', () => {
	assert.equal(glyphSetFor('win32'), 'ascii');
	assert.equal(glyphSetFor('linux'), 'unicode');
	assert.equal(glyphSetFor('darwin'), 'unicode');
});

test('each symbol becomes one ASCII character, so lines keep the width they were laid out with', () => {
	for (const [symbol, ascii] of Object.entries(asciiFor)) {
		assert.equal(stringWidth(symbol), 1, symbol);
		assert.match(ascii, /^[\u0020-\u007E]$/, symbol);
	}

	assert.equal(drawnWith('ascii', '› 9000 ✔ pass · ⠋ checking… ⏎'), '> 9000 + pass | | checking~ <');
	assert.equal(drawnWith('unicode', '› 9000 ✔ pass'), '› 9000 ✔ pass');
	// Text that is not ours (a process name) is left as it is.
	assert.equal(drawnWith('ascii', 'Réunion-Phone.exe 電話'), 'Réunion-Phone.exe 電話');
});

test('the Windows glyph set: every screen fits 80 cells as a Windows console counts them', async () => {
	const frames = await screens('ascii');
	assert.ok(frames.some(frame => frame.includes('Test 1 reach')));
	assert.ok(frames.some(frame => /Port 9015/.test(frame)));
	for (const frame of frames) {
		assert.deepEqual(overflowing(frame), [], frame);
		// Nothing but ASCII is left for the console to measure (the fixtures' data are ASCII).
		assert.match(frame, /^[\n\u0020-\u007E]*$/, frame);
	}
});

test('the Unicode set would wrap there: the count above is what catches it', async () => {
	const frames = await screens('unicode');
	assert.ok(
		frames.some(frame => overflowing(frame).length > 0),
		'no Unicode screen overflows when symbols count two cells',
	);
});
