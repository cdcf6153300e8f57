export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	left: '\u001B[D',
	right: '\u001B[C',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	ctrlC: '\u0003',
} as const;

export const delay = async (ms: number): Promise<void> =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

interface Rendered {
	lastFrame: () => string | undefined;
}

// Strip colours and styles, for assertions on what a person reads.
// eslint-disable-next-line no-control-regex
export const plain = (text: string): string => text.replaceAll(/\u001B\[[\d;]*m/g, '');

/** Poll the last frame until it satisfies `check`; a timeout shows the frame it gave up on. */
export const waitForFrame = async (app: Rendered, check: (frame: string) => boolean, timeoutMs = 15_000): Promise<string> => {
	const started = Date.now();
	for (;;) {
		const frame = plain(app.lastFrame() ?? '');
		if (check(frame)) {
			return frame;
		}

		if (Date.now() - started > timeoutMs) {
			throw new Error(`Timed out waiting for the frame; last frame:\n${frame}`);
		}

		await delay(10);
	}
};

export const waitForText = async (app: Rendered, text: string, timeoutMs?: number): Promise<string> =>
	waitForFrame(app, frame => frame.includes(text), timeoutMs);

/** The row the cursor is on. */
export const selectedLine = (frame: string): string | undefined => frame.split('\n').find(line => line.startsWith('›'));

export const lineCount = (frame: string): number => frame.split('\n').length;

/** Any foreground or background colour (SGR 30-38, 40-48, 90-97, 100-107). */
// eslint-disable-next-line no-control-regex
export const colourCode = /\u001B\[(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/;
